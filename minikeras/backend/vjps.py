"""Every differentiable op of the tape: its forward, and right under it its vector-Jacobian product.

This file has arithmetic and element-wise functions; products, reductions, shapes and indexing
are in :mod:`vjps_arrays`. A rule takes plain arrays and returns ``(out, vjp)``; ``vjp(g)`` turns ``g = dL/d(out)`` into
one gradient per positional argument (None for an argument that is not differentiable). The
tape (:mod:`minikeras.backend.autodiff`) then sums each gradient over the axes along which its
argument was broadcast ("un-broadcasting"), so the rules below can ignore broadcasting.

:data:`RULES` maps the NumPy function a rule stands for to the rule: NumPy hands calls on a
tape ``Tensor`` to it. :data:`NO_GRADIENT` lists NumPy functions whose output carries no
gradient (comparisons, ``argmax``, ...): on tensors they just compute values.

At a kink the gradient follows TensorFlow's choice: ``|x|'(0) = 0``, ``relu'(0) = 0``,
``max(a, b)`` sends the gradient to ``a`` on ties, ``clip`` passes it at the bounds.

>>> out, vjp = multiply(np.array([2.0]), np.array([5.0]))
>>> vjp(np.array([1.0]))
(array([5.]), array([2.]))
"""
import numpy as np

from .vjps_arrays import (  # products, reductions, shapes and indexing
    astype, broadcast_to, concatenate, copy, dot, einsum, expand_dims, getitem, matmul, max_, mean, min_, moveaxis,
    pad, prod, ravel, repeat, reshape, squeeze, stack, std, sum_, swapaxes, take, tensordot, tile, transpose, var)


# ----------------------------------------------------------------------- arithmetic (broadcasting)
def add(a, b):
    """``a + b``: the gradient flows unchanged to both."""
    return np.add(a, b), lambda g: (g, g)


def subtract(a, b):
    """``a - b``: ``g`` and ``-g``."""
    return np.subtract(a, b), lambda g: (g, -g)


def multiply(a, b):
    """``a * b``: ``g * b`` and ``g * a``."""
    return np.multiply(a, b), lambda g: (g * b, g * a)


def divide(a, b):
    """``a / b``: ``g / b`` and ``-g * a / b**2``."""
    return np.divide(a, b), lambda g: (g / b, -g * a / np.square(b))


def negative(a):
    """``-a``: ``-g``."""
    return np.negative(a), lambda g: (-g,)


def power(a, b):
    """``a ** b``: ``g * b * a**(b-1)`` and ``g * a**b * log(a)`` (0 where ``a <= 0``)."""
    out = np.power(a, b)

    def vjp(g):
        positive = np.asarray(a) > 0
        log_a = np.log(np.where(positive, a, 1))
        return g * b * np.power(a, np.subtract(b, 1)), np.where(positive, g * out * log_a, 0)
    return out, vjp


def maximum(a, b):
    """``max(a, b)``: the gradient goes to ``a`` where ``a >= b``, else to ``b``."""
    mask = np.greater_equal(a, b)
    return np.maximum(a, b), lambda g: (g * mask, g * ~mask)


def minimum(a, b):
    """``min(a, b)``: the gradient goes to ``a`` where ``a <= b``, else to ``b``."""
    mask = np.less_equal(a, b)
    return np.minimum(a, b), lambda g: (g * mask, g * ~mask)


def logaddexp(a, b):
    """``log(exp(a) + exp(b))``: ``g * exp(a - out)`` and ``g * exp(b - out)``."""
    out = np.logaddexp(a, b)
    return out, lambda g: (g * np.exp(a - out), g * np.exp(b - out))


# ----------------------------------------------------------------------- element-wise functions
def _unary(forward, derivative):
    """A rule for ``out = forward(x)`` with ``dL/dx = g * derivative(x, out)``."""
    def rule(x):
        out = forward(x)
        return out, lambda g: (g * derivative(x, out),)
    rule.__name__ = rule.__qualname__ = forward.__name__
    rule.__doc__ = f"``{forward.__name__}(x)``, element-wise."
    return rule


square = _unary(np.square, lambda x, y: 2 * x)
sqrt = _unary(np.sqrt, lambda x, y: 0.5 / y)
exp = _unary(np.exp, lambda x, y: y)
expm1 = _unary(np.expm1, lambda x, y: y + 1)
log = _unary(np.log, lambda x, y: 1 / x)
log1p = _unary(np.log1p, lambda x, y: 1 / (1 + x))
tanh = _unary(np.tanh, lambda x, y: 1 - y * y)
sin = _unary(np.sin, lambda x, y: np.cos(x))
cos = _unary(np.cos, lambda x, y: -np.sin(x))
absolute = _unary(np.absolute, lambda x, y: np.sign(x))
reciprocal = _unary(np.reciprocal, lambda x, y: -y * y)


def sigmoid(x):
    """``1 / (1 + exp(-x))`` (overflow-free): ``g * y * (1 - y)``."""
    e = np.exp(-np.abs(x))
    y = np.where(np.asarray(x) >= 0, 1 / (1 + e), e / (1 + e)).astype(np.result_type(x, np.float32))
    return y, lambda g: (g * y * (1 - y),)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``: ``y * (g - sum(g * y))``."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    y = e / np.sum(e, axis=axis, keepdims=True)
    return y, lambda g: (y * (g - np.sum(g * y, axis=axis, keepdims=True)),)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Keras's relu: ``x`` above ``threshold`` (capped at ``max_value``), ``alpha * (x - threshold)`` below."""
    x = np.asarray(x)
    y = np.where(x > threshold, x, 0).astype(x.dtype)
    if max_value is not None:
        y = np.minimum(y, max_value).astype(x.dtype)
    if alpha != 0:
        y = y + (alpha * np.minimum(x - threshold, 0)).astype(x.dtype)
    slope = (x > threshold) if max_value is None else (x > threshold) & (x < max_value)
    return y, lambda g: (g * (slope + alpha * (x <= threshold)),)


