"""Piecewise activations: relu, elu, selu, hard_sigmoid and linear, each with its gradient under it."""
import numpy as np

from .base import _float, on_tape

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@on_tape
def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's leaky slope, ceiling and threshold.

    ``f(x) = x`` where ``x > threshold`` else ``0``; clipped to ``[0, max_value]`` if a
    ``max_value`` is given; then minus ``alpha * max(threshold - x, 0)`` (the leak below
    the threshold). The defaults give ``max(x, 0)``.

    Args:
        x: input array.
        alpha: slope below ``threshold`` (0 = plain ReLU).
        max_value: upper saturation value, or ``None`` for no ceiling.
        threshold: values at or below it are zeroed (or leak with ``alpha``).

    Returns:
        Array of ``x``'s shape and dtype.

    >>> relu(np.array([-10.0, 1.0, 8.0], dtype='float32'), alpha=0.1, max_value=6.0)
    array([-1.,  1.,  6.], dtype=float32)
    """
    x = _float(x)
    y = np.where(x > threshold, x, np.zeros_like(x))
    if max_value is not None:
        y = np.clip(y, 0, max_value).astype(x.dtype)
    if alpha != 0:
        y = y - alpha * np.maximum(threshold - x, 0)
    return y


def _relu_gradient(x, y, dy, alpha=0.0, max_value=None, threshold=0.0):
    """Slope 1 on the identity part, ``alpha`` below the threshold, 0 where clipped."""
    identity = x > threshold
    if max_value is not None:
        identity &= (x > 0) & (x < max_value)
    return dy * (identity + alpha * (x < threshold)).astype(np.result_type(dy))


relu.gradient = _relu_gradient


@on_tape
def linear(x):
    """Identity ``f(x) = x`` (what ``activation=None`` means)."""
    return _float(x)


def _linear_gradient(x, y, dy):
    """``dx = dy``."""
    return dy


linear.gradient = _linear_gradient


@on_tape
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Args:
        x: input array.
        alpha: the negative saturation value is ``-alpha``.
    """
    x = _float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_gradient(x, y, dy, alpha=1.0):
    """1 for ``x > 0``, else ``alpha * exp(x) = y + alpha``."""
    return np.where(x > 0, dy, dy * (y + alpha))


elu.gradient = _elu_gradient


@on_tape
def selu(x):
    """Scaled ELU: ``scale * elu(x, alpha)`` with Klambauer et al.'s constants
    ``alpha = 1.67326...`` and ``scale = 1.05070...``."""
    x = _float(x)
    return _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0)))


def _selu_gradient(x, y, dy):
    """``scale`` for ``x > 0``, else ``scale * alpha * exp(x) = y + scale * alpha``."""
    return np.where(x > 0, _SELU_SCALE * dy, dy * (y + _SELU_SCALE * _SELU_ALPHA))


selu.gradient = _selu_gradient


@on_tape
def hard_sigmoid(x):
    """Piecewise-linear sigmoid of tf_keras 2.x: ``clip(0.2 * x + 0.5, 0, 1)``.

    0 for ``x < -2.5``, 1 for ``x > 2.5``. (Keras 3 uses ``x / 6 + 0.5`` instead.)

    >>> hard_sigmoid(np.array([-3.0, -1.0, 0.0, 1.0, 3.0], dtype='float32'))
    array([0. , 0.3, 0.5, 0.7, 1. ], dtype=float32)
    """
    x = _float(x)
    return np.clip(0.2 * x + 0.5, 0, 1).astype(x.dtype)


def _hard_sigmoid_gradient(x, y, dy):
    """0.2 on ``-2.5 < x < 2.5``, 0 outside."""
    return dy * (0.2 * (np.abs(x) < 2.5)).astype(np.result_type(dy))


hard_sigmoid.gradient = _hard_sigmoid_gradient
