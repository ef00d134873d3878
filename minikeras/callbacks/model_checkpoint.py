"""``ModelCheckpoint``: saves the model (or its weights) during training."""
import difflib
import numbers
import os
import re
import string

import numpy as np

from ..utils.io_utils import check_folder_can_be_made, check_name_fits, check_writable_dir
from .monitor import MonitorCallback
from .state import entries, integer, real

_MISSING = "Can save best model only with {monitor} available, skipping."


class ModelCheckpoint(MonitorCallback):
    """Saves the model after every epoch, or every ``period`` epochs, or every ``save_freq``
    batches (Keras ``keras.callbacks.ModelCheckpoint``, behaving as tf_keras 2.21's).

    Args:
        filepath: where to save. May hold ``str.format`` placeholders filled from the epoch
            logs and ``epoch`` (1-based), e.g. ``'weights.{epoch:02d}-{val_loss:.2f}.hdf5'``
            gives ``weights.01-0.53.hdf5``; with an integer ``save_freq`` also ``batch``
            (1-based, within the epoch). Missing folders are created.
        monitor: the log value that decides what "best" is (``save_best_only``).
        verbose: 0 silent; 1 prints a line for every save decision (tf_keras's texts).
        save_best_only: save only when ``monitor`` beats the best value so far; a missing
            monitor gives a warning and no save.
        save_weights_only: True: ``model.save_weights(path, overwrite=True)``; False:
            ``model.save(path, overwrite=True)`` (architecture, weights, optimizer).
        mode: ``'min'``, ``'max'`` or ``'auto'`` (``'max'`` when the monitor contains ``acc`` or
            starts with ``fmeasure``, else ``'min'``). Unknown: warning, then ``'auto'``.
        period: save every ``period`` epochs (the Keras 2 callbacks guide's argument).
        save_freq: ``'epoch'``, or an int ``n``: save every ``n`` training batches (counted
            across epochs, from ``on_train_batch_end``; no saving at epoch ends then, and
            ``period`` is ignored). The monitored value is then the running mean of the epoch
            so far.
        initial_value_threshold: the initial "best" value: with ``save_best_only`` nothing is
            saved until the monitor beats it.

    Raises:
        TypeError: if ``filepath`` is not a path.
        ValueError: for a ``save_freq`` that is neither ``'epoch'`` nor an int >= 1, a
            ``period`` that is not an int >= 1, a ``filepath`` with bad braces or positional
            placeholders, or in a folder that cannot be created or written.
        FilepathKeyError: (a ``KeyError`` and a ``ValueError``) at a save, if ``filepath`` names
            a placeholder that is not in the logs (raised before anything is written); the
            message names the key.

    Messages (``verbose=1``), each starting with a newline, ``N`` the 1-based epoch::

        Epoch N: val_loss improved from inf to 0.51432, saving model to /tmp/weights.hdf5
        Epoch N: val_loss did not improve from 0.35382
        Epoch N: saving model to weights.03-0.41.hdf5

    Writes are atomic: ``model.save`` and ``model.save_weights`` write a temporary file and
    rename it, so a crash never leaves a half-written checkpoint.

    Deviations from tf_keras 2.21: ``period`` is a documented argument (tf_keras still honours
    it but warns it is deprecated); there is no ``options`` argument (TensorFlow-specific);
    the ``batch``/``size`` keys that minikeras's batch logs carry are not used for formatting,
    so ``{batch}`` is the 1-based batch as in tf_keras; the filepath error adds the
    available keys; a path that is an existing folder is a ``ValueError`` before saving;
    warnings go through Python's ``warnings`` (tf_keras logs them).

    >>> checkpointer = ModelCheckpoint(filepath='/tmp/weights.hdf5', verbose=1, save_best_only=True)
    >>> checkpointer.monitor, checkpointer.mode, checkpointer.best
    ('val_loss', 'min', inf)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", period=1, save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode, 0, rule="ModelCheckpoint")
        if not isinstance(filepath, (str, os.PathLike)):
            raise TypeError(f"filepath must be a file path (str or os.PathLike), e.g. 'weights.h5', got {filepath!r}.")
        _check_template(os.fspath(filepath))
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, numbers.Integral)
                                     or save_freq < 1):
            raise ValueError(f'Unrecognized save_freq: {save_freq!r}. Expected save_freq are "epoch" or '
                             f"an integer >= 1 (a number of batches).")
        if isinstance(period, bool) or not isinstance(period, numbers.Integral) or period < 1:
            raise ValueError(f"period must be an int >= 1 (save every `period` epochs), got {period!r}.")
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.period = int(period)
        self.save_freq = save_freq if save_freq == "epoch" else int(save_freq)
        if initial_value_threshold is not None:
            if isinstance(initial_value_threshold, bool) or not isinstance(initial_value_threshold, numbers.Real):
                raise TypeError(f"initial_value_threshold must be a number or None, got {initial_value_threshold!r}.")
            self.best = initial_value_threshold
        self.epochs_since_last_save = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0
        self._passive_batch_hooks = self.save_freq == "epoch"   # fit may skip batch hooks for us

    def get_state(self):
        """``best`` and the counters of epochs and batches since the last save (for
        :class:`~minikeras.callbacks.BackupAndRestore`)."""
        return {"best": float(self.best), "epochs_since_last_save": self.epochs_since_last_save,
                "batches_since_last_save": self._batches_seen_since_last_saving,
                "last_batch_seen": self._last_batch_seen}

    def set_state(self, state):
        """Restores :meth:`get_state`'s values (all checked first).

        Raises:
            ValueError: for a malformed state.
        """
        best, epochs, batches, last = entries(state, "ModelCheckpoint", ("best", "epochs_since_last_save",
                                                                         "batches_since_last_save", "last_batch_seen"))
        values = (real(best, "best"), integer(epochs, "epochs_since_last_save", 0),
                  integer(batches, "batches_since_last_save", 0), integer(last, "last_batch_seen", -1))
        (self.best, self.epochs_since_last_save, self._batches_seen_since_last_saving,
         self._last_batch_seen) = values

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            logs = {k: v for k, v in (logs or {}).items() if k not in ("batch", "size")}
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_since_last_save += 1
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save_on_batch(self, batch):
        """Counts batches across epochs; True every ``save_freq`` batches."""
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:          # a new epoch started: batch restarted at 0
            self._batches_seen_since_last_saving += batch + 1
        else:
            self._batches_seen_since_last_saving += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self, epoch, batch, logs):
        """Formats the path, then decides (best or not) and saves; ``batch`` is None at epoch ends."""
        if not (isinstance(self.save_freq, int) or self.epochs_since_last_save >= self.period):
            return
        logs = {key: _plain(value) for key, value in (logs or {}).items()}
        self.epochs_since_last_save = 0
        filepath = self._get_file_path(epoch, batch, logs)
        check_writable_dir(filepath, "filepath")
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            self._save(filepath)
            return
        current = self.get_monitor_value(logs, _MISSING)
        if current is None:
            return
        if self.is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                      f"saving model to {filepath}")
            self.best = current
            self._save(filepath)
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")

    def _save(self, filepath):
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _get_file_path(self, epoch, batch, logs):
        """``filepath`` with ``epoch`` (1-based), ``batch`` (1-based, batch saves) and the logs filled in."""
        values = dict(logs, epoch=epoch + 1)
        if batch is not None:
            values["batch"] = batch + 1
        try:
            return self.filepath.format(**values)
        except KeyError as e:
            raise FilepathKeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}. '
                                   f"The placeholder {{{e.args[0]}}} is not in the logs of epoch {epoch + 1}; "
                                   f"available keys: {', '.join(values)}. Monitor a value that fit logs (val_* "
                                   f"keys need validation data) or remove the placeholder.") from None
        except (IndexError, ValueError) as e:
            raise ValueError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}. Use '
                             f"named placeholders such as {{epoch:02d}} or {{val_loss:.2f}}.") from None


def _check_template(filepath):
    """Raises ValueError (before any training) for a filepath that ``str.format`` cannot fill
    (bad braces, positional ``{}``) or whose folder cannot be made; placeholders' keys are only
    known at the first save, where a missing one raises :class:`FilepathKeyError`."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(filepath) if field is not None]
    except ValueError as e:
        raise ValueError(f'filepath "{filepath}" is not a valid template ({e}). Use named placeholders such '
                         f'as {{epoch:02d}} or {{val_loss:.2f}}; write a literal brace as {{{{ or }}}}.') from None
    if any(field == "" or field.isdigit() for field in fields):
        raise ValueError(f'filepath "{filepath}" has a positional placeholder; use named placeholders such as '
                         f'{{epoch:02d}} or {{val_loss:.2f}}.')
    # Fill it once with values of the types a save gives (ints for epoch/batch, floats for logs),
    # so that a bad format spec fails now rather than after the first epoch trained.
    roots = {re.split(r"[.\[]", field, maxsplit=1)[0] for field in fields}
    dummy = {root: 1 if root in ("epoch", "batch") else 0.5 for root in roots}
    try:
        example = filepath.format(**dummy)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as e:
        guesses = [f"{{{root}}} -> {{{close[0]}}}" for root in sorted(roots - {"epoch", "batch"})
                   for close in [difflib.get_close_matches(root, ["epoch", "batch"], n=1)] if close]
        hint = f" Did you mean {', '.join(guesses)}?" if guesses else ""
        raise ValueError(f'filepath "{filepath}" cannot be filled in at a save: {type(e).__name__}: {e}. '
                         f'{{epoch}} and {{batch}} are ints, log values such as {{loss}} are floats; use e.g. '
                         f'{{epoch:02d}} or {{val_loss:.2f}}.{hint}') from None
    check_name_fits(example, "filepath")
    check_folder_can_be_made(os.path.dirname(filepath.split("{", 1)[0]), "filepath")


class FilepathKeyError(KeyError, ValueError):
    """A ``filepath`` placeholder that is not in the logs: a ``KeyError`` as in tf_keras, and a
    ``ValueError`` (a bad argument) as minikeras raises for every bad argument."""


def _plain(value):
    """NumPy scalars and 0-d arrays -> Python numbers (tf_keras formats Python values)."""
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0:
        return value.item()
    return value