def softplus(x):
    """``log(1 + exp(x))``: ``g * sigmoid(x)``."""
    y = np.logaddexp(0, x).astype(np.result_type(x, np.float32))
    return y, lambda g: (g * sigmoid(x)[0],)


def softsign(x):
    """``x / (1 + |x|)``: ``g / (1 + |x|)**2``."""
    return x / (1 + np.abs(x)), lambda g: (g / np.square(1 + np.abs(x)),)


def elu(x, alpha=1.0):
    """``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``: ``g`` or ``g * alpha * exp(x)``."""
    neg = alpha * np.expm1(np.minimum(x, 0))
    return np.where(np.asarray(x) > 0, x, neg), lambda g: (np.where(np.asarray(x) > 0, g, g * (neg + alpha)),)


def hard_sigmoid(x):
    """``clip(0.2 x + 0.5, 0, 1)``: ``0.2 g`` strictly inside, 0 outside."""
    y = np.clip(0.2 * np.asarray(x) + 0.5, 0, 1).astype(np.result_type(x, np.float32))
    return y, lambda g: (g * 0.2 * ((y > 0) & (y < 1)),)


def hand_written(forward, gradient):
    """A rule from a function and its own backward ``gradient(x, y, dy, **kw) -> dx`` (activations)."""
    def rule(x, **kwargs):
        y = forward(x, **kwargs)
        return y, lambda g: (gradient(x, y, g, **kwargs),)
    rule.__name__ = rule.__qualname__ = getattr(forward, "__name__", "hand_written")
    return rule


def clip(a, a_min=None, a_max=None, **kwargs):
    """``a`` limited to ``[a_min, a_max]``: the gradient passes where ``a_min <= a <= a_max``."""
    lo = kwargs.get("min", a_min)
    hi = kwargs.get("max", a_max)
    inside = np.ones(np.shape(a), dtype=bool)
    if lo is not None:
        inside &= np.asarray(a) >= lo
    if hi is not None:
        inside &= np.asarray(a) <= hi
    return np.clip(a, lo, hi), lambda g: (g * inside, None, None)


def where(condition, x, y):
    """``x`` where ``condition`` else ``y``: the gradient goes to the chosen side."""
    return np.where(condition, x, y), lambda g: (None, np.where(condition, g, 0), np.where(condition, 0, g))


# ----------------------------------------------------------------------- running sums and reversals
def cumsum(a, axis=None):
    """Running sum along ``axis`` (the flattened array for None): element ``i`` reaches every output
    from ``i`` on, so its gradient is the running sum of ``g`` taken backwards."""
    def vjp(g):
        if axis is None:
            return (np.flip(np.cumsum(np.flip(np.ravel(g)))).reshape(np.shape(a)),)
        return (np.flip(np.cumsum(np.flip(g, axis), axis), axis),)
    return np.cumsum(a, axis=axis), vjp


def flip(a, axis=None):
    """``a`` reversed along ``axis``: the gradient is reversed back."""
    return np.flip(a, axis), lambda g: (np.flip(g, axis),)


#: NumPy function -> rule. Calls on tape tensors come here (see autodiff.Tensor).
RULES = {
    np.add: add, np.subtract: subtract, np.multiply: multiply, np.divide: divide, np.negative: negative,
    np.power: power, np.maximum: maximum, np.minimum: minimum, np.logaddexp: logaddexp,
    np.square: square, np.sqrt: sqrt, np.exp: exp, np.expm1: expm1, np.log: log, np.log1p: log1p,
    np.tanh: tanh, np.sin: sin, np.cos: cos, np.absolute: absolute, np.reciprocal: reciprocal,
    np.clip: clip, np.where: where, np.matmul: matmul, np.dot: dot,
    np.sum: sum_, np.mean: mean, np.max: max_, np.amax: max_, np.min: min_, np.amin: min_, np.prod: prod,
    np.var: var, np.std: std,
    np.reshape: reshape, np.ravel: ravel, np.transpose: transpose, np.swapaxes: swapaxes,
    np.expand_dims: expand_dims, np.squeeze: squeeze, np.broadcast_to: broadcast_to,
    np.concatenate: concatenate, np.stack: stack, np.take: take, np.copy: copy,
    np.moveaxis: moveaxis, np.pad: pad, np.repeat: repeat, np.tile: tile, np.einsum: einsum, np.tensordot: tensordot,
    np.cumsum: cumsum, np.flip: flip,
}

#: NumPy functions whose result has no gradient: on tensors they compute plain values.
NO_GRADIENT = {
    np.equal, np.not_equal, np.greater, np.greater_equal, np.less, np.less_equal,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor, np.sign, np.floor, np.ceil, np.rint,
    np.round, np.around, np.trunc, np.isnan, np.isinf, np.isfinite, np.argmax, np.argmin, np.argsort,
    np.zeros_like, np.ones_like, np.full_like, np.empty_like, np.shape, np.ndim, np.size, np.result_type,
    np.any, np.all, np.nonzero, np.count_nonzero, np.array_equal, np.allclose, np.isclose,
    np.floor_divide, np.remainder,
}
