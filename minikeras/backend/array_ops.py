"""More ``K`` functions from Keras 2's backend: building, scanning, reversing and batch products.

Each works on NumPy arrays and, through NumPy calls the tape records (:mod:`.vjps`), on the
autodiff tape's tensors, so a custom layer or loss written with them is differentiated.

>>> import numpy as np
>>> batch_dot(np.ones((2, 3, 4)), np.ones((2, 4, 5))).shape
(2, 3, 5)
>>> cumsum(np.array([1.0, 2.0, 3.0]))
array([1., 3., 6.])
"""
import numpy as np

from .autodiff import value_of
from .config import floatx


def eye(size, dtype=None, name=None):
    """The identity matrix ``(size, size)`` (or ``(rows, cols)`` for a pair)."""
    rows, cols = (size, size) if np.ndim(size) == 0 else size
    return np.eye(rows, cols, dtype=dtype or floatx())


def arange(start, stop=None, step=1, dtype="int32"):
    """``start, start + step, ...`` below ``stop`` (``arange(n)`` counts from 0), as ``np.arange``."""
    return np.arange(start, stop, step, dtype=dtype) if stop is not None else np.arange(start, dtype=dtype)


def count_params(x):
    """The number of numbers in ``x``."""
    return int(np.size(value_of(x)))


def cumsum(x, axis=0):
    """Running sum along ``axis``."""
    return np.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    """Running product along ``axis`` (no gradient on the tape: ``np.cumprod`` has no rule)."""
    return np.cumprod(x, axis=axis)


def reverse(x, axes):
    """``x`` reversed along ``axes`` (an int or a list of them)."""
    return np.flip(x, axis=tuple(axes) if isinstance(axes, (list, tuple)) else axes)


def repeat(x, n):
    """``(batch, dim)`` -> ``(batch, n, dim)``: every row repeated ``n`` times (Keras's ``K.repeat``)."""
    if np.ndim(x) != 2:
        raise ValueError(f"K.repeat expects a 2-D tensor (batch, dim), got shape {np.shape(x)}.")
    return np.repeat(np.expand_dims(x, 1), n, axis=1)                          # (batch, n, dim)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` along ``axis``, computed as ``m + log(sum(exp(x - m)))`` with ``m`` the max."""
    m = np.max(value_of(x), axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)                  # an all -inf row: log(0) = -inf, not nan
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def batch_dot(x, y, axes=None):
    """Per sample, the product of ``x[i]`` and ``y[i]`` summed over one axis of each (Keras's ``K.batch_dot``).

    Args:
        x: ``(batch, ...)``.
        y: ``(batch, ...)``.
        axes: int or pair ``(axis of x, axis of y)`` to sum over; default the last axis of ``x``
            and the second-to-last of ``y`` (the last if ``y`` is 2-D), a batched matrix product.

    Returns:
        ``(batch,) + x's other axes + y's other axes``; ``(batch, 1)`` when both are 2-D.

    Raises:
        ValueError: for axis 0 (the batch) or axes of different sizes.
    """
    x_rank, y_rank = np.ndim(x), np.ndim(y)
    if axes is None:
        axes = (x_rank - 1, y_rank - 1 if y_rank == 2 else y_rank - 2)
    axes = (axes, axes) if np.ndim(axes) == 0 else tuple(axes)
    ax, ay = (a % rank for a, rank in zip(axes, (x_rank, y_rank)))
    if ax == 0 or ay == 0:
        raise ValueError(f"K.batch_dot cannot sum over the batch axis; got axes={axes}.")
    if np.shape(x)[ax] != np.shape(y)[ay]:
        raise ValueError(f"K.batch_dot: axis {ax} of x {np.shape(x)} and axis {ay} of y {np.shape(y)} differ in size.")
    xm = np.moveaxis(x, ax, -1)                                                 # (batch, *xr, d)
    ym = np.moveaxis(y, ay, 1)                                                  # (batch, d, *yr)
    x_rest, y_rest = np.shape(xm)[1:-1], np.shape(ym)[2:]
    batch, depth = np.shape(xm)[0], np.shape(xm)[-1]
    out = np.reshape(xm, (batch, -1, depth)) @ np.reshape(ym, (batch, depth, -1))  # (batch, X, Y)
    out = np.reshape(out, (batch,) + tuple(x_rest) + tuple(y_rest))
    return np.expand_dims(out, 1) if x_rank == 2 and y_rank == 2 else out      # Keras: (batch, 1)


def identity(x, name=None):
    """A copy of ``x``."""
    return np.copy(x)


def print_tensor(x, message=""):
    """Prints ``message`` and ``x``'s values, then returns ``x`` unchanged."""
    print(message, value_of(x))
    return x


def temporal_padding(x, padding=(1, 1)):
    """Pads axis 1 of ``(batch, steps, features)`` with ``padding = (before, after)`` zeros."""
    return np.pad(x, ((0, 0), tuple(padding), (0, 0)))


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Pads the rows and columns of ``(batch, rows, cols, channels)`` with zeros (channels_last)."""
    if data_format not in (None, "channels_last"):
        raise ValueError("minikeras has no channels_first tensors; K.spatial_2d_padding takes data_format=None.")
    return np.pad(x, ((0, 0), tuple(padding[0]), tuple(padding[1]), (0, 0)))


def is_sparse(x):
    """False: minikeras has no sparse tensors."""
    return False


def to_dense(x):
    """``x`` itself (minikeras has no sparse tensors)."""
    return x


def is_keras_tensor(x):
    """True for a symbolic tensor made by :func:`~minikeras.layers.Input` or a layer call on one."""
    from ..layers.node import KerasTensor   # layers import the backend: look it up when asked
    return isinstance(x, KerasTensor)
