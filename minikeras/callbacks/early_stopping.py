"""``EarlyStopping``: stops training when a monitored value has stopped improving."""
import numbers

from .monitor import MonitorCallback, check_epochs
from .state import arrays, entries, integer, real

_MISSING = ("Early stopping conditioned on metric `{monitor}` which is not available. "
            "Available metrics are: {available}")


class EarlyStopping(MonitorCallback):
    """Stops ``fit`` when ``monitor`` has not improved for ``patience`` epochs
    (Keras ``keras.callbacks.EarlyStopping``, behaving as tf_keras 2.21's).

    Args:
        monitor: the epoch-log value to watch, e.g. ``'val_loss'``, ``'val_acc'``.
        min_delta: the smallest change that counts as an improvement; its sign is ignored
            (a change smaller than ``|min_delta|`` is "no improvement").
        patience: how many epochs without improvement to accept before stopping.
        verbose: 0 silent; 1 prints ``Epoch N: early stopping`` (and the restore message).
        mode: ``'min'``, ``'max'`` or ``'auto'``; ``'auto'`` means ``'max'`` when the monitor
            ends with ``acc``, ``accuracy`` or ``auc``, else ``'min'``. Unknown: warning, ``'auto'``.
        baseline: a value the monitor must beat. An epoch that beats the best so far but not
            the baseline is recorded as the best, yet does not reset the patience counter.
        restore_best_weights: at the end of training, put back the weights of the best epoch
            (of the first monitored epoch if none improved). Done whenever a best exists, even
            when training was not stopped early.
        start_from_epoch: epochs (0-based indices below this) that are not monitored at all:
            a warm-up during which training is never stopped.

    Attributes:
        wait: epochs since the last improvement (counted as tf_keras does, see below).
        stopped_epoch: 0-based index of the epoch at whose end training was stopped (0 = never).
        best, best_epoch, best_weights: the best value, its 0-based epoch, its weights.

    Every ``on_epoch_end`` (tf_keras's order, which is not Keras 2.2.4's)::

        if monitor missing (warning) or epoch < start_from_epoch: return
        if restore_best_weights and no snapshot yet: snapshot the weights
        wait += 1
        if current improves on best: best = current, snapshot; wait = 0 unless a baseline is
                                     given and current does not improve on it
        elif wait >= patience and epoch > 0: stop training

    So ``patience=0`` stops at the first epoch without improvement, but never after epoch 0.

    Deviations from tf_keras 2.21: warnings go through Python's ``warnings`` (tf_keras logs
    them); ``patience``/``start_from_epoch`` that are not ints >= 0 raise ``ValueError`` at once, and a
    ``baseline`` that is not a number ``TypeError`` (tf_keras fails at the first comparison).
    Keras 2.2.4 differed more (baseline as the initial best, no restore when not stopped, the
    message ``Epoch 00002: early stopping``); tf_keras is followed.

    >>> from types import SimpleNamespace
    >>> cb = EarlyStopping(monitor='loss', patience=2, verbose=1)
    >>> cb.set_model(SimpleNamespace(stop_training=False))
    >>> cb.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.8, 0.9, 0.85, 0.7]):
    ...     cb.on_epoch_end(epoch, {'loss': loss})
    ...     if cb.model.stop_training:
    ...         break
    >>> cb.on_train_end()
    Epoch 4: early stopping
    >>> cb.stopped_epoch, cb.best
    (3, 0.8)
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, abs(min_delta) if isinstance(min_delta, numbers.Real) else min_delta,
                         rule="EarlyStopping")
        self.patience = check_epochs("patience", patience)
        self.start_from_epoch = check_epochs("start_from_epoch", start_from_epoch)
        self.verbose = verbose
        if baseline is not None and (isinstance(baseline, bool) or not isinstance(baseline, numbers.Real)):
            raise TypeError(f"baseline must be a number (a value the monitor must beat) or None, got {baseline!r}.")
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # Reset everything, so one instance can be used for several fits.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = self.initial_best()
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self.get_monitor_value(logs, _MISSING)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()   # so there is always something to restore
            self.best_epoch = epoch
        self.wait += 1
        if self.is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self.is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def get_state(self):
        """``wait``, ``best``, ``best_epoch``, ``stopped_epoch`` and ``best_weights`` (for
        :class:`~minikeras.callbacks.BackupAndRestore`)."""
        return {"wait": self.wait, "best": float(self.best), "best_epoch": self.best_epoch,
                "stopped_epoch": self.stopped_epoch, "best_weights": self.best_weights}

    def set_state(self, state):
        """Restores :meth:`get_state`'s values (all checked first).

        Raises:
            ValueError: for a malformed state, or best weights of other shapes than the model's.
        """
        wait, best, best_epoch, stopped, weights = entries(
            state, "EarlyStopping", ("wait", "best", "best_epoch", "stopped_epoch", "best_weights"))
        wait, best_epoch, stopped = (integer(wait, "wait", 0), integer(best_epoch, "best_epoch", 0),
                                     integer(stopped, "stopped_epoch", 0))
        best, weights = real(best, "best"), arrays(weights, "best_weights")
        if weights is not None and [w.shape for w in weights] != [w.shape for w in self.model.get_weights()]:
            raise ValueError("EarlyStopping state: best_weights do not have the model's weight shapes.")
        self.wait, self.best, self.best_epoch, self.stopped_epoch, self.best_weights = \
            wait, best, best_epoch, stopped, weights

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

