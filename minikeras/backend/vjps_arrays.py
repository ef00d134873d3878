"""The tape's rules for products, reductions, shapes and indexing (see :mod:`vjps` for the format).

Each rule returns ``(out, vjp)``: the forward value and, right under it, the function turning
``g = dL/d(out)`` into one gradient per argument. A reduction's gradient is ``g`` copied back
along the reduced axes; a reshape's is ``g`` reshaped back; an indexing's is ``g`` scattered back.

>>> out, vjp = sum_(np.ones((2, 3)), axis=1)
>>> vjp(np.array([1.0, 2.0]))[0]
array([[1., 1., 1.],
       [2., 2., 2.]])
"""
import numpy as np


def _expand(g, shape, axis, keepdims):
    """``g`` (a reduction's gradient) broadcast back to the reduced input's ``shape``."""
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        g = np.expand_dims(g, tuple(a % len(shape) for a in axes))
    elif axis is None and not keepdims:
        g = np.reshape(g, (1,) * len(shape))
    return np.broadcast_to(g, shape)


def _count(shape, axis):
    """How many elements a reduction over ``axis`` averages."""
    if axis is None:
        return int(np.prod(shape))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return int(np.prod([shape[a] for a in axes]))


# ----------------------------------------------------------------------- products
def matmul(a, b):
    """``a @ b`` (batched): ``g @ b.T`` and ``a.T @ g`` (transposing the last two axes)."""
    out = np.matmul(a, b)
    if a.ndim == 1 and b.ndim == 1:                               # inner product
        return out, lambda g: (g * b, g * a)

    def vjp(g):
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = np.expand_dims(g, -2) if a.ndim == 1 else g
        g2 = np.expand_dims(g2, -1) if b.ndim == 1 else g2
        da = g2 @ np.swapaxes(b2, -1, -2)
        db = np.swapaxes(a2, -1, -2) @ g2
        return (da[..., 0, :] if a.ndim == 1 else da), (db[..., 0] if b.ndim == 1 else db)
    return out, vjp


