"""Activation layers with parameters: ``LeakyReLU``, ``PReLU``, ``ELU``, ``ThresholdedReLU``, ``ReLU``, ``Softmax``.

All but ``PReLU`` are a fixed function: the forward pass keeps ``x`` and ``y`` and the backward
pass multiplies by the derivative (from :mod:`minikeras.activations` where one exists).
``PReLU`` learns its negative slope ``alpha`` (one per input cell, or shared along ``shared_axes``):

    y = x if x > 0 else alpha * x;   dx = dy * (1 if x > 0 else alpha);   dalpha = sum(dy * min(x, 0))
"""
import functools

import numpy as np

from .. import activations, initializers, regularizers
from .base import Layer


class _Elementwise(Layer):
    """A fixed activation ``self._fn`` (set by ``__init__``) with its gradient."""

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    def _function(self):
        return self._fn

    def call(self, inputs, training=False):
        self._z = inputs                                                    # (B, ...)
        self._y = self._function()(inputs)                                 # (B, ...)
        return self._y

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return activations.gradient(self._function())(self._z, self._y, grad_output)  # (B, ...)


class LeakyReLU(_Elementwise):
    """``y = x`` for ``x > 0``, ``alpha * x`` otherwise (Keras ``keras.layers.LeakyReLU``, alpha 0.3).

    Args:
        alpha: the slope for negative inputs.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> LeakyReLU()(np.array([[-2.0, 1.0]]))
    array([[-0.6,  1. ]])
    """

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _number(alpha, "alpha", self)

    def _function(self):
        return functools.partial(activations.relu, alpha=self.alpha)

    def get_config(self):
        return dict(super().get_config(), alpha=self.alpha)


class ELU(_Elementwise):
    """``y = x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise (Keras ``keras.layers.ELU``).

    Args:
        alpha: ``-alpha`` is the limit for very negative inputs.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> ELU()(np.array([[-2.0, 1.0]])).round(5)
    array([[-0.86466,  1.     ]])
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _number(alpha, "alpha", self)

    def _function(self):
        return functools.partial(activations.elu, alpha=self.alpha)

    def get_config(self):
        return dict(super().get_config(), alpha=self.alpha)


class ReLU(_Elementwise):
    """``y = min(x, max_value)`` where ``x > threshold``, else ``negative_slope * (x - threshold)``.

    Keras counterpart: ``keras.layers.ReLU``.

    Args:
        max_value: the ceiling (None = none).
        negative_slope: slope below the threshold.
        threshold: inputs at or below it are zeroed (or leak).
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a negative ``max_value`` or ``negative_slope``.

    >>> ReLU(max_value=6.0)(np.array([[-1.0, 7.0]]))
    array([[0., 6.]])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        max_value = None if max_value is None else _number(max_value, "max_value", self)
        negative_slope = _number(negative_slope, "negative_slope", self)
        if (max_value is not None and max_value < 0) or negative_slope < 0:
            raise ValueError(f"ReLU: max_value and negative_slope must be >= 0; got max_value={max_value!r}, "
                             f"negative_slope={negative_slope!r}.")
        super().__init__(**kwargs)
        self.max_value, self.negative_slope = max_value, negative_slope
        self.threshold = _number(threshold, "threshold", self)

    def _function(self):
        return functools.partial(activations.relu, alpha=self.negative_slope, max_value=self.max_value,
                                 threshold=self.threshold)

    def get_config(self):
        return dict(super().get_config(), max_value=self.max_value, negative_slope=self.negative_slope,
                    threshold=self.threshold)


