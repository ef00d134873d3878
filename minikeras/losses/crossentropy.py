"""Crossentropies: categorical, sparse categorical, binary; from probabilities or from logits."""
import numpy as np

from .base import _floats, _prepare, _eps, _log_softmax, _sigmoid, _inside, _gradient_of, on_tape


def _smooth(y_true, label_smoothing, share):
    """Label smoothing: ``y (1 - s) + s * share`` (``share`` = 1/classes, or 1/2 for binary)."""
    return y_true * (1 - label_smoothing) + label_smoothing * share if label_smoothing else y_true


def _check_same_shape(y_true, y_pred, name):
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{name}: y_true has shape {y_true.shape} but y_pred has shape "
                         f"{y_pred.shape}; they must match (one-hot labels). For integer class "
                         f"labels use 'sparse_categorical_crossentropy'.")


@on_tape
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """Crossentropy ``-sum(y_true * log p, axis=-1)`` between one-hot labels and probabilities.

    Probabilities: ``p = clip(y_pred / sum(y_pred), eps, 1 - eps)`` (renormalised, then clipped,
    so a confident wrong answer costs at most ``-log(1e-7) = 16.118``). From logits:
    ``log p = log_softmax(y_pred)``, computed stably and never clipped.

    Args:
        y_true: one-hot (or soft) labels, shape ``(batch, classes)``.
        y_pred: probabilities, or logits if ``from_logits``; same shape.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: ``s`` in ``[0, 1]``: labels become ``y (1 - s) + s / classes``.

    Returns:
        Per-sample losses, shape ``(batch,)``.

    Raises:
        ValueError: if the shapes differ.

    >>> round(float(categorical_crossentropy([[0., 1.]], [[0.5, 0.2]])[0]), 5)  # -log(0.2/0.7)
    1.25276
    """
    y_pred = _floats(y_pred)
    y_true = np.asarray(y_true, dtype=y_pred.dtype)
    _check_same_shape(y_true, y_pred, "categorical_crossentropy")
    y_true = _smooth(y_true, label_smoothing, 1 / y_pred.shape[-1])
    if from_logits:
        return -np.sum(y_true * _log_softmax(y_pred), axis=-1)
    eps = _eps(y_pred)
    p = np.clip(y_pred / np.sum(y_pred, axis=-1, keepdims=True), eps, 1 - eps)
    return -np.sum(y_true * np.log(p), axis=-1)


@_gradient_of(categorical_crossentropy)
def _categorical_crossentropy_grad(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """Logits: ``softmax(z) sum(y) - y``. Probabilities: ``(g - sum(g p)) / sum(y_pred)`` with
    ``g = -y / p`` where the clip is inactive, else 0 (the renormalisation's chain rule)."""
    y_true = np.asarray(y_true, dtype=y_pred.dtype)
    _check_same_shape(y_true, y_pred, "categorical_crossentropy")
    y_true = _smooth(y_true, label_smoothing, 1 / y_pred.shape[-1])
    if from_logits:
        return np.exp(_log_softmax(y_pred)) * np.sum(y_true, axis=-1, keepdims=True) - y_true
    eps = _eps(y_pred)
    total = np.sum(y_pred, axis=-1, keepdims=True)
    p = y_pred / total
    g = -y_true / np.clip(p, eps, 1 - eps) * _inside(p, eps, 1 - eps)
    return (g - np.sum(g * p, axis=-1, keepdims=True)) / total


def _class_indices(y_true, y_pred):
    """Integer labels of shape ``y_pred.shape[:-1]`` from ``(batch,)`` or ``(batch, 1)`` labels."""
    labels = np.asarray(y_true)
    if labels.shape == y_pred.shape[:-1] + (1,):
        labels = labels[..., 0]
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"y_true must hold one class index per sample, shape {y_pred.shape[:-1]} "
                         f"or {y_pred.shape[:-1] + (1,)}; got shape {labels.shape}. For one-hot "
                         f"labels use 'categorical_crossentropy'.")
    labels = labels.astype(np.int64)
    classes = y_pred.shape[-1]
    bad = (labels < 0) | (labels >= classes)
    if np.any(bad):
        raise ValueError(f"y_true contains the label {labels[bad].flat[0]}, outside the valid range "
                         f"[0, {classes}) for y_pred with {classes} classes. Labels must be class "
                         f"indices 0..{classes - 1}.")
    return labels


