"""Pooling layers: ``MaxPooling1D/2D``, ``AveragePooling1D/2D`` and the global poolings.

Pooling reads the same windows as a convolution (``conv_utils.windows``) and reduces each one.
The backward pass *routes* the gradient back through the windows (col2im):

* max: all of an output's gradient goes to the cell that held the maximum (the first one,
  in row-major order, on ties) — the others get nothing;
* average: each of the ``n`` cells of the window gets ``1/n`` of it. With ``padding='same'``,
  ``n`` counts only real cells (padded cells are excluded, as in TensorFlow).
"""
import numpy as np

from . import conv_utils
from .base import Layer


class _Pooling(Layer):
    """Shared code of the windowed poolings (``rank`` spatial axes, ``mode`` 'max' or 'avg')."""

    rank, mode = 2, "max"
    _CACHE = Layer._CACHE + ("_argmax", "_counts", "_padded_shape", "_pads")

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        cls = type(self).__name__
        super().__init__(**kwargs)
        self.pool_size = conv_utils.normalize_tuple(pool_size, self.rank, "pool_size", cls)
        self.strides = self.pool_size if strides is None else \
            conv_utils.normalize_tuple(strides, self.rank, "strides", cls)
        self.padding = conv_utils.normalize_padding(padding, cls)
        self.data_format = conv_utils.normalize_data_format(data_format, cls)

    def _needs(self):
        return "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"

    def compute_output_shape(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2, self._needs())
        spatial = tuple(conv_utils.output_length(n, k, self.padding, s)
                        for n, k, s in zip(input_shape[1:-1], self.pool_size, self.strides))
        if any(n is not None and n <= 0 for n in spatial):
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}): pool_size {self.pool_size} is larger "
                             f"than its input of shape {tuple(input_shape)}; with padding='valid' the spatial "
                             f"size must be at least {self.pool_size}.")
        return (input_shape[0],) + spatial + (input_shape[-1],)

    def _pairs(self, values):
        return (1,) + tuple(values) if self.rank == 1 else tuple(values)

    def call(self, inputs, training=False):
        self.compute_output_shape(inputs.shape)                            # rank and size checks
        x = inputs[:, None] if self.rank == 1 else inputs                   # (B, H, W, C)
        pool, strides = self._pairs(self.pool_size), self._pairs(self.strides)
        pads = tuple(conv_utils.padding_amounts(n, k, self.padding, s)
                     for n, k, s in zip(x.shape[1:3], pool, strides))
        fill = -np.inf if self.mode == "max" else 0.0
        xp = conv_utils.pad2d(x, pads, fill)                               # (B, Hp, Wp, C)
        win = conv_utils.windows(xp, pool, strides, (1, 1))                # (B, Ho, Wo, ph, pw, C) view
        batch, ho, wo = win.shape[:3]
        if self.mode == "max" and not isinstance(win, np.ndarray):   # on the autodiff tape: the same max, recorded
            y = win.max(axis=(3, 4))                                        # (B, Ho, Wo, C)
        elif self.mode == "max":   # a running max over the ph*pw window offsets; ties keep the first
            y = win[:, :, :, 0, 0, :].copy()                                # (B, Ho, Wo, C)
            index = np.min_scalar_type(int(np.prod(pool)) - 1)           # uint8 up to 256 offsets
            self._argmax = np.zeros(y.shape, index)                         # (B, Ho, Wo, C) offset index
            better = np.empty(y.shape, bool)                                # (B, Ho, Wo, C)
            for k, (p, q) in enumerate(np.ndindex(*pool)):
                if k == 0:
                    continue                                                # y starts as offset 0
                cell = win[:, :, :, p, q, :]                                # (B, Ho, Wo, C)
                np.greater(cell, y, out=better)
                # the index of the max is the last k that beat the running max: max over k of k*better
                np.maximum(self._argmax, better.view(np.uint8) * index.type(k), out=self._argmax)
                np.maximum(y, cell, out=y)
        else:
            ones = conv_utils.pad2d(np.ones((1,) + x.shape[1:3] + (1,), x.dtype), pads)  # (1, Hp, Wp, 1)
            self._counts = conv_utils.windows(ones, pool, strides, (1, 1)).sum(axis=(3, 4))  # (1, Ho, Wo, 1)
            y = win.sum(axis=(3, 4)) / self._counts                         # (B, Ho, Wo, C)
        self._padded_shape, self._pads = xp.shape, pads
        return y[:, 0] if self.rank == 1 else y                             # (B, Ho, Wo, C) / (B, Lo, C)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        if not input_grad:
            return None
        dy = grad_output[:, None] if self.rank == 1 else grad_output        # (B, Ho, Wo, C)
        pool, strides = self._pairs(self.pool_size), self._pairs(self.strides)
        batch, ho, wo, channels = dy.shape
        if self.mode == "max":   # each output's gradient goes to the cell that held its max
            dxp = np.zeros(self._padded_shape, dy.dtype)                    # (B, Hp, Wp, C)
            overlap = any(s < k for s, k in zip(strides, pool))
            for k, (p, q) in enumerate(np.ndindex(*pool)):
                rows, cols = conv_utils.offset_slices(p, q, (ho, wo), strides, (1, 1))
                routed = dxp[:, rows, cols, :]                              # (B, Ho, Wo, C) view
                if overlap:      # windows share cells: add
                    routed += dy * (self._argmax == k)
                else:            # each cell belongs to one window: write in place
                    np.multiply(dy, self._argmax == k, out=routed)
        else:                    # each of the n real cells of a window gets 1/n of its gradient
            share = (dy / self._counts)[:, :, :, None, None, :]              # (B, Ho, Wo, 1, 1, C)
            dwin = np.broadcast_to(share, (batch, ho, wo) + pool + (channels,))
            dxp = conv_utils.accumulate_windows(dwin, self._padded_shape, strides, (1, 1))  # (B, Hp, Wp, C)
        dx = conv_utils.unpad2d(dxp, self._pads)                             # (B, H, W, C)
        return dx[:, 0] if self.rank == 1 else dx

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding, "strides": self.strides,
                       "data_format": self.data_format})
        return config