class ThresholdedReLU(_Elementwise):
    """``y = x`` where ``x > theta``, else 0 (Keras ``keras.layers.ThresholdedReLU``).

    Args:
        theta: the threshold.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> ThresholdedReLU()(np.array([[1.0, 1.5]]))
    array([[0. , 1.5]])
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = _number(theta, "theta", self)

    def call(self, inputs, training=False):
        self._z = inputs                                                    # (B, ...)
        return inputs * (inputs > self.theta)                              # (B, ...)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output * (self._z > self.theta)                        # (B, ...)

    def get_config(self):
        return dict(super().get_config(), theta=self.theta)


class Softmax(_Elementwise):
    """Softmax along ``axis`` (Keras ``keras.layers.Softmax``).

    Called with a ``mask`` (1 = keep, broadcast against the input as NumPy does), the masked cells
    get a logit of ``-1e9`` first, so their probability is 0 and the others share all of it.

    Args:
        axis: the axis that sums to 1.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> Softmax()(np.array([[0.0, 0.0]]))
    array([[0.5, 0.5]])
    >>> Softmax()(np.array([[1.0, 2.0, 3.0]]), mask=np.array([[1, 1, 0]])).round(3)
    array([[0.269, 0.731, 0.   ]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _function(self):
        return functools.partial(activations.softmax, axis=self.axis)

    def call(self, inputs, training=False, mask=None):
        if mask is not None:   # as tf_keras: a masked cell's logit gets -1e9, so its probability is ~0
            inputs = inputs + (1 - np.asarray(mask, inputs.dtype)) * np.asarray(-1e9, inputs.dtype)
        return super().call(inputs, training)                       # dx = dy through the constant shift

    def get_config(self):
        return dict(super().get_config(), axis=self.axis)


class PReLU(Layer):
    """Leaky ReLU with a learned slope ``alpha`` (Keras ``keras.layers.PReLU``).

    ``alpha`` has the input's shape without the batch axis, with length 1 along ``shared_axes``
    (e.g. ``shared_axes=[1, 2]`` for images: one slope per channel).

    Args:
        alpha_initializer: initializer of ``alpha`` (zeros: starts as a ReLU).
        alpha_regularizer: optional penalty on ``alpha``.
        shared_axes: axes (1-based, batch excluded counts as 0) along which ``alpha`` is shared.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> layer = PReLU(alpha_initializer='ones')
    >>> layer(np.array([[-2.0, 3.0]]))
    array([[-2.,  3.]])
    """

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    _CACHE = Layer._CACHE

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.shared_axes = None if shared_axes is None else \
            [int(shared_axes)] if isinstance(shared_axes, (int, np.integer)) else [int(a) for a in shared_axes]

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(f"Layer {self.name!r} (PReLU): shared_axes {self.shared_axes} must be in "
                                 f"1..{len(input_shape) - 1} for input shape {tuple(input_shape)}.")
            shape[axis - 1] = 1
        self.alpha = self.add_weight("alpha", tuple(shape), initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer)

    def call(self, inputs, training=False):
        self._z = inputs                                                    # (B, ...)
        return np.where(inputs > 0, inputs, self.alpha * inputs).astype(inputs.dtype)  # alpha: (...) broadcast

    def backward(self, grad_output, input_grad=True):
        x = self._z                                                         # (B, ...)
        dalpha = (grad_output * np.minimum(x, 0)).sum(axis=0)               # (...) summed over the batch
        shared = tuple(a - 1 for a in self.shared_axes or [])
        self.grads = [dalpha.sum(axis=shared, keepdims=True) if shared else dalpha] if self.trainable else []
        self._add_regularization_grads()
        if not input_grad:
            return None
        return np.where(x > 0, grad_output, self.alpha * grad_output)      # (B, ...)

    def get_config(self):
        config = super().get_config()
        config.update({"alpha_initializer": initializers.serialize(self.alpha_initializer),
                       "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                       "shared_axes": self.shared_axes})
        return config


def _number(value, argument, layer):
    """``value`` as a float; a ValueError naming the layer and ``argument`` for anything but a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
        raise ValueError(f"{type(layer).__name__}: {argument} must be a finite number, got {value!r}.")
    return float(value)