def _pick(values, labels):
    """``values[..., label]`` for each sample."""
    return np.take_along_axis(values, labels[..., None], axis=-1)[..., 0]


@on_tape
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Categorical crossentropy with integer labels: ``-log p[label]``.

    Probabilities: clipped to ``[eps, 1 - eps]`` FIRST, then renormalised through a log-softmax
    of their logs (``p[label] / sum(p)``), in that order, as tf_keras does.

    Args:
        y_true: class indices (ints, or floats that are cast to int), shape ``(batch,)`` or
            ``(batch, 1)``.
        y_pred: probabilities (or logits if ``from_logits``), shape ``(batch, classes)``.
        from_logits: whether ``y_pred`` holds logits.

    Returns:
        Per-sample losses, shape ``(batch,)``.

    Raises:
        ValueError: if a label is outside ``[0, classes)`` or the shapes do not fit.

    >>> round(float(sparse_categorical_crossentropy([1], [[0.5, 0.2]])[0]), 5)
    1.25276
    """
    y_pred = _floats(y_pred)
    labels = _class_indices(y_true, y_pred)
    if not from_logits:
        y_pred = np.log(np.clip(y_pred, _eps(y_pred), 1 - _eps(y_pred)))
    return -_pick(_log_softmax(y_pred), labels)


@_gradient_of(sparse_categorical_crossentropy)
def _sparse_categorical_crossentropy_grad(y_true, y_pred, from_logits=False):
    """Logits: ``softmax(z) - one_hot``. Probabilities: ``(q / sum(q) - one_hot) / q`` with
    ``q = clip(y_pred)``, zero where the clip is active."""
    labels = _class_indices(y_true, y_pred)
    one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels]
    if from_logits:
        return np.exp(_log_softmax(y_pred)) - one_hot
    eps = _eps(y_pred)
    q = np.clip(y_pred, eps, 1 - eps)
    return (q / np.sum(q, axis=-1, keepdims=True) - one_hot) / q * _inside(y_pred, eps, 1 - eps)


@on_tape
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """``mean(-(y log(p + eps) + (1 - y) log(1 - p + eps)), axis=-1)``, ``p = clip(y_pred, eps, 1 - eps)``.

    From logits ``z``: ``max(z, 0) - z y + log(1 + exp(-|z|))`` (stable, never clipped).

    Args:
        y_true: labels in [0, 1], shape ``(batch, d)`` (or ``(batch,)`` when ``d == 1``).
        y_pred: probabilities (or logits if ``from_logits``), shape ``(batch, d)``.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: ``s``: labels become ``y (1 - s) + s / 2``.

    Returns:
        Per-sample losses, shape ``(batch,)``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y = _smooth(y_true, label_smoothing, 0.5)
    if from_logits:
        return np.mean(np.maximum(y_pred, 0) - y_pred * y + np.log1p(np.exp(-np.abs(y_pred))), axis=-1)
    eps = _eps(y_pred)
    p = np.clip(y_pred, eps, 1 - eps)
    return np.mean(-(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)), axis=-1)


@_gradient_of(binary_crossentropy)
def _binary_crossentropy_grad(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """Logits: ``(sigmoid(z) - y) / d``. Probabilities: ``(-y/(p+eps) + (1-y)/(1-p+eps)) / d``,
    zero where the clip is active."""
    y_true, y_pred = _prepare(y_true, y_pred)
    y, d = _smooth(y_true, label_smoothing, 0.5), y_pred.shape[-1]
    if from_logits:
        return (_sigmoid(y_pred) - y) / d
    eps = _eps(y_pred)
    p = np.clip(y_pred, eps, 1 - eps)
    return (-y / (p + eps) + (1 - y) / (1 - p + eps)) * _inside(y_pred, eps, 1 - eps) / d
