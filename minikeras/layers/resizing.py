"""Resizing the spatial axes: ``ZeroPadding1D/2D``, ``Cropping1D/2D``, ``UpSampling1D/2D`` (nearest).

Padding and cropping are each other's backward pass: the gradient of a padding is the crop
of the output gradient, and the gradient of a crop is the output gradient padded with zeros.
Nearest up-sampling copies each cell ``size`` times, so its gradient sums those copies.
"""
import numpy as np

from . import conv_utils
from .base import Layer


def _pairs(value, rank, name, cls):
    """``1`` -> ``((1, 1),)*rank``; ``(1, 2)`` -> ``((1, 1), (2, 2))`` for rank 2; pairs pass through."""
    if rank == 1:
        pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
        pairs = (pair,)
    elif isinstance(value, (int, np.integer)):
        pairs = ((value, value),) * rank
    else:
        pairs = tuple((v, v) if isinstance(v, (int, np.integer)) else tuple(v) for v in value)
    if len(pairs) != rank or not all(len(p) == 2 and all(isinstance(v, (int, np.integer)) and v >= 0 for v in p)
                                     for p in pairs):
        raise ValueError(f"{cls}: {name} must be an int, a tuple of {rank} ints or of {rank} (before, after) "
                         f"pairs of non-negative ints; got {value!r}.")
    return tuple((int(a), int(b)) for a, b in pairs)


class _Resize(Layer):
    """Shared: the spatial rank, the channels_last check and the input rank check."""

    rank = 2

    def _image(self, x):
        needs = "(batch, steps, channels)" if self.rank == 1 else "(batch, rows, cols, channels)"
        conv_utils.check_rank(self, x.shape, self.rank + 2, needs)
        return x[:, None] if self.rank == 1 else x                           # (B, H, W, C)

    def _back(self, x):
        return x[:, 0] if self.rank == 1 else x                              # the input's rank

    def _edges(self):
        return ((0, 0),) + self._amounts if self.rank == 1 else self._amounts


class _ZeroPadding(_Resize):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pairs(padding, self.rank, "padding", type(self).__name__)
        self.data_format = conv_utils.normalize_data_format(data_format, type(self).__name__)
        self._amounts = self.padding

    def compute_output_shape(self, input_shape):
        grow = [None if n is None else n + a + b for n, (a, b) in zip(input_shape[1:-1], self.padding)]
        return (input_shape[0],) + tuple(grow) + (input_shape[-1],)

    def call(self, inputs, training=False):
        return self._back(conv_utils.pad2d(self._image(inputs), self._edges()))  # (B, H+a+b, W+c+d, C)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return self._back(conv_utils.unpad2d(self._image(grad_output), self._edges()))  # (B, H, W, C)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding[0] if self.rank == 1 else self.padding
        if self.rank == 2:
            config["data_format"] = self.data_format
        return config


class _Cropping(_Resize):
    def __init__(self, cropping=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping", type(self).__name__)
        self.data_format = conv_utils.normalize_data_format(data_format, type(self).__name__)
        self._amounts = self.cropping

    def compute_output_shape(self, input_shape):
        shrink = [None if n is None else n - a - b for n, (a, b) in zip(input_shape[1:-1], self.cropping)]
        if any(n is not None and n <= 0 for n in shrink):
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}): cropping {self.cropping} removes "
                             f"everything from an input of shape {tuple(input_shape)}.")
        return (input_shape[0],) + tuple(shrink) + (input_shape[-1],)

    def call(self, inputs, training=False):
        self.compute_output_shape(inputs.shape)
        return self._back(conv_utils.unpad2d(self._image(inputs), self._edges()))  # (B, H-a-b, W-c-d, C)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return self._back(conv_utils.pad2d(self._image(grad_output), self._edges()))  # (B, H, W, C) zeros outside

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        if self.rank == 2:
            config["data_format"] = self.data_format
        return config


