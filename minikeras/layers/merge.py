"""Merge layers: one output from a list of inputs (``Add``, ``Concatenate``, ``Dot``, ...).

Each is called on a *list* of tensors, ``Add()([a, b])``, and its ``backward`` returns a list
with one gradient per input. Elementwise merges broadcast as tf_keras does: per-sample shapes
are compared from the right, a size 1 stretches, and a lower-rank input gets axes inserted
after the batch axis (``(B, 2, 3) + (B, 3)`` adds the vector to each row). The gradient of a
stretched input is summed back over the stretched axes.

>>> import numpy as np
>>> Add()([np.ones((2, 3), 'float32'), np.full((2, 3), 2, 'float32')])[0]
array([3., 3., 3.], dtype=float32)
"""
import numpy as np

from .base import Layer


class _Merge(Layer):
    """Elementwise merge of a list of inputs; subclasses define ``_merge`` and ``_merge_grads``."""

    def build(self, input_shape):
        if not isinstance(input_shape, list):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        batches = {s[0] for s in input_shape if s[0] is not None}
        if len(batches) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Got tensors with shapes "
                             f"{input_shape}")
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, list):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = _broadcast(out, tuple(shape[1:]))
        batch = next((s[0] for s in input_shape if s[0] is not None), None)
        return (batch,) + out

    def call(self, inputs, training=False):
        self._inputs = [x if hasattr(x, "ndim") else np.asarray(x) for x in inputs]  # arrays (or tape tensors)
        rank = max(x.ndim for x in self._inputs)
        aligned = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in self._inputs]
        self._y = self._merge(aligned)                        # (B, broadcast shape)
        return self._y

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        if not input_grad:
            return None
        rank = max(x.ndim for x in self._inputs)
        aligned = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in self._inputs]
        grads = self._merge_grads(aligned, grad_output)       # each (B, broadcast shape)
        return [_unbroadcast(g, a.shape).reshape(x.shape) for g, a, x in zip(grads, aligned, self._inputs)]

    def compute_mask(self, inputs, mask=None):
        """The AND of the inputs' masks (None if no input has one)."""
        if mask is None or all(m is None for m in mask):
            return None
        return np.logical_and.reduce([m for m in mask if m is not None])


def _broadcast(a, b):
    """The broadcast of two per-sample shapes (aligned from the right, as NumPy does)."""
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x == 1 or x is None and y not in (1, None):
            out.append(y)
        elif y == 1 or y is None or x == y:
            out.append(x)
        else:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {a} and {b}")
    return tuple(out)


def _unbroadcast(grad, shape):
    """Sums ``grad`` over the axes where ``shape`` has size 1 but ``grad`` does not."""
    axes = tuple(i for i, (g, s) in enumerate(zip(grad.shape, shape)) if s == 1 and g != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


class Add(_Merge):
    """Sums its inputs elementwise (Keras ``keras.layers.Add``).

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x                                   # (B, ...)
        return out

    def _merge_grads(self, xs, g):
        return [g] * len(xs)                                # dL/dx_i = dL/dy


class Subtract(_Merge):
    """``inputs[0] - inputs[1]`` (Keras ``keras.layers.Subtract``); exactly two inputs.

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    def build(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: "
                             f"input_shape={input_shape}")
        super().build(input_shape)

    def _merge(self, xs):
        return xs[0] - xs[1]                                # (B, ...)

    def _merge_grads(self, xs, g):
        return [g, -g]


class Multiply(_Merge):
    """Multiplies its inputs elementwise (Keras ``keras.layers.Multiply``).

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out * x                                   # (B, ...)
        return out

    def _merge_grads(self, xs, g):
        grads = []
        for i in range(len(xs)):                            # dL/dx_i = dL/dy * prod_{j != i} x_j
            d = g
            for j, x in enumerate(xs):
                if j != i:
                    d = d * x
            grads.append(d)
        return grads


class Average(_Merge):
    """The elementwise mean of its inputs (Keras ``keras.layers.Average``).

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out / np.asarray(len(xs), dtype=out.dtype)   # (B, ...)

    def _merge_grads(self, xs, g):
        return [g / np.asarray(len(xs), dtype=g.dtype)] * len(xs)


class Maximum(_Merge):
    """The elementwise maximum (Keras ``keras.layers.Maximum``); a tie sends the gradient to the first.

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    _pick = staticmethod(np.greater_equal)

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = np.where(self._pick(out, x), out, x)      # (B, ...)
        return out

    def _merge_grads(self, xs, g):
        # replay the pairwise merges: y_k = pick(y_{k-1}, x_k); the gradient follows the winner
        partial = [xs[0]]
        for x in xs[1:]:
            partial.append(np.where(self._pick(partial[-1], x), partial[-1], x))
        grads = [None] * len(xs)
        d = np.broadcast_to(g, partial[-1].shape)
        for k in range(len(xs) - 1, 0, -1):
            first = self._pick(partial[k - 1], xs[k])
            grads[k] = np.where(first, 0, d)
            d = np.where(first, d, 0)
        grads[0] = d
        return grads


class Minimum(Maximum):
    """The elementwise minimum (Keras ``keras.layers.Minimum``); a tie sends the gradient to the first.

    Args:
        **kwargs: the base :class:`~minikeras.layers.Layer` arguments.
    """

    _pick = staticmethod(np.less_equal)


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``: the sum of a list of tensors."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``: ``inputs[0] - inputs[1]``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``: the elementwise product of a list of tensors."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``: the elementwise mean of a list of tensors."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``: the elementwise maximum of a list of tensors."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``: the elementwise minimum of a list of tensors."""
    return Minimum(**kwargs)(inputs)


def __getattr__(name):
    """Keras 2.2.4's ``keras.layers.merge`` also held layers that minikeras defines in other modules."""
    from ..compat.legacy import moved_attribute
    return moved_attribute(__name__, name)
