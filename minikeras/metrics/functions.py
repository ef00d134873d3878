"""Metric functions ``f(y_true, y_pred)``, returning one value per sample.

A metric is judged, not trained on, so it needs no gradient. Every loss is also a metric
(``metrics=['mse']``), and so is any function of ``(y_true, y_pred)``, e.g. one written with
``minikeras.backend`` as ``K.mean(K.square(y_pred - y_true), axis=-1)``. The model averages a
metric over an epoch as (sum of all the values it returned) / (how many values): a function
returning one value per sample gives the per-sample mean; one returning a scalar counts once
per batch, as in tf_keras's ``MeanMetricWrapper``.

``'accuracy'`` and ``'crossentropy'`` are not functions but requests:
:func:`minikeras.metrics.resolve` picks the binary, categorical or sparse categorical version
from the shapes, as tf_keras 2.21's ``compile`` does.

>>> import numpy as np
>>> categorical_accuracy(np.array([[0, 1], [1, 0]]), np.array([[0.3, 0.7], [0.4, 0.6]])).tolist()
[1.0, 0.0]
"""
import numpy as np

from minikeras import backend as K
from minikeras import losses
from minikeras.losses import (  # noqa: F401 - every loss is a metric: keras.metrics.mse & co.
    BCE, KLD, MAE, MAPE, MSE, MSLE, bce, binary_crossentropy, categorical_crossentropy,
    categorical_hinge, hinge, huber, kl_divergence, kld, kullback_leibler_divergence, log_cosh,
    logcosh, mae, mape, mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, mse, msle, poisson, sparse_categorical_crossentropy,
    squared_hinge)


def _matches(hits):
    return np.asarray(hits, dtype=K.floatx())


def _labels(y_true, y_pred, name):
    """Class labels of shape ``y_pred.shape[:-1]``, from ``(batch,)`` or ``(batch, 1)``."""
    labels = np.asarray(y_true)
    if labels.shape == y_pred.shape[:-1] + (1,):
        labels = labels[..., 0]
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"{name}: y_true must hold one class index per sample, shape "
                         f"{y_pred.shape[:-1]} or {y_pred.shape[:-1] + (1,)}; got {labels.shape}.")
    return labels


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Fraction of outputs on the right side of ``threshold``: ``mean(y_true == (y_pred > threshold), -1)``.

    Args:
        y_true: 0/1 labels, shape ``(batch, d)`` or ``(batch,)``.
        y_pred: probabilities, shape ``(batch, d)``.
        threshold: a prediction counts as 1 when strictly above it.

    Returns:
        float32 array of shape ``(batch,)``.

    >>> binary_accuracy([[1.], [0.]], [[0.7], [0.5]]).tolist()
    [1.0, 1.0]
    """
    y_pred = np.asarray(y_pred)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1 and y_pred.ndim == 2:
        y_true = y_true[:, None]
    return _matches(np.mean(y_true == (y_pred > threshold), axis=-1))


def categorical_accuracy(y_true, y_pred):
    """1 where ``argmax(y_pred) == argmax(y_true)`` (first maximum on ties), else 0.

    Args:
        y_true: one-hot labels, shape ``(batch, classes)``.
        y_pred: scores or probabilities, same shape.

    Returns:
        float32 array of shape ``(batch,)``.
    """
    return _matches(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1))


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where ``argmax(y_pred) == y_true`` (integer labels), else 0.

    Args:
        y_true: class indices, shape ``(batch,)`` or ``(batch, 1)`` (ints or whole floats).
        y_pred: scores or probabilities, shape ``(batch, classes)``.

    Returns:
        float32 array of shape ``(batch,)``.

    Raises:
        ValueError: if the label shape does not fit ``y_pred``.
    """
    y_pred = np.asarray(y_pred)
    return _matches(_labels(y_true, y_pred, "sparse_categorical_accuracy") == np.argmax(y_pred, axis=-1))


def _in_top_k(y_pred, labels, k):
    """TensorFlow's ``in_top_k``: fewer than ``k`` scores beat the label's; tied scores all count
    as inside; labels out of range and rows with a non-finite score are misses."""
    y_pred = np.asarray(y_pred)
    classes = y_pred.shape[-1]
    labels = np.asarray(labels).astype(np.int64)
    valid = (labels >= 0) & (labels < classes) & np.all(np.isfinite(y_pred), axis=-1)
    target = np.take_along_axis(y_pred, np.clip(labels, 0, classes - 1)[..., None], axis=-1)
    return _matches(valid & (np.sum(y_pred > target, axis=-1) < k))


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the true class (argmax of the one-hot ``y_true``) is among the ``k`` best scores.

    Args:
        y_true: one-hot labels, shape ``(batch, classes)``.
        y_pred: scores, same shape.
        k: how many of the best scores count.

    Returns:
        float32 array of shape ``(batch,)``.

    >>> top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2).tolist()
    [0.0]
    """
    return _in_top_k(y_pred, np.argmax(y_true, axis=-1), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """As :func:`top_k_categorical_accuracy` with integer labels of shape ``(batch,)`` or ``(batch, 1)``."""
    y_pred = np.asarray(y_pred)
    return _in_top_k(y_pred, _labels(y_true, y_pred, "sparse_top_k_categorical_accuracy"), k)


def accuracy(y_true, y_pred):
    """Exact equality, ``mean(y_true == y_pred, axis=-1)`` (``keras.metrics.accuracy``).

    This is what :func:`minikeras.metrics.get` returns for ``'accuracy'``; inside ``compile`` the string instead
    means "the right accuracy for these shapes" (:func:`minikeras.metrics.resolve`).
    """
    y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
    if y_true.ndim == 1 and y_pred.ndim == 2:
        y_true = y_true[:, None]
    return _matches(np.mean(y_true == y_pred, axis=-1))


def cosine_similarity(y_true, y_pred):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=-1)``: +1 when aligned.

    The metric has the opposite sign of the loss ``losses.cosine_similarity`` (measured in
    tf_keras 2.21, where ``metrics=['cosine_proximity']`` is this one too).
    """
    return -losses.cosine_similarity(y_true, y_pred)


acc = ACC = accuracy
cosine_proximity = cosine_similarity
