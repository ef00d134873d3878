"""Metrics: functions ``f(y_true, y_pred)`` returning one value per sample, and how compile picks them.

A metric is judged, not trained on, so it needs no gradient. Every loss is also a metric
(``metrics=['mse']``), and so is any function of ``(y_true, y_pred)``, e.g. one written with
``minikeras.backend`` as ``K.mean(K.square(y_pred - y_true), axis=-1)``. The model averages a
metric over an epoch as (sum of all the values it returned) / (how many values): a function
returning one value per sample gives the per-sample mean; one returning a scalar counts once
per batch, as in tf_keras's ``MeanMetricWrapper``.

``'accuracy'`` and ``'crossentropy'`` are not functions but requests: :func:`resolve` picks the
binary, categorical or sparse categorical version from the shapes, as tf_keras 2.21's
``compile`` does.

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

    This is what :func:`get` returns for ``'accuracy'``; inside ``compile`` the string instead
    means "the right accuracy for these shapes" (:func:`resolve`).
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

# Every name ``metrics=[...]`` understands: accuracies, then every loss under all its names.
METRICS = {
    "accuracy": accuracy, "acc": acc, "ACC": ACC,
    "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    **losses.LOSSES,
    "cosine_similarity": cosine_similarity, "cosine_proximity": cosine_proximity,
}

# What 'accuracy' / 'crossentropy' become: (binary, sparse categorical, categorical).
_BY_SHAPE = {
    "accuracy": (binary_accuracy, sparse_categorical_accuracy, categorical_accuracy),
    "crossentropy": (losses.binary_crossentropy, losses.sparse_categorical_crossentropy,
                     losses.categorical_crossentropy),
}
_BY_SHAPE["acc"], _BY_SHAPE["ce"] = _BY_SHAPE["accuracy"], _BY_SHAPE["crossentropy"]


def get(identifier):
    """Returns the metric function for a name, or a callable unchanged.

    Args:
        identifier: a name from ``METRICS`` (``'mse'``, ``'categorical_accuracy'``, ...) or a
            function ``f(y_true, y_pred)``.

    Returns:
        The metric function.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).
        ValueError: for anything that is neither a string nor callable (as tf_keras).

    >>> get('mae') is losses.mean_absolute_error
    True
    """
    if isinstance(identifier, str):
        if identifier not in METRICS:
            raise ValueError(f"Unknown metric {identifier!r}. Use one of: {', '.join(sorted(METRICS))}; "
                             f"'crossentropy'/'ce' are understood by compile; or pass a function "
                             f"f(y_true, y_pred).")
        return METRICS[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}; a metric must be a string or a "
                     f"function f(y_true, y_pred).")


def serialize(metric):
    """Returns the name a metric is saved under (its ``__name__``)."""
    return metric if isinstance(metric, str) else getattr(metric, "__name__", None) or type(metric).__name__


def deserialize(name, custom_objects=None):
    """Inverse of :func:`serialize`: ``custom_objects`` (and any ``custom_object_scope``) first.

    Args:
        name: a metric name.
        custom_objects: optional ``{name: function}``.
    """
    from .utils import generic_utils
    custom = {**generic_utils.get_custom_objects(), **(custom_objects or {})}
    return custom[name] if name in custom else get(name)


def resolve(identifier, y_true, y_pred):
    """Chooses a metric and its log name as tf_keras 2.21's ``compile`` does.

    ``'accuracy'``, ``'acc'``, ``'crossentropy'`` and ``'ce'`` (any letter case) pick from the
    shapes: binary if ``y_pred``'s last axis has size 1; else sparse categorical if ``y_true``
    has fewer axes than ``y_pred`` or a last axis of size 1; else categorical. The log name is
    the string as given (``'acc'`` logs as ``acc``, ``'mse'`` as ``mse``); a function logs
    under its ``name`` attribute or ``__name__``.

    Args:
        identifier: a metric name or a function ``f(y_true, y_pred)``.
        y_true: labels (a batch or the whole array: only the shapes are used).
        y_pred: predictions.

    Returns:
        ``(log_name, fn)``.

    >>> resolve('accuracy', np.zeros(4), np.zeros((4, 3)))[1] is sparse_categorical_accuracy
    True
    """
    if isinstance(identifier, str) and identifier.lower() in _BY_SHAPE:
        true_shape, pred_shape = np.shape(y_true), np.shape(y_pred)
        binary, sparse, categorical = _BY_SHAPE[identifier.lower()]
        if pred_shape[-1] == 1:
            return identifier, binary
        if len(true_shape) < len(pred_shape) or true_shape[-1] == 1:
            return identifier, sparse
        return identifier, categorical
    fn = get(identifier)
    if isinstance(identifier, str):
        return identifier, fn
    name = getattr(fn, "name", None) or getattr(fn, "__name__", None)
    return (name or _snake_case(type(fn).__name__)), fn


def _snake_case(name):
    """``'MyMetric'`` -> ``'my_metric'`` (the log name of a callable object)."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
