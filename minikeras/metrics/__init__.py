"""Metrics: what ``compile(metrics=[...])`` reports — functions of a batch, and stateful classes.

Two kinds, as in Keras:

* **functions** ``f(y_true, y_pred)`` returning one value per sample
  (:mod:`~minikeras.metrics.functions`: ``categorical_accuracy``, and every loss: ``mse``, ...);
* **classes** with state (:class:`~minikeras.metrics.base.Metric`): ``update_state`` adds a
  batch, ``result()`` reads the value over every batch since ``reset_state()``. The averages
  (:mod:`~minikeras.metrics.mean`, :mod:`~minikeras.metrics.accuracy`, :mod:`~minikeras.metrics.regression`,
  :mod:`~minikeras.metrics.probabilistic`) and the counting metrics
  (:mod:`~minikeras.metrics.confusion`: ``Precision``, ``Recall``; :mod:`~minikeras.metrics.auc`).

``compile`` turns every function into a ``MeanMetricWrapper`` and resets every metric at the
start of each epoch and evaluation, so the logs show ``result()`` of the epoch so far.
``'accuracy'`` and ``'crossentropy'`` are requests, not functions: :func:`resolve` picks the
binary, categorical or sparse categorical version from the shapes, as tf_keras 2.21 does.

>>> import numpy as np
>>> categorical_accuracy(np.array([[0, 1], [1, 0]]), np.array([[0.3, 0.7], [0.4, 0.6]])).tolist()
[1.0, 0.0]
>>> m = get('Precision'); float(m([[1], [0]], [[0.9], [0.8]]))
0.5
"""
import inspect

import numpy as np

from .. import losses
from ..utils.generic_utils import to_snake_case
from .accuracy import (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy)
from .auc import AUC
from .base import Metric
from .mean import Mean, MeanMetricWrapper, Sum
from .confusion import FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives
from .functions import (  # noqa: F401 - every loss is a metric: keras.metrics.mse & co.
    ACC, BCE, KLD, MAE, MAPE, MSE, MSLE, acc, accuracy, bce, binary_accuracy, binary_crossentropy,
    categorical_accuracy, categorical_crossentropy, categorical_hinge, cosine_proximity, cosine_similarity, hinge,
    huber, kl_divergence, kld, kullback_leibler_divergence, log_cosh, logcosh, mae, mape, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error, mse, msle, poisson,
    sparse_categorical_accuracy, sparse_categorical_crossentropy, sparse_top_k_categorical_accuracy, squared_hinge,
    top_k_categorical_accuracy)
from .probabilistic import (
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge, KLDivergence, Poisson,
    SparseCategoricalCrossentropy, SquaredHinge)
from .regression import (
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
    MeanSquaredLogarithmicError, RootMeanSquaredError)

# Every metric function ``metrics=[...]`` understands: accuracies, then every loss under all its names.
FUNCTIONS = {
    "accuracy": accuracy, "acc": acc, "ACC": ACC,
    "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    **losses.LOSSES,
    "cosine_similarity": cosine_similarity, "cosine_proximity": cosine_proximity,
}

# Every metric class of ``y_true, y_pred``, by its class name (``'AUC'``), and by its snake-case name
# (``'auc'``, as Keras 3) where no function has that name (``'mean_squared_error'`` stays the function).
CLASSES = {cls.__name__: cls for cls in (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity, LogCoshError, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
    CategoricalHinge, TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, AUC)}
CLASSES.update({to_snake_case(name): cls for name, cls in list(CLASSES.items())
                if to_snake_case(name) not in FUNCTIONS})

#: Every name ``metrics=[...]`` understands: a function, or a class (made with its defaults).
METRICS = {**FUNCTIONS, **CLASSES}

# What 'accuracy' / 'crossentropy' become: (binary, sparse categorical, categorical).
_BY_SHAPE = {
    "accuracy": (binary_accuracy, sparse_categorical_accuracy, categorical_accuracy),
    "crossentropy": (losses.binary_crossentropy, losses.sparse_categorical_crossentropy,
                     losses.categorical_crossentropy),
}
_BY_SHAPE["acc"], _BY_SHAPE["ce"] = _BY_SHAPE["accuracy"], _BY_SHAPE["crossentropy"]


def get(identifier):
    """Returns the metric for a name, a config dict, or a callable (returned unchanged).

    Args:
        identifier: a name from ``METRICS`` — a function's (``'mse'``, ``'categorical_accuracy'``)
            or a class's (``'AUC'``, ``'Precision'``: a new instance is returned) —, a config
            ``{'class_name': ..., 'config': ...}``, a function ``f(y_true, y_pred)`` or a metric object.

    Returns:
        The metric function or object.

    Raises:
        ValueError: for an unknown name (the message lists the known ones), or for anything
            that is neither a string, a dict nor callable (``get(5)``, as Keras).

    >>> get('mae') is losses.mean_absolute_error
    True
    >>> get('AUC').get_config()['num_thresholds']
    200
    """
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier not in METRICS:
            raise ValueError(f"Unknown metric {identifier!r}. Use one of: {', '.join(sorted(METRICS))}; "
                             f"'crossentropy'/'ce' are understood by compile; or pass a function "
                             f"f(y_true, y_pred).")
        found = METRICS[identifier]
        return found() if inspect.isclass(found) else found
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}; a metric must be a string, a "
                     f"metric object or a function f(y_true, y_pred).")


def serialize(metric):
    """Returns what a metric is saved as: a name for a function (its ``__name__``), or
    ``{'class_name', 'config'}`` for an object with ``get_config`` (a metric class, a layer).

    Args:
        metric: a name, a function or a metric object.

    >>> serialize(mse), serialize(Mean(name='m'))['config']
    ('mean_squared_error', {'name': 'm', 'dtype': 'float32'})
    """
    if isinstance(metric, str):
        return metric
    if hasattr(metric, "get_config") and not inspect.isclass(metric):
        return {"class_name": type(metric).__name__, "config": metric.get_config()}
    return getattr(metric, "__name__", None) or type(metric).__name__


def deserialize(config, custom_objects=None):
    """Inverse of :func:`serialize`: ``custom_objects`` (and any ``custom_object_scope``) first.

    Args:
        config: a metric name, or ``{'class_name': ..., 'config': ...}``.
        custom_objects: optional ``{name: function or class}``.

    Raises:
        ValueError: for an unknown name or class.
    """
    from ..utils import generic_utils
    custom = {**generic_utils.get_custom_objects(), **(custom_objects or {})}
    if isinstance(config, dict) and "class_name" in config:
        name = config["class_name"]
        cls = custom.get(name) or CLASSES.get(name) or {"Mean": Mean, "Sum": Sum,
                                                        "MeanMetricWrapper": MeanMetricWrapper}.get(name)
        if cls is None:
            raise ValueError(f"Unknown metric class {name!r}: pass it with custom_objects={{{name!r}: {name}}}.")
        return cls.from_config(dict(config.get("config", {})))
    return custom[config] if config in custom else get(config)


def resolve(identifier, y_true, y_pred):
    """Chooses a metric function and its log name as tf_keras 2.21's ``compile`` does.

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
    return (name or to_snake_case(type(fn).__name__)), fn
