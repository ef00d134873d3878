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


def moveaxis(a, source, destination):
    """Axes moved: moved back."""
    return np.moveaxis(a, source, destination), lambda g: (np.moveaxis(g, destination, source),)


def pad(array, pad_width, mode="constant", **kwargs):
    """Zero (constant) padding: the gradient is the unpadded window of ``g``."""
    if mode != "constant":
        raise NotImplementedError(f"minikeras's tape differentiates np.pad with mode='constant' only, not {mode!r}.")
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int).reshape(-1, 2) if np.ndim(pad_width) else
                             [[pad_width, pad_width]], (np.ndim(array), 2))
    window = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, np.shape(array)))
    return np.pad(array, pad_width, mode=mode, **kwargs), lambda g: (g[window], None)


def repeat(a, repeats, axis=None):
    """Each element repeated ``repeats`` times: the copies' gradients are summed."""
    def vjp(g):
        flat = np.ravel(a) if axis is None else a
        ax = 0 if axis is None else axis % np.ndim(a)
        counts = np.broadcast_to(repeats, (np.shape(flat)[ax],))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        return np.reshape(np.add.reduceat(g, starts, axis=ax), np.shape(a)), None
    return np.repeat(a, repeats, axis=axis), vjp


def tile(A, reps):
    """``A`` tiled ``reps`` times: the tiles' gradients are summed."""
    out = np.tile(A, reps)

    def vjp(g):
        reps_ = (1,) * (out.ndim - len(np.atleast_1d(reps))) + tuple(np.atleast_1d(reps))
        shape = (1,) * (out.ndim - np.ndim(A)) + np.shape(A)
        split = np.reshape(g, [n for pair in zip(reps_, shape) for n in pair])   # (r0, d0, r1, d1, ...)
        return np.reshape(np.sum(split, axis=tuple(range(0, 2 * out.ndim, 2))), np.shape(A)), None
    return out, vjp


def einsum(subscripts, *operands, **kwargs):
    """``np.einsum`` with explicit output (``'ij,jk->ik'``): each operand's gradient is another
    einsum of ``g`` with the other operands; an index summed inside one operand only is broadcast back."""
    if "->" not in subscripts or "." in subscripts:
        raise NotImplementedError("minikeras's tape differentiates np.einsum with an explicit '->' and no '...'.")
    inputs, output = subscripts.replace(" ", "").split("->")
    inputs = inputs.split(",")

    def vjp(g):
        grads = [None]
        for i, (subs, x) in enumerate(zip(inputs, operands)):
            others = [s for j, s in enumerate(inputs) if j != i]
            known = set(output).union(*others)
            kept = "".join(c for c in subs if c in known)
            if len(set(subs)) != len(subs):
                raise NotImplementedError("minikeras's tape cannot differentiate a repeated index (a diagonal).")
            spec = ",".join([output] + others) + "->" + kept
            d = np.einsum(spec, g, *[o for j, o in enumerate(operands) if j != i])
            d = np.expand_dims(d, tuple(k for k, c in enumerate(subs) if c not in known))
            grads.append(np.broadcast_to(d, np.shape(x)))
        return grads
    return np.einsum(subscripts, *operands), vjp


def tensordot(a, b, axes=2):
    """``np.tensordot``, differentiated as the equivalent :func:`einsum`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if np.ndim(axes) == 0:
        axes = (list(range(np.ndim(a) - axes, np.ndim(a))), list(range(axes)))
    axes_a, axes_b = ([ax % np.ndim(a) for ax in np.atleast_1d(axes[0])],
                      [ax % np.ndim(b) for ax in np.atleast_1d(axes[1])])
    sa = letters[:np.ndim(a)]
    sb = list(letters[np.ndim(a):np.ndim(a) + np.ndim(b)])
    for i, j in zip(axes_a, axes_b):
        sb[j] = sa[i]
    sb = "".join(sb)
    out = "".join(c for k, c in enumerate(sa) if k not in axes_a) + "".join(c for k, c in enumerate(sb) if k not in axes_b)
    value, vjp = einsum(f"{sa},{sb}->{out}", a, b)
    return value, lambda g: tuple(vjp(g)[1:]) + (None,)