_POOL_ARGS = """
    Args:
        pool_size: int or tuple, the window size.
        strides: int or tuple; None = ``pool_size`` (windows do not overlap).
        padding: ``'valid'`` (drop the tail) or ``'same'`` (output ``ceil(n / stride)``).
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad argument, a wrong input rank, or a window larger than the input.
"""


class MaxPooling2D(_Pooling):
    __doc__ = """Max over each window of an image ``(B, rows, cols, C)`` (Keras ``keras.layers.MaxPooling2D``).
""" + _POOL_ARGS + """
    >>> MaxPooling2D()(np.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
"""
    rank, mode = 2, "max"


class AveragePooling2D(_Pooling):
    __doc__ = """Mean over each window of an image (Keras ``keras.layers.AveragePooling2D``).
""" + _POOL_ARGS + """
    >>> AveragePooling2D()(np.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
"""
    rank, mode = 2, "avg"


class MaxPooling1D(_Pooling):
    __doc__ = """Max over each window of a sequence ``(B, steps, C)`` (Keras ``keras.layers.MaxPooling1D``).
""" + _POOL_ARGS + """
    >>> MaxPooling1D()(np.array([[[1.0], [3.0], [2.0], [0.0]]]))[0, :, 0]
    array([3., 2.])
"""
    rank, mode = 1, "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format="channels_last", **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(_Pooling):
    __doc__ = """Mean over each window of a sequence (Keras ``keras.layers.AveragePooling1D``).
""" + _POOL_ARGS + """
    >>> AveragePooling1D()(np.array([[[1.0], [3.0], [2.0], [0.0]]]))[0, :, 0]
    array([2., 1.])
"""
    rank, mode = 1, "avg"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format="channels_last", **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D


def __getattr__(name):
    """Keras 2.2.4's ``keras.layers.pooling`` also held layers that minikeras defines in other modules."""
    from ..compat.legacy import moved_attribute
    return moved_attribute(__name__, name)