class _UpSampling(_Resize):
    def __init__(self, size=2, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.size = conv_utils.normalize_tuple(size, self.rank, "size", cls)
        self.data_format = conv_utils.normalize_data_format(data_format, cls)
        if interpolation != "nearest":
            raise ValueError(f"{cls}: minikeras has only interpolation='nearest'; got interpolation={interpolation!r}.")
        self.interpolation = interpolation

    def compute_output_shape(self, input_shape):
        grow = [None if n is None else n * s for n, s in zip(input_shape[1:-1], self.size)]
        return (input_shape[0],) + tuple(grow) + (input_shape[-1],)

    def call(self, inputs, training=False):
        x = self._image(inputs)                                              # (B, H, W, C)
        sh, sw = (1,) + self.size if self.rank == 1 else self.size
        return self._back(x.repeat(sh, axis=1).repeat(sw, axis=2))         # (B, H*sh, W*sw, C)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        dy = self._image(grad_output)                                        # (B, H*sh, W*sw, C)
        sh, sw = (1,) + self.size if self.rank == 1 else self.size
        b, h, w, c = dy.shape
        return self._back(dy.reshape(b, h // sh, sh, w // sw, sw, c).sum(axis=(2, 4)))  # (B, H, W, C)

    def get_config(self):
        config = super().get_config()
        if self.rank == 1:
            config["size"] = self.size[0]
        else:
            config.update({"size": self.size, "data_format": self.data_format, "interpolation": self.interpolation})
        return config


class ZeroPadding2D(_ZeroPadding):
    """Adds rows and columns of zeros around each image (Keras ``keras.layers.ZeroPadding2D``).

    Args:
        padding: int, ``(rows, cols)`` or ``((top, bottom), (left, right))``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> ZeroPadding2D(1)(np.ones((1, 2, 2, 1))).shape
    (1, 4, 4, 1)
    """

    rank = 2


class ZeroPadding1D(_ZeroPadding):
    """Adds zero steps at the start and end of each sequence (Keras ``keras.layers.ZeroPadding1D``).

    Args:
        padding: int or ``(before, after)``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> ZeroPadding1D((1, 2))(np.ones((1, 3, 1)))[0, :, 0]
    array([0., 1., 1., 1., 0., 0.])
    """

    rank = 1

    def __init__(self, padding=1, **kwargs):
        super().__init__(padding, None, **kwargs)


class Cropping2D(_Cropping):
    """Removes rows and columns at the edges of each image (Keras ``keras.layers.Cropping2D``).

    Args:
        cropping: int, ``(rows, cols)`` or ``((top, bottom), (left, right))``.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> Cropping2D(((1, 0), (0, 2)))(np.ones((1, 4, 4, 1))).shape
    (1, 3, 2, 1)
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping1D(_Cropping):
    """Removes steps at the start and end of each sequence (Keras ``keras.layers.Cropping1D``).

    Args:
        cropping: int or ``(before, after)``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> Cropping1D((1, 1))(np.arange(4.0).reshape(1, 4, 1))[0, :, 0]
    array([1., 2.])
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, None, **kwargs)


class UpSampling2D(_UpSampling):
    """Repeats each row ``size[0]`` and each column ``size[1]`` times (Keras ``keras.layers.UpSampling2D``).

    Args:
        size: int or ``(rows, cols)`` factors.
        data_format: ``'channels_last'`` (or None); ``'channels_first'`` raises.
        interpolation: ``'nearest'`` (the only one minikeras has).
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> UpSampling2D()(np.arange(4.0).reshape(1, 2, 2, 1))[0, :, :, 0]
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [2., 2., 3., 3.],
           [2., 2., 3., 3.]])
    """

    rank = 2


class UpSampling1D(_UpSampling):
    """Repeats each step ``size`` times (Keras ``keras.layers.UpSampling1D``).

    Args:
        size: the repeat factor.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    >>> UpSampling1D(2)(np.array([[[1.0], [2.0]]]))[0, :, 0]
    array([1., 1., 2., 2.])
    """

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, None, "nearest", **kwargs)
