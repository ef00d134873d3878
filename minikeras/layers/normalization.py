"""``BatchNormalization`` and ``LayerNormalization``: normalize, then scale and shift.

Both compute ``x_hat = (x - mean) / sqrt(var + epsilon)`` and ``y = gamma * x_hat + beta``;
they differ in *which* axes the statistics run over. Batch norm averages over the batch (and
every axis but ``axis``); layer norm over the feature axes of each sample.

The backward pass through the statistics, for the ``n`` values ``x_i`` sharing one mean/variance:

    dx_hat = dy * gamma
    dx     = (n * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat)) / (n * sqrt(var + epsilon))
"""
import numpy as np

from .. import backend as K, initializers, regularizers
from .base import Layer


def _axes(axis, rank, layer):
    """Normalizes ``axis`` (int or list, may be negative) to a sorted tuple of non-negative axes."""
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    out = []
    for a in axes:
        if not -rank <= a < rank or a % rank == 0:
            raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}): axis {axis!r} is out of range for an "
                             f"input of rank {rank} (the batch axis 0 cannot be normalized over).")
        out.append(int(a) % rank)
    return tuple(sorted(out))


class _Normalization(Layer):
    """Shared code: ``gamma``/``beta`` weights, the scale-and-shift forward and backward."""

    supports_masking = True   # the mask passes on (batch norm also uses it for its statistics)

    _CACHE = Layer._CACHE + ("_x_hat", "_inv_std", "_batch_stats", "_weights_of_stats")

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, (int, np.integer)) else list(axis)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def _build_scale_shift(self, input_shape, param_shape):
        self._param_axes = _axes(self.axis, len(input_shape), self)
        self.gamma = self.add_weight("gamma", param_shape, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer) if self.scale else None
        self.beta = self.add_weight("beta", param_shape, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer) if self.center else None

    def _broadcast(self, w, ndim):
        """Reshapes a weight of the ``axis`` axes to broadcast against an input of rank ``ndim``."""
        shape = [1] * ndim
        for k, a in enumerate(self._param_axes):
            shape[a] = w.shape[k]
        return w.reshape(shape)                                                  # (1, ..., C)

    def _scale_shift(self, x_hat):
        y = x_hat * self._broadcast(self.gamma, x_hat.ndim) if self.scale else x_hat   # (B, ..., C)
        return y + self._broadcast(self.beta, x_hat.ndim) if self.center else y

    def _scale_shift_backward(self, dy, reduce_axes):
        """Fills ``self.grads`` (gamma, beta) and returns ``dL/dx_hat``."""
        self.grads = []
        if self.scale:
            self.grads.append(np.sum(dy * self._x_hat, axis=reduce_axes).reshape(self.gamma.shape))  # dgamma
        if self.center:
            self.grads.append(np.sum(dy, axis=reduce_axes).reshape(self.beta.shape))                 # dbeta
        if not self.trainable:
            self.grads = []
        self._add_regularization_grads()
        return dy * self._broadcast(self.gamma, dy.ndim) if self.scale else dy                       # dx_hat

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
        })
        return config


def _stats_backward(dx_hat, x_hat, inv_std, axes, weights=None):
    """``dL/dx`` through ``x_hat = (x - mean(x)) * inv_std`` (mean and variance over ``axes``).

    With ``weights`` ``w`` (a mask), mean and variance are ``sum(w x) / n`` and
    ``sum(w (x - mean)^2) / n`` with ``n = sum(w)``, and each ``x_i`` moves them in proportion to
    ``w_i``: ``dx_i = inv_std * (dx_hat_i - w_i / n * (sum(dx_hat) + x_hat_i * sum(dx_hat * x_hat)))``.
    """
    if weights is None:
        n, w = np.prod([dx_hat.shape[a] for a in axes]), 1
    else:
        n, w = np.maximum(np.broadcast_to(weights, dx_hat.shape).sum(axis=axes, keepdims=True), 1), weights
    sum_d = dx_hat.sum(axis=axes, keepdims=True)                                      # (1, ..., C)
    sum_dx = (dx_hat * x_hat).sum(axis=axes, keepdims=True)                           # (1, ..., C)
    return (dx_hat - w * (sum_d / n) - w * x_hat * (sum_dx / n)) * inv_std             # (B, ..., C)


