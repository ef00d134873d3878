"""``Conv2DTranspose``: Conv2D's backward pass, used as a forward pass.

Conv2D's input gradient spreads every output cell's gradient over the window it came from
(col2im). ``Conv2DTranspose`` does exactly that to its *input*: each input pixel, times the
kernel, is added onto a ``kh x kw`` patch of the output, patches ``strides`` apart — so it
up-samples. Its own backward pass is therefore a plain convolution (im2col).

Output length (tf_keras's rule, ``k' = k + (k-1)(d-1)``): without ``output_padding``,
``n*s + max(k' - s, 0)`` for 'valid' and ``n*s`` for 'same'; with ``output_padding=p``,
``(n-1)s + k' - 2*pad + p`` where ``pad`` is ``k'//2`` ('same') or 0 ('valid'). The layer
computes the full result (length ``(n-1)s + k'``) and keeps ``out`` cells of it, starting at
``max(full - out, 0) // 2`` for 'same' (at 0 for 'valid'), with zeros past the end if needed.
"""
import numpy as np

from . import conv_utils
from .convolutional import _Conv


def _transpose_length(n, k, padding, stride, dilation, output_padding):
    if n is None:
        return None
    k = conv_utils.dilated_size(k, dilation)
    if output_padding is None:
        return n * stride + max(k - stride, 0) if padding == "valid" else n * stride
    pad = k // 2 if padding == "same" else 0
    return (n - 1) * stride + k - 2 * pad + output_padding


class Conv2DTranspose(_Conv):
    """Transposed 2-D convolution (Keras ``keras.layers.Conv2DTranspose``), a learned up-sampling.

    The kernel has shape ``(kh, kw, filters, channels)`` (output channels before input channels).

    Args:
        filters: number of output channels.
        kernel_size: int or pair.
        strides: int or pair: the up-sampling factor.
        padding: ``'valid'`` or ``'same'``.
        output_padding: None, an int or a pair, added to the output size (must be < strides).
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        dilation_rate: int or pair.
        groups: must be 1.
        activation: name or function; None = linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional penalty on the kernel.
        bias_regularizer: optional penalty on the bias.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad argument or an input that is not 4-D.

    >>> layer = Conv2DTranspose(1, 3, strides=2, padding='same', kernel_initializer='ones')
    >>> layer(np.array([[1.0, 10.0]]).reshape(1, 1, 2, 1))[0, 0, :, 0]
    array([ 1.,  1., 11., 10.])
    """

    rank = 2
    _CACHE = _Conv._CACHE + ("_crop",)

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         **kwargs)
        self.output_padding = None
        if output_padding is not None:
            pads = (output_padding,) * 2 if isinstance(output_padding, (int, np.integer)) else tuple(output_padding)
            if len(pads) != 2 or not all(isinstance(p, (int, np.integer)) and 0 <= p < s
                                         for p, s in zip(pads, self.strides)):
                raise ValueError(f"Conv2DTranspose: output_padding must be None or 2 ints >= 0 and smaller than "
                                 f"strides {self.strides}; got {output_padding!r}.")
            self.output_padding = tuple(int(p) for p in pads)

    def build(self, input_shape):
        conv_utils.check_rank(self, input_shape, 4, self._needs())
        shape = self.kernel_size + (self.filters, input_shape[-1])                    # (kh, kw, Cout, Cin)
        self.kernel = self.add_weight("kernel", shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = (self.add_weight("bias", (self.filters,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def compute_output_shape(self, input_shape):
        conv_utils.check_rank(self, input_shape, 4, self._needs())
        pads = self.output_padding or (None, None)
        spatial = tuple(_transpose_length(n, k, self.padding, s, d, p) for n, k, s, d, p in
                        zip(input_shape[1:3], self.kernel_size, self.strides, self.dilation_rate, pads))
        return (input_shape[0],) + spatial + (self.filters,)

    def call(self, inputs, training=False):
        out_h, out_w = self.compute_output_shape(inputs.shape)[1:3]
        batch, h, w, cin = inputs.shape                                                 # (B, H, W, Cin)
        (kh, kw), cout = self.kernel_size, self.filters
        spans = [conv_utils.dilated_size(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
        full = ((h - 1) * self.strides[0] + spans[0], (w - 1) * self.strides[1] + spans[1])
        x2 = inputs.reshape(-1, cin)                                                    # (B*H*W, Cin)
        patches = x2 @ self.kernel.reshape(-1, cin).T                                   # (B*H*W, kh*kw*Cout)
        patches = patches.reshape(batch, h, w, kh, kw, cout)                            # (B, H, W, kh, kw, Cout)
        y_full = conv_utils.accumulate_windows(patches, (batch,) + full + (cout,), self.strides,
                                               self.dilation_rate)                      # (B, Hf, Wf, Cout)
        starts = [max(f - o, 0) // 2 if self.padding == "same" else 0 for f, o in zip(full, (out_h, out_w))]
        crop = tuple((s, f - s - o) for s, f, o in zip(starts, full, (out_h, out_w)))  # (cut before, cut after)
        z = conv_utils.unpad2d(conv_utils.pad2d(y_full, tuple((0, max(-a, 0)) for _, a in crop)),
                               tuple((b, max(a, 0)) for b, a in crop))                  # (B, Ho, Wo, Cout)
        if self.use_bias:
            z = z + self.bias
        self._inputs, self._crop, self._padded_shape = inputs, crop, y_full.shape
        return self._activate(z)

    def backward(self, grad_output, input_grad=True):
        dz = self._pre_activation_grad(grad_output)                                     # (B, Ho, Wo, Cout)
        crop = self._crop
        d_full = conv_utils.unpad2d(conv_utils.pad2d(dz, tuple((b, max(a, 0)) for b, a in crop)),
                                    tuple((0, max(-a, 0)) for _, a in crop))            # (B, Hf, Wf, Cout)
        d_patches = conv_utils.windows(d_full, self.kernel_size, self.strides, self.dilation_rate)  # im2col
        batch, h, w, cin = self._inputs.shape
        d_cols = d_patches.reshape(batch * h * w, -1)                                   # (B*H*W, kh*kw*Cout)
        x2 = self._inputs.reshape(-1, cin)                                              # (B*H*W, Cin)
        d_kernel = (d_cols.T @ x2).reshape(self.kernel.shape)                           # (kh, kw, Cout, Cin)
        self._set_grads([d_kernel] + ([dz.sum(axis=(0, 1, 2))] if self.use_bias else []))  # + (Cout,)
        if not input_grad:
            return None
        return (d_cols @ self.kernel.reshape(-1, cin)).reshape(self._inputs.shape)     # (B, H, W, Cin)

    def get_config(self):
        config = super().get_config()
        config["output_padding"] = self.output_padding
        return config


Convolution2DTranspose = Deconvolution2D = Deconv2D = Conv2DTranspose   # Keras 2's other names
