"""Neural-network ``K`` functions: activations, ``bias_add``, ``gather`` and the crossentropies.

On arrays they are plain NumPy; on the autodiff tape's tensors they are recorded with the
vector-Jacobian products written in :mod:`minikeras.backend.vjps` (so ``relu``, ``sigmoid``,
``softplus``... have exact gradients at their kinks, as in TensorFlow).

>>> import numpy as np
>>> relu(np.array([-1.0, 2.0]))
array([0., 2.])
"""
import numpy as np

from . import autodiff, vjps
from .config import epsilon

sigmoid = autodiff.primitive(vjps.sigmoid)
softmax = autodiff.primitive(vjps.softmax)
relu = autodiff.primitive(vjps.relu)
elu = autodiff.primitive(vjps.elu)
softplus = autodiff.primitive(vjps.softplus)
softsign = autodiff.primitive(vjps.softsign)
hard_sigmoid = autodiff.primitive(vjps.hard_sigmoid)


def gather(reference, indices):
    """Rows ``indices`` of ``reference`` (its first axis), as an embedding lookup does."""
    return np.take(reference, np.asarray(autodiff.value_of(indices), dtype=int), axis=0)


def bias_add(x, bias, data_format=None):
    """``x + bias`` along the last (channels) axis."""
    return x + bias


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """``-sum(target * log(output))`` along ``axis``; ``output`` is rescaled to sum to 1 and clipped."""
    if from_logits:
        shifted = output - np.max(output, axis=axis, keepdims=True)
        log_p = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        return -np.sum(target * log_p, axis=axis)
    output = output / np.sum(output, axis=axis, keepdims=True)
    output = np.clip(output, epsilon(), 1 - epsilon())
    return -np.sum(target * np.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical crossentropy with integer labels ``target`` (one per row)."""
    labels = np.asarray(autodiff.value_of(target)).astype(int).reshape(np.shape(output)[:-1])
    one_hot = np.eye(np.shape(output)[axis], dtype=np.result_type(output))[labels]
    return categorical_crossentropy(one_hot, output, from_logits=from_logits, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise ``-(t log(p) + (1 - t) log(1 - p))``, ``p`` clipped to ``[eps, 1 - eps]``."""
    if from_logits:
        return np.maximum(output, 0) - output * target + np.log1p(np.exp(-np.abs(output)))
    output = np.clip(output, epsilon(), 1 - epsilon())
    return -(target * np.log(output + epsilon()) + (1 - target) * np.log(1 - output + epsilon()))