def dot(a, b):
    """``np.dot``: contracts ``a``'s last axis with ``b``'s second-to-last (its only one if 1-D)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:                       # a scalar: a product
        return np.multiply(a, b), lambda g: (np.sum(g * b), np.sum(g * a))
    out = np.dot(a, b)

    def vjp(g):
        free_a = list(range(a.ndim - 1))                         # a: (A..., n)
        if b.ndim == 1:                                           # b: (n,), out: (A...)
            return np.multiply.outer(g, b), np.tensordot(a, g, axes=(free_a, free_a))
        free_b = [i for i in range(b.ndim) if i != b.ndim - 2]    # b: (B..., n, m), out: (A..., B..., m)
        da = np.tensordot(g, b, axes=(list(range(a.ndim - 1, g.ndim)), free_b))
        db = np.moveaxis(np.tensordot(a, g, axes=(free_a, free_a)), 0, -2)
        return da, db
    return out, vjp


# ----------------------------------------------------------------------- reductions
def sum_(a, axis=None, keepdims=False, **kwargs):
    """Sum over ``axis``: the gradient is copied back along the summed axes."""
    return np.sum(a, axis=axis, keepdims=keepdims), lambda g: (_expand(g, np.shape(a), axis, keepdims),)


def mean(a, axis=None, keepdims=False, **kwargs):
    """Mean over ``axis``: copied back and divided by the count."""
    n = _count(np.shape(a), axis)
    return np.mean(a, axis=axis, keepdims=keepdims), lambda g: (_expand(g, np.shape(a), axis, keepdims) / n,)


def max_(a, axis=None, keepdims=False, **kwargs):
    """Max over ``axis``: the gradient goes to the maximum (split equally between ties)."""
    out = np.max(a, axis=axis, keepdims=keepdims)

    def vjp(g):
        hit = np.asarray(a) == _expand(out, np.shape(a), axis, keepdims)
        share = hit / np.sum(hit, axis=axis, keepdims=True)
        return _expand(g, np.shape(a), axis, keepdims) * share,
    return out, vjp


def min_(a, axis=None, keepdims=False, **kwargs):
    """Min over ``axis``: like max."""
    out, vjp = max_(np.negative(a), axis=axis, keepdims=keepdims)
    return -out, vjp


def prod(a, axis=None, keepdims=False, **kwargs):
    """Product over ``axis``: ``g * prod / a`` (inputs assumed non-zero)."""
    out = np.prod(a, axis=axis, keepdims=keepdims)
    return out, lambda g: (_expand(g * out, np.shape(a), axis, keepdims) / a,)


def var(a, axis=None, keepdims=False, **kwargs):
    """Variance: ``g * 2 (a - mean) / n``."""
    centred = a - np.mean(a, axis=axis, keepdims=True)
    n = _count(np.shape(a), axis)
    return np.var(a, axis=axis, keepdims=keepdims), lambda g: (_expand(g, np.shape(a), axis, keepdims) * 2 * centred / n,)


def std(a, axis=None, keepdims=False, **kwargs):
    """Standard deviation: ``g * (a - mean) / (n * std)``."""
    out = np.std(a, axis=axis, keepdims=True)
    centred = a - np.mean(a, axis=axis, keepdims=True)
    n = _count(np.shape(a), axis)
    value = out if keepdims else np.squeeze(out, axis=axis)
    return value, lambda g: (_expand(g, np.shape(a), axis, keepdims) * centred / (n * out),)


# ----------------------------------------------------------------------- shapes and indexing
def reshape(a, shape=None, order="C", **kwargs):
    """A new shape: the gradient is reshaped back."""
    shape = kwargs.get("newshape", shape)
    return np.reshape(a, shape), lambda g: (np.reshape(g, np.shape(a)),)


def ravel(a, order="C"):
    """One axis: reshaped back."""
    return np.ravel(a), lambda g: (np.reshape(g, np.shape(a)),)


def transpose(a, axes=None):
    """Axes permuted: the gradient is permuted back."""
    back = None if axes is None else np.argsort(axes)
    return np.transpose(a, axes), lambda g: (np.transpose(g, back),)


def swapaxes(a, axis1, axis2):
    """Two axes swapped: swapped back."""
    return np.swapaxes(a, axis1, axis2), lambda g: (np.swapaxes(g, axis1, axis2),)


def expand_dims(a, axis):
    """A new axis of length 1: removed again."""
    return np.expand_dims(a, axis), lambda g: (np.reshape(g, np.shape(a)),)


def squeeze(a, axis=None):
    """Length-1 axes removed: put back."""
    return np.squeeze(a, axis), lambda g: (np.reshape(g, np.shape(a)),)


def broadcast_to(a, shape, **kwargs):
    """``a`` repeated to ``shape``: the tape sums the copies back (un-broadcasting)."""
    return np.broadcast_to(a, shape), lambda g: (g,)


def concatenate(arrays, axis=0, **kwargs):
    """Joined along ``axis``: the gradient is split at the same places."""
    cuts = np.cumsum([np.shape(x)[axis] for x in arrays])[:-1]
    return np.concatenate(arrays, axis=axis), lambda g: (np.split(g, cuts, axis=axis),)


def stack(arrays, axis=0, **kwargs):
    """Stacked along a new ``axis``: the gradient is unstacked."""
    return np.stack(arrays, axis=axis), lambda g: ([np.take(g, i, axis=axis) for i in range(len(arrays))],)


def getitem(a, index):
    """``a[index]`` (slices, ints, integer arrays, masks): the gradient is scattered back, summing repeats."""
    def vjp(g):
        d = np.zeros(np.shape(a), dtype=np.result_type(g))
        np.add.at(d, index, g)
        return d, None
    return np.asarray(a)[index], vjp


def take(a, indices, axis=None, **kwargs):
    """Rows ``indices`` of ``a`` along ``axis`` (``K.gather``): scattered back, summing repeats."""
    def vjp(g):
        d = np.zeros(np.shape(a), dtype=np.result_type(g))
        if axis is None:
            np.add.at(d.reshape(-1), indices, g)
        else:
            np.add.at(np.moveaxis(d, axis, 0), indices, np.moveaxis(g, axis, 0) if np.ndim(indices) else g)
        return d, None
    return np.take(a, indices, axis=axis), vjp


def astype(a, dtype):
    """``a`` cast to ``dtype``: the gradient is cast back (zero through an integer cast)."""
    out = np.asarray(a).astype(dtype)
    if out.dtype.kind != "f":
        return out, lambda g: (np.zeros(np.shape(a)), None)
    return out, lambda g: (g, None)


def copy(a, **kwargs):
    """A copy: the gradient is unchanged."""
    return np.copy(a), lambda g: (g,)
