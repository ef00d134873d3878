"""Global pooling: one value per channel, the max or mean over all steps / pixels.

``GlobalAveragePooling`` spreads each channel's gradient evenly over the ``n`` cells it averaged;
``GlobalMaxPooling`` gives it all to the (first) cell that held the maximum.
``GlobalAveragePooling1D`` honours a mask: the mean runs over the unmasked steps only.
"""
import numpy as np

from . import conv_utils
from .base import Layer


class _GlobalPooling(Layer):
    """Shared code: reduce axes ``1 .. rank`` of ``(B, *spatial, C)`` with ``mode`` 'max' or 'avg'."""

    rank, mode = 2, "avg"
    _CACHE = Layer._CACHE + ("_argmax", "_weights_per_step")

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = conv_utils.normalize_data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)

    def compute_output_shape(self, input_shape):
        needs = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        conv_utils.check_rank(self, input_shape, self.rank + 2, needs)
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def call(self, inputs, training=False, mask=None):
        self.compute_output_shape(inputs.shape)
        batch, channels = inputs.shape[0], inputs.shape[-1]
        self._shape = inputs.shape                                          # (B, *spatial, C)
        flat = inputs.reshape(batch, -1, channels)                          # (B, n, C)
        if self.mode == "max":
            self._argmax = flat.argmax(axis=1)[:, None]                     # (B, 1, C)
            y = flat[np.arange(batch)[:, None], self._argmax[:, 0], np.arange(channels)]  # (B, C) the picked maxima
        else:
            if mask is None:
                w = np.full((batch, flat.shape[1], 1), 1.0 / flat.shape[1], inputs.dtype)  # (B, n, 1)
            else:
                m = np.asarray(mask, inputs.dtype).reshape(batch, -1, 1)    # (B, n, 1) 1 = kept
                w = m / np.maximum(m.sum(axis=1, keepdims=True), 1)         # (B, n, 1)
            self._weights_per_step = w
            y = (flat * w).sum(axis=1)                                      # (B, C)
        out_shape = (batch,) + ((1,) * self.rank if self.keepdims else ()) + (channels,)
        return y.reshape(out_shape).astype(inputs.dtype, copy=False)       # (B, C) or (B, 1, .., C)

    def compute_mask(self, inputs, mask=None):
        return None

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        if not input_grad:
            return None
        batch, channels = self._shape[0], self._shape[-1]
        dy = grad_output.reshape(batch, 1, channels)                        # (B, 1, C)
        if self.mode == "max":
            dflat = np.zeros((batch, int(np.prod(self._shape[1:-1])), channels), grad_output.dtype)  # (B, n, C)
            np.put_along_axis(dflat, self._argmax, dy, axis=1)              # the max cell gets it all
        else:
            dflat = dy * self._weights_per_step                             # (B, n, C): 1/n each
        return dflat.reshape(self._shape)                                   # (B, *spatial, C)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


_GLOBAL_ARGS = """
    Args:
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        keepdims: keep the reduced axes with length 1.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a wrong input rank or ``channels_first``.
"""


class GlobalAveragePooling2D(_GlobalPooling):
    __doc__ = """Mean of each channel over all pixels: ``(B, H, W, C) -> (B, C)``.
""" + _GLOBAL_ARGS + """
    >>> GlobalAveragePooling2D()(np.arange(8.0).reshape(1, 2, 2, 2))
    array([[3., 4.]])
"""
    rank, mode = 2, "avg"


class GlobalMaxPooling2D(_GlobalPooling):
    __doc__ = """Max of each channel over all pixels: ``(B, H, W, C) -> (B, C)``.
""" + _GLOBAL_ARGS + """
    >>> GlobalMaxPooling2D()(np.arange(8.0).reshape(1, 2, 2, 2))
    array([[6., 7.]])
"""
    rank, mode = 2, "max"


class GlobalAveragePooling1D(_GlobalPooling):
    __doc__ = """Mean of each channel over the (unmasked) steps: ``(B, steps, C) -> (B, C)``.
""" + _GLOBAL_ARGS + """
    >>> GlobalAveragePooling1D()(np.array([[[1.0], [3.0]]]))
    array([[2.]])
"""
    rank, mode = 1, "avg"

    def __init__(self, data_format="channels_last", keepdims=False, **kwargs):
        super().__init__(data_format, keepdims, **kwargs)


class GlobalMaxPooling1D(_GlobalPooling):
    __doc__ = """Max of each channel over the steps: ``(B, steps, C) -> (B, C)``.
""" + _GLOBAL_ARGS + """
    >>> GlobalMaxPooling1D()(np.array([[[1.0], [3.0]]]))
    array([[3.]])
"""
    rank, mode = 1, "max"

    def __init__(self, data_format="channels_last", keepdims=False, **kwargs):
        super().__init__(data_format, keepdims, **kwargs)


GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
