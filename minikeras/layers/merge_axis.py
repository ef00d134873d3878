"""Merges along an axis: ``Concatenate`` (join) and ``Dot`` (contract); Keras keeps them in ``merge.py``.

>>> import numpy as np
>>> a, b = np.ones((2, 3), 'float32'), np.ones((2, 3), 'float32')
>>> Concatenate()([a, b]).shape, Dot(axes=1)([a, b]).shape
((2, 6), (2, 1))
"""
import numpy as np

from .base import Layer


class Concatenate(Layer):
    """Joins a list of inputs along ``axis`` (Keras ``keras.layers.Concatenate``).

    Args:
        axis: the axis to join along (batch axis included in the count; -1 = last).
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, list):
            raise ValueError(f"A `Concatenate` layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape}")
        shapes = [list(s) for s in input_shape]
        rank = len(shapes[0])
        if not -rank <= self.axis < rank:
            raise ValueError(f"Concatenate: axis {self.axis} is out of range for inputs of rank {rank} (batch axis "
                             f"included); use an axis in [{-rank}, {rank - 1}], e.g. -1 for the last.")
        axis = self.axis % rank if rank else 0
        for s in shapes:
            if len(s) != rank or any(a is not None and b is not None and a != b
                                     for i, (a, b) in enumerate(zip(s, shapes[0])) if i != axis):
                raise ValueError(f"A `Concatenate` layer requires inputs with matching shapes except for the "
                                 f"concatenation axis. Received: input_shape={[tuple(x) for x in input_shape]}")
        out = list(shapes[0])
        sizes = [s[axis] for s in shapes]
        out[axis] = None if any(n is None for n in sizes) else sum(sizes)
        return tuple(out)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs, training=False):
        self._shape = [x.shape[self.axis] for x in inputs]     # sizes along the axis
        return np.concatenate(inputs, axis=self.axis)          # (B, ..., sum of sizes, ...)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        if not input_grad:
            return None
        return np.split(grad_output, np.cumsum(self._shape)[:-1], axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """None, or the inputs' masks joined (missing ones all True) as tf_keras does."""
        if mask is None or all(m is None for m in mask):
            return None
        ndim = next(np.ndim(m) for m in mask if m is not None)
        masks = [np.ones(np.shape(x)[:ndim], dtype=bool) if m is None else m for x, m in zip(inputs, mask)]
        axis = self.axis % np.ndim(inputs[0])
        return np.concatenate(masks, axis=axis) if axis < ndim else np.logical_and.reduce(masks)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


class Dot(Layer):
    """Batched dot product of two inputs along ``axes`` (Keras ``keras.layers.Dot``).

    For samples ``x`` and ``y``: ``out = sum_k x[..., k, ...] * y[..., k, ...]`` over the given axes;
    the output keeps x's other axes, then y's. ``normalize=True`` first divides each input by its
    L2 norm along the axis, so ``Dot(axes=1, normalize=True)`` is the cosine similarity.

    Args:
        axes: an int (the same axis of both) or a pair ``(axis_of_x, axis_of_y)``.
        normalize: L2-normalize each input along its axis first.
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.

    Raises:
        ValueError: if ``axes`` is a list that is not of length 2.
    """

    _CACHE = Layer._CACHE + ("_norm",)

    def __init__(self, axes, normalize=False, **kwargs):
        if isinstance(axes, (list, tuple)) and len(axes) != 2:
            raise ValueError(f"Invalid format for argument `axes`: it should contain two elements. Received: "
                             f"axes={axes}")
        super().__init__(**kwargs)
        self.axes = list(axes) if isinstance(axes, (list, tuple)) else int(axes)
        self.normalize = bool(normalize)

    def _axes(self, shapes):
        """Each input's contracted axis, counted from 0; a ValueError for one out of range or the batch axis."""
        axes = [self.axes] * 2 if isinstance(self.axes, int) else self.axes
        for a, shape in zip(axes, shapes):
            if not -len(shape) < a < len(shape) or a in (0, -len(shape)):
                raise ValueError(f"Dot: axes={self.axes} is out of range for inputs of shapes "
                                 f"{[tuple(s) for s in shapes]}; each axis must be in [1, rank - 1] or negative "
                                 f"(not the batch axis).")
        return [a % len(s) for a, s in zip(axes, shapes)]

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        s1, s2 = (tuple(s) for s in input_shape)
        a1, a2 = self._axes([s1, s2])
        if s1[a1] is not None and s2[a2] is not None and s1[a1] != s2[a2]:
            raise ValueError(f"Incompatible input shapes: axis values {s1[a1]} (at axis {a1}) != {s2[a2]} (at axis "
                             f"{a2}). Full input shapes: {s1}, {s2}")
        rest = [d for i, d in enumerate(s1) if i not in (0, a1)] + [d for i, d in enumerate(s2) if i not in (0, a2)]
        return (s1[0],) + (tuple(rest) if rest else (1,))

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs, training=False):
        x, y = inputs
        a1, a2 = self._axes([x.shape, y.shape])
        self._norm = None
        if self.normalize:
            nx = np.sqrt(np.maximum(np.sum(x * x, axis=a1, keepdims=True), 1e-12))
            ny = np.sqrt(np.maximum(np.sum(y * y, axis=a2, keepdims=True), 1e-12))
            self._norm = (x, y, nx, ny)
            x, y = x / nx, y / ny
        xm = np.moveaxis(x, a1, -1)                             # (B, x rest..., k)
        ym = np.moveaxis(y, a2, 1)                              # (B, k, y rest...)
        self._inputs = (xm, ym, x.shape, y.shape)
        b, k = x.shape[0], x.shape[a1]
        z = xm.reshape(b, -1, k) @ ym.reshape(b, k, -1)         # (B, Px, Py)
        out = z.reshape((b,) + xm.shape[1:-1] + ym.shape[2:])
        return out.reshape(b, 1) if out.ndim == 1 else out      # (B, x rest..., y rest...)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        if not input_grad:
            return None
        xm, ym, x_shape, y_shape = self._inputs
        a1, a2 = self._axes([x_shape, y_shape])
        b, k = xm.shape[0], xm.shape[-1]
        x2, y2 = xm.reshape(b, -1, k), ym.reshape(b, k, -1)     # (B, Px, k), (B, k, Py)
        dz = grad_output.reshape(b, x2.shape[1], y2.shape[2])   # (B, Px, Py)
        dx = np.moveaxis((dz @ y2.transpose(0, 2, 1)).reshape(xm.shape), -1, a1)  # (B, x shape...)
        dy = np.moveaxis((x2.transpose(0, 2, 1) @ dz).reshape(ym.shape), 1, a2)   # (B, y shape...)
        if self._norm is not None:
            x, y, nx, ny = self._norm
            dx, dy = _normalize_grad(x, nx, dx, a1), _normalize_grad(y, ny, dy, a2)
        return [dx, dy]

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def _normalize_grad(x, norm, d_hat, axis):
    """Gradient through ``x_hat = x / max(|x|, 1e-6)``: ``(d_hat - x_hat * <d_hat, x_hat>) / |x|``."""
    x_hat = x / norm
    clipped = (norm * norm) <= 1e-12                            # the norm was floored: a plain division
    proj = np.sum(d_hat * x_hat, axis=axis, keepdims=True)
    return np.where(clipped, d_hat / norm, (d_hat - x_hat * proj) / norm)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``: joins a list of tensors along ``axis``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``: the batched dot product of two tensors."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
