"""Noise layers: ``GaussianNoise``, ``GaussianDropout``, ``AlphaDropout``, ``SpatialDropout1D/2D``.

Each is active only in training (inside ``fit``) and the identity at inference. The noise is
drawn from ``backend.rng()`` (so ``utils.set_random_seed`` reproduces it), or from a generator
of the layer's own when ``seed`` is given. Each keeps its noise for the backward pass:

* additive noise ``y = x + n`` passes the gradient through: ``dx = dy``;
* multiplicative noise ``y = x * m`` scales it: ``dx = dy * m``.
"""
import numpy as np

from . import conv_utils
from .base import Layer
from .seeded import SeededLayer

_SELU_NEGATIVE = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946   # selu(-inf)


def _check_rate(rate, cls):
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.number)) or not 0 <= rate < 1:
        raise ValueError(f"{cls} rate must be a number in [0, 1), got {rate!r}.")
    return float(rate)


class _Noise(SeededLayer):
    """Shared: the seeded generator (:class:`~minikeras.layers.seeded.SeededLayer`) and the
    multiplicative backward pass."""

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    _CACHE = Layer._CACHE + ("_factor",)

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        factor = getattr(self, "_factor", None)
        return grad_output if factor is None else grad_output * factor      # (B, ...)


class GaussianNoise(_Noise):
    """Adds zero-mean Gaussian noise in training: ``y = x + N(0, stddev^2)`` (Keras ``GaussianNoise``).

    Args:
        stddev: standard deviation of the noise.
        seed: optional int seed for this layer's noise.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> GaussianNoise(0.5)(np.ones((1, 2)))  # inference: the identity
    array([[1., 1.]])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.stddev = float(stddev)

    def call(self, inputs, training=False):
        self._factor = None                                                 # additive: dx = dy
        if not training:
            return inputs
        noise = self._generator().normal(0.0, self.stddev, inputs.shape)     # (B, ...)
        return (inputs + noise).astype(inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config


class GaussianDropout(_Noise):
    """Multiplies by Gaussian noise of mean 1 in training: ``y = x * N(1, rate / (1 - rate))``.

    Keras counterpart: ``keras.layers.GaussianDropout`` (the variance is ``rate/(1-rate)``).

    Args:
        rate: the equivalent dropout rate, in ``[0, 1)``.
        seed: optional int seed for this layer's noise.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)``.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.rate = _check_rate(rate, "GaussianDropout")

    def call(self, inputs, training=False):
        self._factor = None
        if not training or self.rate == 0:
            return inputs
        std = np.sqrt(self.rate / (1.0 - self.rate))
        self._factor = self._generator().normal(1.0, std, inputs.shape).astype(inputs.dtype)  # (B, ...)
        return inputs * self._factor

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config


class AlphaDropout(_Noise):
    """Dropout that keeps SELU's mean and variance: dropped units become ``selu(-inf)``, then an affine fix.

    Keras counterpart: ``keras.layers.AlphaDropout``. With ``alpha' = -1.6733 * 1.0507``,
    ``a = ((1 - rate)(1 + rate alpha'^2))^(-1/2)`` and ``b = -a alpha' rate``:
    ``y = a (x keep + alpha' (1 - keep)) + b``, so ``dx = dy * a * keep``.

    Args:
        rate: fraction to drop, in ``[0, 1)``.
        noise_shape: shape of the keep mask, broadcast over the input (None = input's shape).
        seed: optional int seed for this layer's masks.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)``.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.rate = _check_rate(rate, "AlphaDropout")
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)

    def call(self, inputs, training=False):
        self._factor = None
        if not training or self.rate == 0:
            return inputs
        shape = inputs.shape if self.noise_shape is None else tuple(
            n if n is not None else s for n, s in zip(self.noise_shape, inputs.shape))
        keep = (self._generator().random(shape) >= self.rate).astype(inputs.dtype)  # (B, ...) 0/1
        a = ((1 - self.rate) * (1 + self.rate * _SELU_NEGATIVE ** 2)) ** -0.5
        b = -a * _SELU_NEGATIVE * self.rate
        self._factor = np.broadcast_to(a * keep, inputs.shape).astype(inputs.dtype)  # dy/dx
        return (a * (inputs * keep + _SELU_NEGATIVE * (1 - keep)) + b).astype(inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config


class _SpatialDropout(_Noise):
    """Drops whole channels: one keep/drop decision per (sample, channel), ``x 1/(1 - rate)``."""

    rank = 1

    def __init__(self, rate, data_format=None, **kwargs):
        kwargs.pop("noise_shape", None)             # tf_keras configs carry noise_shape=None
        super().__init__(kwargs.pop("seed", None), **kwargs)
        self.rate = _check_rate(rate, type(self).__name__)
        self.data_format = conv_utils.normalize_data_format(data_format, type(self).__name__)

    def call(self, inputs, training=False):
        needs = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        conv_utils.check_rank(self, inputs.shape, self.rank + 2, needs)
        self._factor = None
        if not training or self.rate == 0:
            return inputs
        shape = (inputs.shape[0],) + (1,) * self.rank + (inputs.shape[-1],)  # (B, 1, [1,] C)
        keep = self._generator().random(shape, dtype=np.float32) >= self.rate
        self._factor = keep.astype(inputs.dtype) * np.asarray(1 / (1 - self.rate), inputs.dtype)
        return inputs * self._factor                                         # (B, ..., C)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": None, "seed": self.seed})
        return config


class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole channels of a sequence ``(B, steps, C)`` (Keras ``keras.layers.SpatialDropout1D``).

    Args:
        rate: fraction of channels to drop, in ``[0, 1)``.
        data_format: ``'channels_last'`` (or None).
        **kwargs: ``seed`` and the base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)`` or the input is not 3-D.
    """

    rank = 1


class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole feature maps of an image ``(B, H, W, C)`` (Keras ``keras.layers.SpatialDropout2D``).

    Args:
        rate: fraction of channels to drop, in ``[0, 1)``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        **kwargs: ``seed`` and the base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)`` or the input is not 4-D.
    """

    rank = 2
