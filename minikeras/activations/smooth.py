"""Smooth activations: softmax, sigmoid, tanh, softplus, softsign, exponential, each with its gradient under it."""
import numpy as np

from .base import _float, on_tape


@on_tape
def softmax(x, axis=-1):
    """Softmax: ``exp(x) / sum(exp(x), axis)``, computed as ``exp(x - max(x))`` to avoid overflow.

    Args:
        x: array of rank 2 or more (Keras refuses 1-D input).
        axis: the axis (or tuple of axes) that sums to 1.

    Returns:
        Array of ``x``'s shape, non-negative, summing to 1 along ``axis``.

    Raises:
        ValueError: if ``x`` is 1-D (add a batch axis: ``x[None]``).

    >>> softmax(np.array([[1.0, 2.0, 3.0]], dtype='float32')).round(4)
    array([[0.09  , 0.2447, 0.6652]], dtype=float32)
    """
    x = _float(x)
    if x.ndim <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D (shape {x.shape}). "
                         "Add a batch axis, e.g. softmax(x[None]).")
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_gradient(x, y, dy, axis=-1):
    """Jacobian-vector product: ``dx = y * (dy - sum(dy * y, axis))``."""
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True))


softmax.gradient = _softmax_gradient


@on_tape
def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, evaluated without overflow for large ``|x|``."""
    x = _float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_gradient(x, y, dy):
    """``dx = dy * y * (1 - y)``."""
    return dy * y * (1 - y)


sigmoid.gradient = _sigmoid_gradient


@on_tape
def tanh(x):
    """Hyperbolic tangent."""
    return np.tanh(_float(x))


def _tanh_gradient(x, y, dy):
    """``dx = dy * (1 - y**2)``."""
    return dy * (1 - y * y)


tanh.gradient = _tanh_gradient


@on_tape
def softplus(x):
    """``log(1 + exp(x))``, computed as ``max(x, 0) + log1p(exp(-|x|))`` to avoid overflow."""
    x = _float(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _softplus_gradient(x, y, dy):
    """``dx = dy * sigmoid(x)``."""
    return dy * sigmoid(x)


softplus.gradient = _softplus_gradient


@on_tape
def softsign(x):
    """``x / (1 + |x|)``."""
    x = _float(x)
    return x / (1 + np.abs(x))


def _softsign_gradient(x, y, dy):
    """``dx = dy / (1 + |x|)**2``."""
    return dy / np.square(1 + np.abs(x))


softsign.gradient = _softsign_gradient


@on_tape
def exponential(x):
    """``exp(x)``."""
    return np.exp(_float(x))


def _exponential_gradient(x, y, dy):
    """``dx = dy * y``."""
    return dy * y


exponential.gradient = _exponential_gradient

# The one table that turns ``activation='relu'`` into a function.
