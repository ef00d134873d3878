"""Weight constraints: projections applied to a weight after every optimizer update.

``Dense(4, kernel_constraint=max_norm(2.))`` rescales each column of the kernel (the weights
into one unit, ``axis=0``) whose L2 norm ``n`` exceeds 2. The formulas are Keras's, with
``eps = K.epsilon()``:

* ``max_norm``:     ``w * clip(n, 0, max_value) / (eps + n)``
* ``non_neg``:      ``w * (w >= 0)``
* ``unit_norm``:    ``w / (eps + n)``
* ``min_max_norm``: ``w * (rate * clip(n, min_value, max_value) + (1 - rate) * n) / (eps + n)``

>>> import numpy as np
>>> MaxNorm(2.0)(np.array([[3.0], [4.0]], dtype='float32')).ravel().round(4)
array([1.2, 1.6], dtype=float32)
"""
import numpy as np

from . import backend
from .utils.generic_utils import custom_object


def _norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: ``constraint(w)`` returns the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self):
        """Returns the constructor arguments."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates the constraint from :meth:`get_config`'s output."""
        return cls(**config)


class MaxNorm(Constraint):
    """Caps the L2 norm of the weights along ``axis`` at ``max_value``.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norm is taken over; 0 = per output unit of a Dense kernel.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        n = _norms(w, self.axis)
        return (w * (np.clip(n, 0, self.max_value) / (backend.epsilon() + n))).astype(w.dtype)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        return (w * (w >= 0)).astype(w.dtype)


class UnitNorm(Constraint):
    """Scales the weights along ``axis`` to unit L2 norm.

    Args:
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return (w / (backend.epsilon() + _norms(w, self.axis))).astype(w.dtype)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Keeps the L2 norm along ``axis`` in ``[min_value, max_value]``, moving it a fraction ``rate``.

    Args:
        min_value: the smallest norm.
        max_value: the largest norm.
        rate: 1.0 projects at once; smaller values move part of the way.
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        n = _norms(w, self.axis)
        desired = self.rate * np.clip(n, self.min_value, self.max_value) + (1 - self.rate) * n
        return (w * (desired / (backend.epsilon() + n))).astype(w.dtype)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
maxnorm, nonneg, unitnorm = MaxNorm, NonNeg, UnitNorm  # Keras 2's older spellings

#: Every constraint by the names Keras accepts.
CONSTRAINTS = {
    "MaxNorm": MaxNorm, "max_norm": MaxNorm, "maxnorm": MaxNorm,
    "NonNeg": NonNeg, "non_neg": NonNeg, "nonneg": NonNeg,
    "UnitNorm": UnitNorm, "unit_norm": UnitNorm, "unitnorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm, "min_max_norm": MinMaxNorm,
}


def get(identifier):
    """Turns ``None``, a name, a ``{'class_name', 'config'}`` dict or a callable into a constraint.

    Args:
        identifier: what a layer's ``kernel_constraint`` received.

    Raises:
        ValueError: for an unknown name.
        TypeError: for anything else.

    >>> get('non_neg').get_config()
    {}
    """
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        custom = custom_object(identifier, instantiate=True)
        if custom is not None:
            return custom
        if identifier not in CONSTRAINTS:
            raise ValueError(f"Unknown constraint: {identifier!r}. Valid names are {sorted(CONSTRAINTS)}.")
        return CONSTRAINTS[identifier]()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret constraint identifier: {identifier!r}; pass a name such as "
                    f"'max_norm', a Constraint or a function w -> w.")


def serialize(constraint):
    """Returns ``{'class_name': ..., 'config': ...}`` (None for None), as tf_keras writes configs."""
    if constraint is None:
        return None
    if not isinstance(constraint, Constraint):
        raise TypeError(f"Cannot serialize constraint {constraint!r}: expected a Constraint instance.")
    return {"class_name": type(constraint).__name__, "config": constraint.get_config()}


def deserialize(config):
    """Inverse of :func:`serialize`.

    Args:
        config: ``{'class_name': ..., 'config': {...}}`` or a name.

    Raises:
        ValueError: for an unknown class name.
    """
    if isinstance(config, str):
        return get(config)
    name = config.get("class_name") if isinstance(config, dict) else None
    if name not in CONSTRAINTS:
        raise ValueError(f"Unknown constraint class: {name!r}; known: {sorted(CONSTRAINTS)}.")
    return CONSTRAINTS[name].from_config(dict(config.get("config") or {}))
