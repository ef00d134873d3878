"""``DepthwiseConv2D`` and ``SeparableConv2D``: one small kernel per input channel.

A depthwise convolution filters each input channel on its own with ``depth_multiplier`` kernels
(no sum over channels): ``out[b, i, j, c*M + m] = sum_{p,q} window[b, i, j, p, q, c] * K[p, q, c, m]``.
The loops below run over the ``kh*kw`` kernel offsets only; each step is one broadcast product
over the whole batch. A separable convolution is a depthwise one followed by a 1x1 convolution
(``pointwise_kernel``) that mixes the channels.
"""
import numpy as np

from .. import initializers, regularizers
from . import conv_utils
from .convolutional import _Conv


class DepthwiseConv2D(_Conv):
    """Depthwise 2-D convolution (Keras ``keras.layers.DepthwiseConv2D``).

    Output channels: ``channels * depth_multiplier``, ordered channel-major (``c * M + m``).
    Weights: ``depthwise_kernel (kh, kw, channels, depth_multiplier)`` and ``bias``.

    Args:
        kernel_size: int or pair.
        strides: int or pair.
        padding: ``'valid'`` or ``'same'``.
        depth_multiplier: kernels per input channel.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        dilation_rate: int or pair.
        activation: name or function; None = linear.
        use_bias: whether to add a bias per output channel.
        depthwise_initializer: initializer of the depthwise kernel.
        bias_initializer: initializer of the bias.
        depthwise_regularizer: optional penalty on the depthwise kernel.
        bias_regularizer: optional penalty on the bias.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad argument, an input that is not 4-D, or a kernel larger than the input.

    >>> DepthwiseConv2D(3, depth_multiplier=2)(np.ones((1, 5, 5, 3))).shape
    (1, 3, 3, 6)
    """

    rank = 2
    _CACHE = _Conv._CACHE + ("_windows",)

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(1, kernel_size, strides, padding, data_format, dilation_rate, 1, activation, use_bias,
                         "zeros", bias_initializer, None, bias_regularizer, **kwargs)
        self.depth_multiplier = conv_utils.normalize_tuple(depth_multiplier, 1, "depth_multiplier",
                                                           type(self).__name__)[0]
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)        # rank and size checks
        shape = self.kernel_size + (input_shape[-1], self.depth_multiplier)
        self.depthwise_kernel = self.add_weight("depthwise_kernel", shape, initializer=self.depthwise_initializer,
                                                regularizer=self.depthwise_regularizer)
        self._build_pointwise(input_shape[-1] * self.depth_multiplier)

    def _build_pointwise(self, channels):
        self.bias = (self.add_weight("bias", (channels,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def compute_output_shape(self, input_shape):
        shape = super().compute_output_shape(input_shape)
        return shape[:-1] + (None if input_shape[-1] is None else input_shape[-1] * self.depth_multiplier,)

    def _depthwise(self, inputs):
        """The depthwise convolution alone: ``(B, H, W, C) -> (B, Ho, Wo, C*M)``; keeps the windows."""
        pads = tuple(conv_utils.padding_amounts(n, k, self.padding, s, d) for n, k, s, d in
                     zip(inputs.shape[1:3], self.kernel_size, self.strides, self.dilation_rate))
        xp = conv_utils.pad2d(inputs, pads)                                           # (B, Hp, Wp, C)
        win = conv_utils.windows(xp, self.kernel_size, self.strides, self.dilation_rate)  # (B, Ho, Wo, kh, kw, C)
        out = 0
        for p, q in np.ndindex(*self.kernel_size):
            out = out + win[:, :, :, p, q, :, None] * self.depthwise_kernel[p, q]     # (B, Ho, Wo, C, M)
        self._windows, self._pads, self._padded_shape = win, pads, xp.shape
        return out.reshape(out.shape[:3] + (-1,))                                     # (B, Ho, Wo, C*M)

    def _depthwise_backward(self, d_out, input_grad):
        """Returns ``(d_kernel, d_inputs)`` from ``d_out (B, Ho, Wo, C*M)``."""
        win = self._windows
        d_out = d_out.reshape(d_out.shape[:3] + self.depthwise_kernel.shape[2:])      # (B, Ho, Wo, C, M)
        d_kernel = np.empty_like(self.depthwise_kernel)                               # (kh, kw, C, M)
        dxp = np.zeros(self._padded_shape, d_out.dtype) if input_grad else None       # (B, Hp, Wp, C)
        for p, q in np.ndindex(*self.kernel_size):
            d_kernel[p, q] = np.einsum("bijc,bijcm->cm", win[:, :, :, p, q, :], d_out)
            if input_grad:
                rows, cols = conv_utils.offset_slices(p, q, d_out.shape[1:3], self.strides, self.dilation_rate)
                dxp[:, rows, cols, :] += (d_out * self.depthwise_kernel[p, q]).sum(axis=-1)  # (B, Ho, Wo, C)
        return d_kernel, (conv_utils.unpad2d(dxp, self._pads) if input_grad else None)

    def call(self, inputs, training=False):
        conv_utils.check_rank(self, inputs.shape, 4, self._needs())
        self.compute_output_shape(inputs.shape)
        z = self._depthwise(inputs)                                                   # (B, Ho, Wo, C*M)
        if self.use_bias:
            z = z + self.bias
        return self._activate(z.astype(inputs.dtype, copy=False))

    def backward(self, grad_output, input_grad=True):
        dz = self._pre_activation_grad(grad_output)                                   # (B, Ho, Wo, C*M)
        d_kernel, dx = self._depthwise_backward(dz, input_grad)
        self._set_grads([d_kernel] + ([dz.sum(axis=(0, 1, 2))] if self.use_bias else []))
        return dx

    def get_config(self):
        config = super().get_config()
        for key in ("filters", "kernel_initializer", "kernel_regularizer", "groups"):
            config.pop(key)
        config.update({"depth_multiplier": self.depth_multiplier,
                       "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                       "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer)})
        return config


class SeparableConv2D(DepthwiseConv2D):
    """Depthwise convolution, then a 1x1 convolution mixing the channels (Keras ``keras.layers.SeparableConv2D``).

    Weights: ``depthwise_kernel (kh, kw, C, M)``, ``pointwise_kernel (1, 1, C*M, filters)``, ``bias (filters,)``.

    Args:
        filters: number of output channels.
        kernel_size: int or pair.
        strides: int or pair.
        padding: ``'valid'`` or ``'same'``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        dilation_rate: int or pair.
        depth_multiplier: depthwise kernels per input channel.
        activation: name or function; None = linear.
        use_bias: whether to add a bias per filter.
        depthwise_initializer: initializer of the depthwise kernel.
        pointwise_initializer: initializer of the pointwise kernel.
        bias_initializer: initializer of the bias.
        depthwise_regularizer: optional penalty on the depthwise kernel.
        pointwise_regularizer: optional penalty on the pointwise kernel.
        bias_regularizer: optional penalty on the bias.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad argument, an input that is not 4-D, or a kernel larger than the input.

    >>> SeparableConv2D(4, 3)(np.ones((1, 5, 5, 3))).shape
    (1, 3, 3, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1),
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation,
                         use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
                         **kwargs)
        self.filters = conv_utils.normalize_tuple(filters, 1, "filters", "SeparableConv2D")[0]
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)

    def _build_pointwise(self, channels):
        self.pointwise_kernel = self.add_weight("pointwise_kernel", (1, 1, channels, self.filters),
                                                initializer=self.pointwise_initializer,
                                                regularizer=self.pointwise_regularizer)
        super()._build_pointwise(self.filters)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape(input_shape)[:-1] + (self.filters,)

    def call(self, inputs, training=False):
        conv_utils.check_rank(self, inputs.shape, 4, self._needs())
        self.compute_output_shape(inputs.shape)
        self._inputs = self._depthwise(inputs)                                        # (B, Ho, Wo, C*M)
        z = self._inputs @ self.pointwise_kernel[0, 0]                                # (B, Ho, Wo, filters)
        if self.use_bias:
            z = z + self.bias
        return self._activate(z.astype(inputs.dtype, copy=False))

    def backward(self, grad_output, input_grad=True):
        dz = self._pre_activation_grad(grad_output)                                   # (B, Ho, Wo, filters)
        mid = self._inputs.reshape(-1, self._inputs.shape[-1])                        # (B*Ho*Wo, C*M)
        d_pointwise = (mid.T @ dz.reshape(-1, self.filters))[None, None]              # (1, 1, C*M, filters)
        d_mid = dz @ self.pointwise_kernel[0, 0].T                                    # (B, Ho, Wo, C*M)
        d_kernel, dx = self._depthwise_backward(d_mid, input_grad)
        self._set_grads([d_kernel, d_pointwise] + ([dz.sum(axis=(0, 1, 2))] if self.use_bias else []))
        return dx

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters,
                       "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                       "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer)})
        return config


SeparableConvolution2D = SeparableConv2D   # Keras 2's other name
