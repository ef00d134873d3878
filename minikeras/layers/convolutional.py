"""Convolution layers ``Conv1D`` and ``Conv2D``: im2col forward, col2im backward.

A 2-D convolution (Keras computes a cross-correlation: the kernel is not flipped) is

    out[b, i, j, o] = bias[o] + sum_{p, q, c} xp[b, i*sh + p*dh, j*sw + q*dw, c] * kernel[p, q, c, o]

Gather every window into a row of a matrix (im2col) and the sum is one matrix product:
``cols (B*Ho*Wo, kh*kw*Cin) @ kernel (kh*kw*Cin, Cout)``. The backward pass is two more
products: ``dkernel = cols.T @ dout`` and ``dcols = dout @ kernel.T``, whose rows are added
back onto the pixels they came from (col2im) — which is a transposed convolution.
``Conv1D`` is the same computation on inputs viewed as images one pixel high.
"""
import numpy as np

from .. import activations, initializers, regularizers
from . import conv_utils
from .base import Layer
from .workspace import Workspace


class _Conv(Layer):
    """Shared code of Conv1D and Conv2D (``rank`` = number of spatial axes)."""

    rank = 2
    _CACHE = Layer._CACHE + ("_cols", "_padded_shape", "_pads")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        cls = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters <= 0:
            raise ValueError(f"{cls}: filters must be a positive int, got {filters!r}.")
        if groups != 1:
            raise ValueError(f"{cls}: minikeras has no grouped convolutions; groups must be 1, got {groups!r}.")
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, self.rank, "kernel_size", cls)
        self.strides = conv_utils.normalize_tuple(strides, self.rank, "strides", cls)
        allowed = ("valid", "same", "causal") if self.rank == 1 else ("valid", "same")
        self.padding = conv_utils.normalize_padding(padding, cls, allowed)
        self.data_format = conv_utils.normalize_data_format(data_format, cls)
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, self.rank, "dilation_rate", cls)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{cls}: strides > 1 not supported in conjunction with dilation_rate > 1. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}")
        self.groups = 1
        self.activation = activations.get(activation)
        self._activation_grad = activations.gradient(self.activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    # ------------------------------------------------------------------ shapes
    def _needs(self):
        return "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"

    def build(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2, self._needs())
        if input_shape[-1] is None:
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}) needs a known number of input "
                             f"channels; got input shape {tuple(input_shape)}.")
        self.compute_output_shape(input_shape)   # raises if the kernel does not fit
        shape = self.kernel_size + (input_shape[-1], self.filters)
        self.kernel = self.add_weight("kernel", shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = (self.add_weight("bias", (self.filters,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def compute_output_shape(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2, self._needs())
        spatial = tuple(conv_utils.output_length(n, k, self.padding, s, d) for n, k, s, d in
                        zip(input_shape[1:-1], self.kernel_size, self.strides, self.dilation_rate))
        if any(n is not None and n <= 0 for n in spatial):
            span = tuple(conv_utils.dilated_size(k, d) for k, d in zip(self.kernel_size, self.dilation_rate))
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}): kernel_size {self.kernel_size} "
                             f"(spanning {span} with dilation_rate {self.dilation_rate}) is larger than its input "
                             f"of shape {tuple(input_shape)}; with padding='valid' the spatial size must be at "
                             f"least {span}. Use padding='same' or a smaller kernel.")
        return (input_shape[0],) + spatial + (self.filters,)

    def _image(self, x):
        """Views a 1-D input (B, L, C) as an image (B, 1, L, C); 2-D inputs stay."""
        return x[:, None] if self.rank == 1 else x

    def _pairs(self, values, fill):
        return (fill,) + tuple(values) if self.rank == 1 else tuple(values)

    # ------------------------------------------------------------------ shared by every convolution
    def _activate(self, z, owned=False):
        """Applies the activation, keeping ``z`` and ``y`` for :meth:`_pre_activation_grad`.

        When ``owned`` (``z`` is a fresh array nobody else holds) a plain relu runs in place:
        ``relu(z) > 0`` exactly where ``z > 0``, so its gradient needs only ``y``.
        """
        if owned and self.activation is activations.relu and isinstance(z, np.ndarray):
            self._z = self._y = np.maximum(z, 0, out=z)
        else:
            self._z = z
            self._y = z if self.activation is activations.linear else self.activation(z)
        return self._y

    def _pre_activation_grad(self, grad_output, workspace=None):
        """``dL/dz`` from ``dL/dy`` through the activation; a plain relu's goes into the spare
        ``'dz'`` of ``workspace`` when one is given (give it back once done)."""
        if self.activation is activations.linear:
            return grad_output
        if workspace is not None and self.activation is activations.relu:   # dL/dy where y > 0
            dz = workspace.take("dz", grad_output.shape, np.result_type(grad_output, self._y))
            return np.multiply(grad_output, self._y > 0, out=dz)
        return self._activation_grad(self._z, self._y, grad_output)

    def _set_grads(self, grads):
        """Stores the weight gradients (none when frozen), plus the regularizers' gradients."""
        self.grads = list(grads) if self.trainable else []
        self._add_regularization_grads()

    @property
    def _workspace(self):
        """The layer's recycled work arrays, a ``Workspace`` (``layers/workspace.py``) made on first use."""
        return self.__dict__.setdefault("_work", Workspace())

    # ------------------------------------------------------------------ forward
    def call(self, inputs, training=False):
        if inputs.ndim != self.rank + 2:
            conv_utils.check_rank(self, inputs.shape, self.rank + 2, self._needs())
        x = self._image(inputs)                                              # (B, H, W, Cin)
        kernel, strides, dilation = (self._pairs(v, 1) for v in (self.kernel_size, self.strides,
                                                                  self.dilation_rate))
        pads = tuple(conv_utils.padding_amounts(n, k, self.padding, s, d)
                     for n, k, s, d in zip(x.shape[1:3], kernel, strides, dilation))
        self.compute_output_shape(inputs.shape)                             # kernel must fit the input
        xp = conv_utils.pad2d(x, pads)                                       # (B, Hp, Wp, Cin)
        win = conv_utils.windows(xp, kernel, strides, dilation)              # (B, Ho, Wo, kh, kw, Cin) view
        batch, ho, wo = win.shape[:3]
        cols = conv_utils.im2col(win, self._workspace)                       # (B*Ho*Wo, kh*kw*Cin) im2col
        z = cols @ self.kernel.reshape(-1, self.filters)                    # (B*Ho*Wo, Cout)
        if self.use_bias:
            z += self.bias                                                   # (B*Ho*Wo, Cout)
        z = z.reshape((batch,) + (ho, wo)[2 - self.rank:] + (self.filters,))  # (B, Ho, Wo, Cout) or (B, Lo, Cout)
        self._cols, self._padded_shape, self._pads = cols, xp.shape, pads
        return self._activate(z, owned=True)

    # ------------------------------------------------------------------ backward
    def backward(self, grad_output, input_grad=True):
        work = self._workspace
        dz = self._pre_activation_grad(grad_output, work)                    # (B, Ho, Wo, Cout)
        dz2 = dz.reshape(-1, self.filters)                                   # (B*Ho*Wo, Cout)
        d_kernel = (self._cols.T @ dz2).reshape(self.kernel.shape)          # (kh, kw, Cin, Cout)
        self._set_grads([d_kernel] + ([dz2.sum(axis=0)] if self.use_bias else []))  # + (Cout,)
        work.give("cols", self._cols)                                        # next step's im2col reuses it
        dx = None
        if input_grad:
            kernel, strides, dilation = (self._pairs(v, 1) for v in (self.kernel_size, self.strides,
                                                                      self.dilation_rate))
            ho, wo = (dz.shape[1:3] if self.rank == 2 else (1, dz.shape[1]))
            # dcols = dz2 @ kernel.T, then col2im: the sum over the kh*kw offsets, one product each
            dxp = conv_utils.conv_input_grad(dz2, self.kernel.reshape(kernel + (-1, self.filters)),
                                             self._padded_shape, (ho, wo), strides, dilation, work)  # (B, Hp, Wp, Cin)
            dx = conv_utils.unpad2d(dxp, self._pads)                         # (B, H, W, Cin)
            dx = dx[:, 0] if self.rank == 1 else dx                          # input's shape
        if self.activation is activations.relu:                              # dz came from the workspace
            work.give("dz", dz)
        return dx

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters, "kernel_size": self.kernel_size, "strides": self.strides,
            "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
            "groups": self.groups, "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        })
        return config


class Conv2D(_Conv):
    """2-D convolution over images ``(B, rows, cols, channels)`` (Keras ``keras.layers.Conv2D``).

    Output ``(B, Ho, Wo, filters)``; with ``k' = k + (k-1)(d-1)``: valid ``Ho = floor((H - k')/s) + 1``,
    same ``Ho = ceil(H/s)`` (an odd total padding puts the extra zero at the bottom/right, as
    TensorFlow does). The kernel has shape ``(kh, kw, channels, filters)``.

    Args:
        filters: number of output channels.
        kernel_size: int or pair ``(kh, kw)``.
        strides: int or pair.
        padding: ``'valid'`` or ``'same'``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        dilation_rate: int or pair (``> 1`` only with strides 1).
        groups: must be 1 (minikeras has no grouped convolutions).
        activation: name or function; None = linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional penalty on the kernel.
        bias_regularizer: optional penalty on the bias.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments (``input_shape``, ``name``, ...).

    Raises:
        ValueError: for a bad argument, an input that is not 4-D, or a kernel larger than the input.

    >>> layer = Conv2D(2, 3, kernel_initializer='ones')
    >>> layer(np.ones((1, 5, 5, 1), dtype='float32')).shape
    (1, 3, 3, 2)
    """

    rank = 2


class Conv1D(_Conv):
    """1-D convolution over sequences ``(B, steps, channels)`` (Keras ``keras.layers.Conv1D``).

    Same computation as :class:`Conv2D` on a one-pixel-high image; ``padding='causal'`` pads
    ``dilation_rate * (kernel_size - 1)`` zeros on the left only, so output ``t`` sees inputs ``<= t``.
    The kernel has shape ``(kernel_size, channels, filters)``.

    Args:
        filters: number of output channels.
        kernel_size: int or 1-tuple.
        strides: int or 1-tuple.
        padding: ``'valid'``, ``'same'`` or ``'causal'``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        dilation_rate: int or 1-tuple.
        groups: must be 1.
        activation: name or function; None = linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional penalty on the kernel.
        bias_regularizer: optional penalty on the bias.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad argument, an input that is not 3-D, or a kernel longer than the input.

    >>> Conv1D(4, 3, padding='causal')(np.ones((2, 6, 1), dtype='float32')).shape
    (2, 6, 4)
    """

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
                 dilation_rate=1, groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         **kwargs)


Convolution1D, Convolution2D = Conv1D, Conv2D   # Keras 2's other names


def __getattr__(name):
    """Keras 2.2.4's ``keras.layers.convolutional`` also held layers that minikeras defines in other modules."""
    from ..compat.legacy import moved_attribute
    return moved_attribute(__name__, name)
