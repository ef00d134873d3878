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
    if alpha == 0 and max_value is None and threshold == 0:
        return np.maximum(x, 0, dtype=x.dtype)  # the common case, in one pass
    y = np.where(x > threshold, x, np.zeros_like(x))
    if max_value is not None:
        y = np.clip(y, 0, max_value).astype(x.dtype)
    if alpha != 0:
        y = y - alpha * np.maximum(threshold - x, 0)
    return y


def _relu_gradient(x, y, dy, alpha=0.0, max_value=None, threshold=0.0):
    """Slope 1 on the identity part, ``alpha`` below the threshold, 0 where clipped.

    At the kinks (``x == threshold``, ``x == 0``, ``x == max_value``) the slope is the one
    tf_keras 2.21's ``tf.GradientTape`` gives, which depends on which TensorFlow ops its
    ``relu`` uses (measured; ``tests/test_activations.py`` checks every case):

    * ``alpha != 0``, no ``max_value``, ``threshold == 0``: ``tf.nn.leaky_relu``, slope
      ``alpha`` at 0;
    * ``threshold != 0``: ``x * (x > threshold)``, slope 0 at the threshold;
      ``max_value == 6`` and ``threshold == 0``: ``relu6``, slope 0 at 0 and at 6;
      otherwise ``relu``, slope 0 at 0;
    * then a ``max_value`` (other than relu6's) clips with ``clip_by_value``, whose slope is 1
      *including* both ends: slope 1 at ``x == max_value``;
    * the leak ``alpha * relu(threshold - x)`` adds ``alpha`` strictly below the threshold.
    """
    if alpha == 0 and max_value is None and threshold == 0:    # plain relu, the common case: one pass
        return np.multiply(dy, x > 0, dtype=np.result_type(dy))
    if alpha != 0 and max_value is None and threshold == 0:    # tf.nn.leaky_relu
        return dy * np.where(x > 0, 1, alpha).astype(np.result_type(dy))
    if threshold != 0:
        slope = x > threshold
        part = np.where(slope, x, 0)
    elif max_value is not None and max_value == 6:              # tf.nn.relu6: no clip after it
        slope, max_value = (x > 0) & (x < 6), None
    else:
        slope, part = x > 0, np.maximum(x, 0)
    if max_value is not None:                                   # clip_by_value: ends included
        slope = slope & (part >= 0) & (part <= max_value)
    return dy * (slope + alpha * (x < threshold)).astype(np.result_type(dy))


relu.gradient = _relu_gradient


@on_tape
def linear(x):
    """Identity ``f(x) = x`` (what ``activation=None`` means): returns ``x`` itself, whatever it is, as Keras.

    >>> linear(None), linear(3)
    (None, 3)
    """
    return x


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
    """``scale`` for ``y >= 0``, else ``scale * alpha * exp(x) = y + scale * alpha``.

    At ``x = 0`` the slope is ``scale`` (TensorFlow's ``SeluGrad`` tests the output ``y < 0``),
    not the left limit ``scale * alpha``.
    """
    return np.where(y < 0, dy * (y + _SELU_SCALE * _SELU_ALPHA), _SELU_SCALE * dy)


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
    """0.2 where ``0 <= 0.2 * x + 0.5 <= 1`` (ends included: 0.2 at ``x = -2.5`` and ``2.5``,
    as tf_keras's ``clip_by_value``), 0 outside."""
    z = 0.2 * x + 0.5
    return dy * (0.2 * ((z >= 0) & (z <= 1))).astype(np.result_type(dy))


hard_sigmoid.gradient = _hard_sigmoid_gradient
