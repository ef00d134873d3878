"""``BackupAndRestore``: resume a killed ``fit`` where it stopped, bit for bit."""
import numbers
import os

from .. import backend
from ..utils.io_utils import check_folder_can_be_made, remove_stale_temps
from .callback import Callback


def _state():
    """The backup file format (imported on first use: it needs h5py, which ``import minikeras`` avoids)."""
    from . import training_state
    return training_state


class BackupAndRestore(Callback):
    """Backs up the training state so that an interrupted ``fit`` can resume
    (Keras ``keras.callbacks.BackupAndRestore``, behaving as tf_keras 2.21's).

    Run the same script again after a crash, a Ctrl-C or a killed process: ``fit`` restores
    the last backup in ``on_train_begin`` and continues at the epoch (or batch) after it.
    The final weights are *bit-identical* to those of a run that was never interrupted,
    because the backup holds everything the next step depends on:

    * the model's weights and the optimizer's state (``iterations`` and slots, e.g. Adam's
      moments) and learning rate (callbacks such as ``ReduceLROnPlateau`` change it);
    * the state of every random generator: ``backend.rng()`` (shuffling, dropout masks), a
      seeded ``Dropout``'s own generator, NumPy's global one and Python's ``random``;
    * where to resume: the epoch, and with an integer ``save_freq`` the batch, plus the
      epoch's generator state at its start (so the resumed epoch shuffles the same way) and
      its running means (so its logs are right).

    Args:
        backup_dir: folder for the backup file ``training_state.h5``; use it for nothing else.
        save_freq: ``'epoch'`` (back up at every epoch end) or an int ``n`` (every ``n``
            training batches, counted across epochs).
        delete_checkpoint: delete the backup when ``fit`` ends normally (the folder stays).
        save_before_preemption: tf_keras's option for TPU/multi-worker preemption; only
            ``False`` is supported.

    Raises:
        TypeError: if ``backup_dir`` is not a path.
        ValueError: for any other ``save_freq``, or a ``backup_dir`` that cannot be created or
            written; at train begin (before any change), for a backup that is damaged or does
            not fit this model or these callbacks (every part of the backup is checked before
            any of it is applied).

    Resuming, as in tf_keras: the backup of epoch ``k-1`` makes ``fit`` start at epoch ``k``
    (``History`` then holds epochs ``k`` ... only); a backup taken after batch ``b`` of epoch
    ``k`` skips batches ``0..b`` of epoch ``k`` (they are fetched, not trained). When the count
    of ``save_freq`` batches ends on an epoch's last batch, that backup is written at the end
    of the epoch instead (after its validation and every callback's ``on_epoch_end``; tf_keras
    writes it at the batch and resumes without them), and ``fit`` resumes at epoch ``k+1``.
    The backup is written atomically (a temporary file renamed over the old one), so a kill
    during a backup leaves the previous backup intact.

    Other callbacks (beyond tf_keras, which backs up none): the backup also holds the state of
    every callback of the same ``fit`` whose :meth:`~minikeras.callbacks.Callback.get_state`
    returns one - EarlyStopping's wait, best value and best weights, ReduceLROnPlateau's wait,
    cooldown and best, ModelCheckpoint's best and its counters, CSVLogger's columns and file
    size, and your own callbacks' - and a resumed ``fit`` hands each back to the callback of the
    same class at the same place (``set_state``), after every ``on_train_begin``. For that the
    backup is written after every other callback's ``on_epoch_end``/``on_train_batch_end``,
    wherever BackupAndRestore is in the list. So a resumed run with all of these ends
    bit-identical to an uninterrupted one: weights, logs, best checkpoint, CSV rows (with
    ``CSVLogger(append=True)``; rows written after the backup are cut off and written again).
    Change nothing in the script between runs. With a ``steps_per_epoch`` shorter than the data, each epoch continues the
    previous epoch's pass, which a restart cannot reproduce.

    Deviations from tf_keras 2.21: the backup is one HDF5 file (:mod:`.training_state`), not a
    TensorFlow checkpoint in ``backup_dir/chief/``; it also holds the generators' states, the
    learning rate and, mid-epoch, the epoch's shuffle and running means (tf_keras, from reading
    its source, restarts the epoch's data iterator at the saved batch index, so its mid-epoch
    resume is not exact); ``save_before_preemption=True`` and a ``save_freq`` < 1 raise.

    >>> import os, tempfile
    >>> import numpy as np
    >>> from minikeras.models import Sequential
    >>> from minikeras.layers import Dense
    >>> model = Sequential([Dense(1, input_dim=2)]); model.compile(optimizer='sgd', loss='mse')
    >>> backup = BackupAndRestore(os.path.join(tempfile.mkdtemp(), 'backup'))
    >>> model.fit(np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[backup], verbose=0).epoch
    [0, 1]
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True, save_before_preemption=False):
        super().__init__()
        if not isinstance(backup_dir, (str, os.PathLike)) or not os.fspath(backup_dir):
            raise TypeError(f"backup_dir must be a folder path (str or os.PathLike), e.g. 'backup', got "
                            f"{backup_dir!r}.")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, numbers.Integral)
                                     or save_freq < 1):
            raise ValueError(f"save_freq must be 'epoch' or an int >= 1 (a number of batches), got {save_freq!r}.")
        if save_before_preemption:
            raise ValueError("save_before_preemption=True needs TensorFlow's multi-worker preemption handling, "
                             "which minikeras does not have; use save_freq instead.")
        check_folder_can_be_made(backup_dir, "backup_dir")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq if save_freq == "epoch" else int(save_freq)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._passive_batch_hooks = self.save_freq == "epoch"   # fit may skip batch hooks for us
        self._backup_at_epoch_end = False
        self._batches_count = 0
        self._current_epoch = 0
        self._epoch_start_rng = None   # backend.rng() state at the current epoch's start
        self._resume = None            # the backup's state, while resuming in the middle of an epoch
        self._callbacks = []           # the fit's callbacks (set_callbacks)
        self._restored_states = []     # [(callback, state)] to put back after every on_train_begin

    def set_callbacks(self, callbacks):
        """Gives the backup the callbacks of the same ``fit`` (``CallbackList`` calls this).

        Args:
            callbacks: the fit's list of callbacks; those whose ``get_state()`` returns a state
                are backed up with the model.
        """
        self._callbacks = [cb for cb in callbacks if not isinstance(cb, BackupAndRestore)]

    def restore_callback_states(self):
        """Puts back the callbacks' states read from the backup (``CallbackList`` calls this
        after every callback's ``on_train_begin``, which resets them)."""
        for callback, state in self._restored_states:
            callback.set_state(state)
        self._restored_states = []

    @property
    def filepath(self):
        """The backup file: ``<backup_dir>/training_state.h5``."""
        return os.path.join(self.backup_dir, _state().STATE_FILE)

    # ------------------------------------------------------------------ hooks
    def on_train_begin(self, logs=None):
        _check_folder(self.backup_dir)
        self._batches_count = 0
        self._backup_at_epoch_end = False
        self._restored_states = []
        if os.path.exists(self.filepath):
            self._restore()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        if self._resume and self._resume["epoch"] == epoch:   # after reset_metrics: put the means back
            self.model.set_running_means_state(self._resume["means"])
        self._epoch_start_rng = backend.rng().bit_generator.state

    def on_train_batch_begin(self, batch, logs=None):
        if self._resume and batch == self._resume["step"]:    # the epoch's order is drawn: rejoin
            backend.rng().bit_generator.state = self._resume["random"]["backend"]
            backend.set_value(self.model.optimizer.learning_rate, self._resume["learning_rate"])  # undo a
            self._resume = None                               # scheduler's second on_epoch_begin

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches_count += 1
            if self._batches_count >= self.save_freq:
                self._batches_count = 0
                if batch + 1 >= (self.params.get("steps") or float("inf")):   # the epoch's last batch:
                    self._backup_at_epoch_end = True      # after the callbacks' on_epoch_end (their states)
                else:
                    self._backup(self._current_epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" or self._backup_at_epoch_end:
            self._backup(epoch + 1, 0)
        self._backup_at_epoch_end = False

    def on_train_end(self, logs=None):
        self._resume = None
        if self.delete_checkpoint:
            if os.path.exists(self.filepath):
                os.remove(self.filepath)
            remove_stale_temps(self.filepath)                    # also the temporary files of killed backups

    # ------------------------------------------------------------------ the file
    def _backup(self, epoch, step):
        """Writes the state to resume at batch ``step`` of ``epoch`` (atomically)."""
        states = []
        for callback, index in self._numbered_callbacks():
            state = callback.get_state()
            if state is not None:
                states.append({"class": type(callback).__name__, "index": index, "state": state})
        _state().write(self.filepath, self.model, epoch, step, self._epoch_start_rng, states)

    def _numbered_callbacks(self):
        """``[(callback, n)]``: each callback of the fit with its rank among those of its class."""
        seen = {}
        numbered = []
        for callback in self._callbacks:
            name = type(callback).__name__
            numbered.append((callback, seen.setdefault(name, 0)))
            seen[name] += 1
        return numbered

    def _restore(self):
        """Loads the backup into the model and tells ``fit`` where to start (everything checked first)."""
        model, optimizer = self.model, self.model.optimizer
        state, weights, opt_weights = _state().read(self.filepath, model, optimizer)
        if state["step"] and self._passive_batch_hooks:
            raise ValueError(f"The backup in {self.filepath!r} was taken in the middle of an epoch "
                             f"(save_freq=<int>); resume with the same save_freq.")
        self._restored_states = self._match_callback_states(state["callbacks"])
        try:   # set_state checks its state: a bad one is found here, before the model changes
            self.restore_callback_states()
        except (ValueError, TypeError, KeyError) as e:
            raise ValueError(f"The backup {self.filepath!r} is damaged ({e}). Delete it to start over.") from e
        self._restored_states = self._match_callback_states(state["callbacks"])  # again after every on_train_begin
        if len(opt_weights) > 1 and not optimizer.get_weights()[1:]:
            optimizer.build(model.trainable_weights)   # a fresh optimizer has no slots to fill yet
        optimizer.set_weights(opt_weights)
        model.set_weights(weights)
        backend.set_value(optimizer.learning_rate, state["learning_rate"])
        _state().set_random_states(model, state["random"])
        if state["step"]:   # mid-epoch: shuffle as the epoch did, then rejoin at on_train_batch_begin
            self._resume = state
            backend.rng().bit_generator.state = state["epoch_start_rng"]
        # tf_keras moves the start of fit the same way (its _initial_epoch, in on_train_begin);
        # fit reads model.resume_point right after on_train_begin.
        model.resume_point = (state["epoch"], state["step"])

    def _match_callback_states(self, saved):
        """Pairs each saved callback state with this fit's callback of the same class and rank."""
        callbacks = {(type(cb).__name__, n): cb for cb, n in self._numbered_callbacks()}
        pairs = []
        for entry in saved:
            callback = callbacks.get((entry["class"], entry["index"]))
            if callback is None:
                raise ValueError(f"The backup in backup_dir={self.backup_dir!r} holds the state of a "
                                 f"{entry['class']} (number {entry['index'] + 1} of its class), which this fit "
                                 f"does not have. Resume with the same callbacks, or delete the backup.")
            pairs.append((callback, entry["state"]))
        return pairs


def _check_folder(folder):
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise ValueError(f"Cannot create backup_dir={folder!r}: {e.strerror}. Choose a writable folder.") from e
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"backup_dir={folder!r} is not writable. Choose a writable folder.")
