"""``Loss``: the base class of loss objects (Keras's ``keras.losses.Loss``).

Subclass it and write ``call(y_true, y_pred)`` returning one loss per sample, with ``K`` ops:
minikeras differentiates it with the autodiff tape. Calling the object reduces those values to
one number, the mean over the batch (tf_keras's ``'sum_over_batch_size'``) or their sum.

>>> import numpy as np
>>> from minikeras import backend as K
>>> class Quartic(Loss):
...     def call(self, y_true, y_pred):
...         return K.mean(K.square(K.square(y_pred - y_true)), axis=-1)
>>> float(Quartic()(np.zeros((2, 1)), np.array([[1.0], [2.0]])))
8.5
"""
import numpy as np

_REDUCTIONS = ("auto", "sum_over_batch_size", "sum", "none")


class Loss:
    """Base class: ``call`` computes per-sample losses; ``__call__`` weights and reduces them.

    Args:
        reduction: ``'auto'``/``'sum_over_batch_size'`` (mean), ``'sum'`` or ``'none'``.
        name: the loss's name (default: the class name in snake case).

    Raises:
        ValueError: for another reduction.
    """

    def __init__(self, reduction="auto", name=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Invalid reduction {reduction!r}; use one of {_REDUCTIONS}.")
        self.reduction = reduction
        self.name = name or type(self).__name__
        self.__name__ = self.name

    def call(self, y_true, y_pred):
        """Returns one loss per sample; subclasses write it.

        Raises:
            NotImplementedError: in the base class.
        """
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred).")

    def __call__(self, y_true, y_pred, sample_weight=None):
        values = self.call(y_true, y_pred)
        if sample_weight is not None:
            values = values * np.reshape(sample_weight, (-1,) + (1,) * (np.ndim(values) - 1))
        if self.reduction == "none":
            return values
        total = np.sum(values)
        return total if self.reduction == "sum" else total / np.size(values)

    def get_config(self):
        """Returns ``{'reduction': ..., 'name': ...}``."""
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        """Creates the loss from :meth:`get_config`'s output."""
        return cls(**config)