def _weighted_moments(x, axes, weights):
    """Mean and biased variance over ``axes`` counting ``x_i`` ``weights_i`` times (tf.nn.weighted_moments)."""
    n = np.broadcast_to(weights, x.shape).sum(axis=axes, keepdims=True)               # (1, ..., C)
    mean = (weights * x).sum(axis=axes, keepdims=True) / np.maximum(n, 1)             # (1, ..., C)
    var = (weights * (x - mean) ** 2).sum(axis=axes, keepdims=True) / np.maximum(n, 1)
    return mean.astype(x.dtype), var.astype(x.dtype)


class BatchNormalization(_Normalization):
    """Normalizes each channel with the batch's statistics in training, moving averages at inference.

    Keras counterpart: ``keras.layers.BatchNormalization``. In training (inside ``fit``):
    ``y = gamma * (x - mean_B) / sqrt(var_B + epsilon) + beta`` with the batch's biased variance, and
    ``moving = moving * momentum + batch_stat * (1 - momentum)``. As in tf_keras, the *unbiased*
    batch variance feeds ``moving_variance`` for 4-D/5-D inputs normalized on the last axis (TensorFlow's
    fused kernel), the biased one otherwise. At inference (and always when ``trainable=False``)
    the moving statistics are used and nothing is updated. Given a mask (e.g. ``(B, T)`` after
    ``Embedding(mask_zero=True)``), the batch statistics count only the unmasked steps, as tf_keras's
    non-fused kernel does (weighted moments; gradients through them). Weights: ``gamma, beta`` (trainable),
    ``moving_mean, moving_variance`` (non-trainable, never touched by the optimizer).

    Args:
        axis: the channel axis (int or list); statistics run over every other axis.
        momentum: weight of the old value in the moving averages.
        epsilon: added to the variance.
        center: learn ``beta``.
        scale: learn ``gamma``.
        beta_initializer: initializer of ``beta``.
        gamma_initializer: initializer of ``gamma``.
        moving_mean_initializer: initializer of ``moving_mean``.
        moving_variance_initializer: initializer of ``moving_variance``.
        beta_regularizer: optional penalty on ``beta``.
        gamma_regularizer: optional penalty on ``gamma``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``axis`` is out of range for the input.

    >>> bn = BatchNormalization()
    >>> bn(np.array([[0.0], [2.0]]), training=True).round(4)[:, 0]   # (x - 1) / sqrt(1 + 0.001)
    array([-0.9995,  0.9995])
    >>> bn.moving_mean
    array([0.01], dtype=float32)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, **kwargs)
        self.momentum = float(momentum)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        axes = _axes(self.axis, len(input_shape), self)
        shape = tuple(input_shape[a] for a in axes)
        if any(s is None for s in shape):
            raise ValueError(f"Layer {self.name!r} (BatchNormalization): axis {self.axis} of input shape "
                             f"{tuple(input_shape)} must have a known size.")
        self._build_scale_shift(input_shape, shape)
        self.moving_mean = self.add_weight("moving_mean", shape, initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape, initializer=self.moving_variance_initializer,
                                               trainable=False)
        rank = len(input_shape)
        self._fused = rank in (4, 5) and axes in ((rank - 1,), (1,))   # tf_keras's fused kernel

    def call(self, inputs, training=False, mask=None):
        axes = tuple(a for a in range(inputs.ndim) if a not in self._param_axes)       # reduced axes
        self._batch_stats = bool(training) and self.trainable
        # As tf_keras: a mask of shape inputs.shape[:-1] (e.g. (B, T) from Embedding(mask_zero=True))
        # keeps masked steps out of the batch statistics; TensorFlow's fused kernel ignores it.
        self._weights_of_stats = None if mask is None or self._fused else \
            np.asarray(mask, inputs.dtype)[..., None]                                  # (B, T, 1)
        if self._batch_stats:
            if self._weights_of_stats is not None:
                mean, var = _weighted_moments(inputs, axes, self._weights_of_stats)    # (1, ..., C) each
            else:
                mean = inputs.mean(axis=axes, keepdims=True)                            # (1, ..., C)
                var = inputs.var(axis=axes, keepdims=True)                              # (1, ..., C) biased
            n = inputs.size // mean.size
            update_var = var * (n / max(n - 1, 1)) if self._fused else var
            m = np.asarray(self.momentum, self.dtype)
            mean_c, var_c = K.stop_gradient(mean), K.stop_gradient(update_var)         # (1, ..., C) values only
            self.moving_mean[...] = self.moving_mean * m + mean_c.reshape(self.moving_mean.shape) * (1 - m)
            self.moving_variance[...] = self.moving_variance * m + var_c.reshape(self.moving_variance.shape) * (1 - m)
        else:
            mean = self._broadcast(self.moving_mean, inputs.ndim)                       # (1, ..., C)
            var = self._broadcast(self.moving_variance, inputs.ndim)                    # (1, ..., C)
        self._inv_std = (1.0 / np.sqrt(var + self.epsilon)).astype(inputs.dtype)        # (1, ..., C)
        self._x_hat = (inputs - mean) * self._inv_std                                   # (B, ..., C)
        return self._scale_shift(self._x_hat).astype(inputs.dtype, copy=False)          # (B, ..., C)

    def backward(self, grad_output, input_grad=True):
        axes = tuple(a for a in range(grad_output.ndim) if a not in self._param_axes)
        dx_hat = self._scale_shift_backward(grad_output, axes)                           # (B, ..., C)
        if not input_grad:
            return None
        if not self._batch_stats:                          # constants at inference: a per-channel scale
            return dx_hat * self._inv_std                                                # (B, ..., C)
        return _stats_backward(dx_hat, self._x_hat, self._inv_std, axes, self._weights_of_stats)  # (B, ..., C)

    def get_config(self):
        config = super().get_config()
        config.update({
            "momentum": self.momentum,
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
        })
        return config


class LayerNormalization(_Normalization):
    """Normalizes each sample over its feature axes (Keras ``keras.layers.LayerNormalization``).

    ``y = gamma * (x - mean) / sqrt(var + epsilon) + beta``, mean and (biased) variance over
    ``axis`` for each sample; the same in training and inference. ``gamma``/``beta`` have the
    shape of the ``axis`` axes.

    Args:
        axis: the feature axis or axes (int or list).
        epsilon: added to the variance.
        center: learn ``beta``.
        scale: learn ``gamma``.
        beta_initializer: initializer of ``beta``.
        gamma_initializer: initializer of ``gamma``.
        beta_regularizer: optional penalty on ``beta``.
        gamma_regularizer: optional penalty on ``gamma``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``axis`` is out of range for the input.

    >>> LayerNormalization()(np.array([[1.0, 3.0]])).round(4)   # (x - 2) / sqrt(1 + 0.001)
    array([[-0.9995,  0.9995]])
    """

    def build(self, input_shape):
        axes = _axes(self.axis, len(input_shape), self)
        self._build_scale_shift(input_shape, tuple(input_shape[a] for a in axes))

    def call(self, inputs, training=False):
        axes = self._param_axes
        mean = inputs.mean(axis=axes, keepdims=True)                                   # (B, ..., 1)
        var = inputs.var(axis=axes, keepdims=True)                                     # (B, ..., 1) biased
        self._inv_std = (1.0 / np.sqrt(var + self.epsilon)).astype(inputs.dtype)       # (B, ..., 1)
        self._x_hat = (inputs - mean) * self._inv_std                                  # (B, ..., C)
        return self._scale_shift(self._x_hat).astype(inputs.dtype, copy=False)         # (B, ..., C)

    def backward(self, grad_output, input_grad=True):
        batch_axes = tuple(a for a in range(grad_output.ndim) if a not in self._param_axes)
        dx_hat = self._scale_shift_backward(grad_output, batch_axes)                    # (B, ..., C)
        if not input_grad:
            return None
        return _stats_backward(dx_hat, self._x_hat, self._inv_std, self._param_axes)  # (B, ..., C)
