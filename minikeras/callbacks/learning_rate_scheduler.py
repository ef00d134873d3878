"""``LearningRateScheduler``: sets the learning rate at the start of every epoch from a function."""
import inspect

import numpy as np

from .. import backend as K
from .callback import Callback


class LearningRateScheduler(Callback):
    """Sets ``model.optimizer.lr`` to ``schedule(epoch)`` before every epoch
    (Keras ``keras.callbacks.LearningRateScheduler``, behaving as tf_keras 2.21's).

    Args:
        schedule: a function of the 0-based epoch index, ``schedule(epoch)`` (the Keras 2 guide's
            form), or of the epoch and the current rate, ``schedule(epoch, lr)``
            (Keras >= 2.2.0; ``lr`` is a Python float read from the float32 rate). It must
            return a float (``float``, ``np.float32`` or ``np.float64``).
        verbose: 0 silent; 1 prints ``Epoch N: LearningRateScheduler setting learning rate to X.``
            where ``X`` is the value the schedule returned.

    Raises:
        ValueError: (at an epoch start) if the schedule returns something that is not a float,
            e.g. the int ``1``, or if the optimizer has no ``lr``.

    ``on_epoch_end`` writes the rate into the epoch logs as ``logs['lr']`` (a NumPy float32,
    tf_keras's key and type), so ``History``, ``CSVLogger`` and the progress bar show it.

    Which form is called: tf_keras calls ``schedule(epoch, lr)`` and, on *any* ``TypeError``,
    ``schedule(epoch)``, so a ``TypeError`` raised inside a two-argument schedule is replaced by
    a confusing "missing argument" error. Here the signature decides instead: if the schedule
    accepts two positional arguments it gets ``(epoch, lr)``, else ``(epoch)``; only callables
    whose signature cannot be read (some built-ins) get tf_keras's try-and-fall-back. For every
    schedule that works, the calls are the same. Deviation: only that, and that the returned
    value's type is named in the error.

    >>> from types import SimpleNamespace
    >>> from minikeras.optimizers import SGD
    >>> model = SimpleNamespace(optimizer=SGD(lr=0.2))
    >>> cb = LearningRateScheduler(lambda epoch, lr: lr * 0.5, verbose=1)
    >>> cb.set_model(model); cb.on_epoch_begin(0)
    <BLANKLINE>
    Epoch 1: LearningRateScheduler setting learning rate to 0.10000000149011612.
    >>> logs = {}; cb.on_epoch_end(0, logs); logs
    {'lr': np.float32(0.1)}
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"schedule must be a function of the epoch (or of the epoch and the current "
                            f"learning rate) returning a float, got {schedule!r}.")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "lr"):
            raise ValueError('Optimizer must have a "lr" attribute.')
        lr = float(K.get_value(self.model.optimizer.lr))
        takes_lr = _accepts_two_arguments(self.schedule)
        if takes_lr is None:        # signature unknown: tf_keras's way
            try:
                lr = self.schedule(epoch, lr)
            except TypeError:
                lr = self.schedule(epoch)
        else:
            lr = self.schedule(epoch, lr) if takes_lr else self.schedule(epoch)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f'The output of the "schedule" function should be float. Got: {lr} '
                             f'({type(lr).__name__}); return a float, e.g. {_as_float_hint(lr)}.')
        K.set_value(self.model.optimizer.lr, lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = K.get_value(self.model.optimizer.lr)


def _accepts_two_arguments(fn):
    """True/False whether ``fn(epoch, lr)`` binds; None if the signature cannot be read."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


def _as_float_hint(value):
    try:
        return f"{float(value)!r}"
    except (TypeError, ValueError):
        return "0.01"
