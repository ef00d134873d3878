"""Gradient clipping, applied by every optimizer before its update (Keras 2.2.4's order).

* ``global_clipnorm=c``: all gradients scaled by ``c / max(global_norm, c)``, with
  ``global_norm = sqrt(sum_i ||g_i||^2)``;
* ``clipnorm=c``: each gradient scaled by ``c / max(||g||, c)`` on its own;
* ``clipvalue=c``: then each number clipped to ``[-c, c]``.
"""
import math

import numpy as np

from ..backend.indexed_slices import IndexedSlices


def norm(array):
    """The Euclidean norm of all of ``array``'s numbers, as a float (an ``IndexedSlices``'s: its rows').

    >>> norm(np.array([3.0, 4.0]))
    5.0
    """
    values = array.values if isinstance(array, IndexedSlices) else array
    return math.sqrt(float(np.vdot(values, values)))


def clip_values(grad, clip):
    """Each number of ``grad`` clipped to ``[-clip, clip]`` (an ``IndexedSlices`` stays one)."""
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(np.clip(grad.values, -clip, clip), grad.indices, grad.dense_shape)
    return np.clip(grad, -clip, clip)


def clip_by_norm(grad, clip):
    """``grad`` scaled down to norm ``clip`` if its norm is larger (else ``grad`` itself)."""
    size = norm(grad)
    return grad if size <= clip else grad * (clip / size)


def clip_gradients(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Returns the gradients after ``global_clipnorm``/``clipnorm``, then ``clipvalue``.

    Args:
        grads: list of arrays (None entries stay None).
        clipnorm, clipvalue, global_clipnorm: the optimizer's settings (None = off).

    Returns:
        A new list; the input arrays are never modified (new arrays are made where clipping acts).

    >>> clip_gradients([np.array([3.0, 4.0]), None], clipnorm=1.0)
    [array([0.6, 0.8]), None]
    """
    if global_clipnorm is not None:
        global_norm = math.sqrt(sum(norm(g) ** 2 for g in grads if g is not None))
        if global_norm > global_clipnorm:
            grads = [None if g is None else g * (global_clipnorm / global_norm) for g in grads]
    if clipnorm is not None:
        grads = [None if g is None else clip_by_norm(g, clipnorm) for g in grads]
    if clipvalue is not None:
        grads = [None if g is None else clip_values(g, clipvalue) for g in grads]
    return grads
