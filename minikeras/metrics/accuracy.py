"""Accuracy classes: the fraction of right answers over every sample since the last reset.

Each is a :class:`~minikeras.metrics.base.MeanMetricWrapper` around the function of the same
name in :mod:`minikeras.metrics.functions` (one 0/1 value per sample), so with
``sample_weight`` the result is ``sum(w * right) / sum(w)``.

>>> m = BinaryAccuracy()
>>> m.update_state([[1], [0]], [[0.8], [0.6]]); m.update_state([[1]], [[0.9]])
>>> round(float(m.result()), 4)     # 2 right out of 3
0.6667
"""
from . import functions
from .mean import MeanMetricWrapper


class Accuracy(MeanMetricWrapper):
    """How often ``y_pred`` equals ``y_true`` exactly (``keras.metrics.Accuracy``).

    Args:
        name: default ``'accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> round(float(Accuracy()([[1], [2], [3]], [[1], [2], [4]])), 4)
    0.6667
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(functions.accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``(y_pred > threshold)`` equals the 0/1 label (``keras.metrics.BinaryAccuracy``).

    Args:
        name: default ``'binary_accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).
        threshold: a prediction counts as 1 when strictly above it.

    >>> float(BinaryAccuracy(threshold=0.7)([[1], [0]], [[0.8], [0.7]]))
    1.0
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(functions.binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` is the one-hot label's class (``keras.metrics.CategoricalAccuracy``).

    Args:
        name: default ``'categorical_accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(CategoricalAccuracy()([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]))
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(functions.categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` equals the integer label (``keras.metrics.SparseCategoricalAccuracy``).

    Args:
        name: default ``'sparse_categorical_accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(SparseCategoricalAccuracy()([1, 0], [[0.2, 0.8], [0.3, 0.7]]))
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(functions.sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the ``k`` best scores
    (``keras.metrics.TopKCategoricalAccuracy``).

    Args:
        k: how many of the best scores count.
        name: default ``'top_k_categorical_accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(TopKCategoricalAccuracy(k=2)([[0, 0, 1], [0, 1, 0]], [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]))
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(functions.top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` best scores
    (``keras.metrics.SparseTopKCategoricalAccuracy``).

    Args:
        k: how many of the best scores count.
        name: default ``'sparse_top_k_categorical_accuracy'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(SparseTopKCategoricalAccuracy(k=2)([2, 1], [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]))
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(functions.sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
