"""``ReduceLROnPlateau``: divides the learning rate when a monitored value stops improving."""
import numbers
import warnings

import numpy as np

from .. import backend as K
from .monitor import MonitorCallback, check_epochs
from .state import entries, integer, real

_MISSING = ("Learning rate reduction is conditioned on metric `{monitor}` which is not available. "
            "Available metrics are: {available}")


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without improvement
    (Keras ``keras.callbacks.ReduceLROnPlateau``, behaving as tf_keras 2.21's).

    Args:
        monitor: the epoch-log value to watch, e.g. ``'val_loss'``.
        factor: the learning rate becomes ``lr * factor``; must be < 1.
        patience: epochs without improvement after which the rate is reduced.
        verbose: 0 silent; 1 prints ``Epoch N: ReduceLROnPlateau reducing learning rate to X.``
        mode: ``'min'``, ``'max'`` or ``'auto'`` (``'max'`` when the monitor contains ``acc``).
            Unknown: warning, then ``'auto'``.
        min_delta: improvement threshold: min mode needs ``current < best - min_delta``, max
            mode ``current > best + min_delta``. Its sign is kept (a negative value accepts
            slightly worse values as improvements), as in tf_keras.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.
        **kwargs: only ``epsilon``, the Keras 2 callbacks guide's (Keras <= 2.1.5) name of ``min_delta``:
            accepted, used as ``min_delta``, with a ``DeprecationWarning``.

    Raises:
        ValueError: if ``factor >= 1`` (tf_keras's message), or ``patience``/``cooldown`` are
            not ints >= 0.
        TypeError: if ``factor`` or ``min_lr`` is not a number (``min_lr`` >= 0), or for a keyword
            argument other than ``epsilon``.

    Every ``on_epoch_end``, first ``logs['lr']`` is set to the current rate (a NumPy float32,
    before any reduction in this call), then, if the monitor is present::

        if cooldown_counter > 0: cooldown_counter -= 1; wait = 0
        if current improves on best: best = current; wait = 0
        elif cooldown_counter == 0:
            wait += 1
            if wait >= patience and lr > min_lr:
                lr = max(lr * factor, min_lr); cooldown_counter = cooldown; wait = 0

    So with ``patience=1, cooldown=1`` a flat loss reduces the rate every epoch from the
    second on: the cooldown is used up in the very call that would have counted.

    The rate is read and written with ``K.get_value``/``K.set_value`` on ``model.optimizer.lr``,
    a float32 ``Variable``: ``lr * factor`` is computed in float32 and the message prints that
    float32 as a Python float (``0.005000000353902578`` for ``0.05 * 0.1``), as tf_keras does.

    Deviations from tf_keras 2.21: warnings use Python's ``warnings`` (tf_keras logs them);
    unknown keyword arguments raise ``TypeError`` (tf_keras ignores them). The attribute
    ``min_delta`` is the value given (as in Keras and tf_keras; EarlyStopping's has the sign of
    its mode).

    >>> from types import SimpleNamespace
    >>> from minikeras.optimizers import SGD
    >>> model = SimpleNamespace(optimizer=SGD(lr=0.1))
    >>> cb = ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, verbose=1)
    >>> cb.set_model(model); cb.on_train_begin()
    >>> for epoch in range(3):
    ...     cb.on_epoch_end(epoch, {'loss': 1.0})
    <BLANKLINE>
    Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.
    <BLANKLINE>
    Epoch 3: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0, **kwargs):
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warnings.warn("`epsilon` argument is deprecated and will be removed, use `min_delta` instead.",
                          DeprecationWarning, stacklevel=2)
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword argument(s) {sorted(kwargs)}; "
                            f"the only legacy name accepted is `epsilon` (use `min_delta`).")
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
            raise TypeError(f"factor must be a number < 1 (the learning rate is multiplied by it), got {factor!r}.")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}. "
                             f"Pass factor < 1, e.g. factor=0.1 to divide the learning rate by 10.")
        super().__init__(monitor, mode, min_delta, rule="ReduceLROnPlateau",
                         warning_name="Learning rate reduction")
        self.min_delta = min_delta      # as given (MonitorCallback stored it with the sign of the mode)
        self.factor = factor
        self.patience = check_epochs("patience", patience)
        self.cooldown = check_epochs("cooldown", cooldown)
        self.verbose = verbose
        if isinstance(min_lr, bool) or not isinstance(min_lr, numbers.Real) or not 0 <= min_lr < float("inf"):
            raise TypeError(f"min_lr must be a number >= 0 (the lowest learning rate), got {min_lr!r}.")
        self.min_lr = min_lr
        self.cooldown_counter = 0
        self.wait = 0

    def is_improvement(self, current, reference):
        """True if ``current`` beats ``reference`` by more than ``min_delta``.

        tf_keras writes this rule as ``current < best - min_delta`` (not ``current + min_delta
        < best`` as EarlyStopping does); the two can differ in the last bit, so it is kept.
        """
        if self.mode == "max":
            return self.monitor_op(current, reference + self.min_delta)
        return self.monitor_op(current, reference - self.min_delta)

    def in_cooldown(self):
        """True while the cooldown after a reduction is running."""
        return self.cooldown_counter > 0

    def get_state(self):
        """``wait``, ``cooldown_counter`` and ``best`` (for :class:`~minikeras.callbacks.BackupAndRestore`;
        the learning rate itself is in the backup already)."""
        return {"wait": self.wait, "cooldown_counter": self.cooldown_counter, "best": float(self.best)}

    def set_state(self, state):
        """Restores :meth:`get_state`'s values (all checked first).

        Raises:
            ValueError: for a malformed state.
        """
        wait, cooldown, best = entries(state, "ReduceLROnPlateau", ("wait", "cooldown_counter", "best"))
        self.wait, self.cooldown_counter, self.best = (integer(wait, "wait", 0),
                                                       integer(cooldown, "cooldown_counter", 0), real(best, "best"))

    def on_train_begin(self, logs=None):
        self.best = self.initial_best()
        self.cooldown_counter = 0
        self.wait = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = K.get_value(self.model.optimizer.lr)
        current = self.get_monitor_value(logs, _MISSING)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = K.get_value(self.model.optimizer.lr)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    K.set_value(self.model.optimizer.lr, new_lr)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

