"""Weight penalties added to the loss: ``l1 * sum(|w|) + l2 * sum(w**2)``.

A layer built with ``kernel_regularizer='l2'`` adds ``reg(kernel)`` to the training loss and
``reg.gradient(kernel)`` to the kernel's gradient. As in tf_keras, the factors are stored as
``backend.floatx()`` numbers, so ``L2(0.01).get_config()`` is ``{'l2': 0.009999999776482582}``.

>>> import numpy as np
>>> w = np.array([[1.0, -2.0]], dtype='float32')
>>> L1L2(l1=0.5, l2=0.25)(w)
2.75
>>> L1L2(l1=0.5, l2=0.25).gradient(w)
array([[ 1. , -1.5]], dtype=float32)
"""
import math

import numpy as np

from minikeras import backend
from .utils.generic_utils import custom_object


def _check_factor(name, value, default):
    """Returns ``value`` (``default`` for ``None``) as a floatx number, refusing NaN/inf/non-numbers."""
    value = default if value is None else value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"`{name}` must be an int or float regularization factor, got {value!r}.")
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}.")
    return np.dtype(backend.floatx()).type(value)


class Regularizer:
    """Base class: a callable ``weights -> float penalty`` with ``gradient(weights) -> array``."""

    def __call__(self, weights):
        """Returns the penalty (0.0 for the base class)."""
        return 0.0

    def gradient(self, weights):
        """Returns ``d penalty / d weights`` (zeros for the base class)."""
        return np.zeros_like(weights)

    def get_config(self):
        """Returns the constructor arguments as a dict."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_config().")

    @classmethod
    def from_config(cls, config):
        """Builds the regularizer from ``get_config()``'s dict."""
        return cls(**config)


class L1L2(Regularizer):
    """Both penalties: ``l1 * sum(|w|) + l2 * sum(w**2)``.

    Args:
        l1: L1 factor (``None`` means 0).
        l2: L2 factor (``None`` means 0).

    Raises:
        ValueError: if a factor is not a finite number.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("l1", l1, 0.0)
        self.l2 = _check_factor("l2", l2, 0.0)

    def __call__(self, weights):
        """Returns the penalty as a Python float (computed in the weights' dtype).

        Args:
            weights: array of any shape.
        """
        w = np.asarray(weights)
        penalty = np.zeros((), dtype=np.result_type(w.dtype, self.l1))
        if self.l1:
            penalty += self.l1 * np.sum(np.abs(w))
        if self.l2:
            penalty += self.l2 * np.sum(np.square(w))
        return float(penalty)

    def gradient(self, weights):
        """Returns ``l1 * sign(w) + 2 * l2 * w``, of the weights' shape (0 at ``w = 0`` for L1).

        Args:
            weights: array of any shape.
        """
        w = np.asarray(weights)
        grad = np.zeros_like(w, dtype=np.result_type(w.dtype, self.l1))
        if self.l1:
            grad += self.l1 * np.sign(w)
        if self.l2:
            grad += 2 * self.l2 * w
        return grad

    def get_config(self):
        return {"l1": float(self.l1), "l2": float(self.l2)}


class L1(L1L2):
    """L1 penalty ``l1 * sum(|w|)``; subgradient ``l1 * sign(w)``.

    Args:
        l1: the factor (``None`` means the default 0.01).
    """

    def __init__(self, l1=0.01):
        super().__init__(l1=_check_factor("l1", l1, 0.01), l2=0.0)

    def get_config(self):
        return {"l1": float(self.l1)}


class L2(L1L2):
    """L2 penalty ``l2 * sum(w**2)``; gradient ``2 * l2 * w``.

    Args:
        l2: the factor (``None`` means the default 0.01).
    """

    def __init__(self, l2=0.01):
        super().__init__(l1=0.0, l2=_check_factor("l2", l2, 0.01))

    def get_config(self):
        return {"l2": float(self.l2)}


# Keras's lowercase shortcuts: ``l1``/``l2`` are the classes themselves.
l1 = L1
l2 = L2


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811 - Keras's argument names
    """Returns ``L1L2(l1, l2)``; unlike the class, both factors default to 0.01.

    Args:
        l1: L1 factor.
        l2: L2 factor.

    Returns:
        An :class:`L1L2`.
    """
    return L1L2(l1=l1, l2=l2)


# The one table of names. Note 'l1_l2' gives factors 0.01 but 'L1L2' gives 0, as in tf_keras.
REGULARIZERS = {
    "l1": L1, "L1": L1,
    "l2": L2, "L2": L2,
    "l1_l2": l1_l2, "L1L2": L1L2,
}


def get(identifier):
    """Turns a regularizer identifier into a regularizer, as layer constructors do.

    Args:
        identifier: ``None``; a name from :data:`REGULARIZERS`; a
            ``{'class_name': ..., 'config': ...}`` dict; a regularizer or any callable.

    Returns:
        The regularizer (``None`` for ``None``).

    Raises:
        ValueError: for an unknown name.
        TypeError: for any other kind of identifier.

    >>> get('l2').get_config()
    {'l2': 0.009999999776482582}
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        custom = custom_object(identifier, instantiate=True)
        if custom is not None:
            return custom
        if identifier not in REGULARIZERS:
            raise ValueError(f"Unknown regularizer: {identifier!r}. Valid names are "
                             f"{sorted(REGULARIZERS)}.")
        return REGULARIZERS[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret regularizer identifier: {identifier!r}. "
                    "Pass 'l1', 'l2', 'l1_l2', a config dict or a Regularizer.")


def serialize(regularizer):
    """Returns ``{'class_name': ..., 'config': ...}`` as tf_keras writes it into ``.h5`` configs; a
    plain function gives its name, as Keras 2.2.4 saved it (load it back with ``custom_objects``).

    >>> serialize(L1(0.5))
    {'class_name': 'L1', 'config': {'l1': 0.5}}
    """
    if regularizer is None:
        return None
    if not isinstance(regularizer, Regularizer) and callable(regularizer) and hasattr(regularizer, "__name__"):
        return regularizer.__name__
    if not isinstance(regularizer, Regularizer):
        raise TypeError(f"Cannot serialize {regularizer!r}: expected a Regularizer instance or a function.")
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config):
    """Inverse of :func:`serialize`.

    Args:
        config: ``{'class_name': ..., 'config': {...}}`` (extra keys such as ``'module'`` are
            ignored) or a name.

    Raises:
        ValueError: for an unknown class name or a dict without ``'class_name'``.
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A regularizer config must be a dict with a 'class_name' key, got {config!r}.")
    name = config["class_name"]
    if name not in REGULARIZERS or not isinstance(REGULARIZERS[name], type):
        raise ValueError(f"Unknown regularizer class: {name!r}. Valid class names are 'L1', 'L2', 'L1L2'.")
    return REGULARIZERS[name].from_config(dict(config.get("config") or {}))
