"""Crossentropy, divergence and hinge metrics: each the mean, over every sample since the last
reset, of the loss of the same name in :mod:`minikeras.losses`.

As metrics they are *judged*, not trained on: ``metrics=[BinaryCrossentropy()]`` reports the
crossentropy even when the loss is something else.

>>> m = BinaryCrossentropy()
>>> round(float(m([[1.0], [0.0]], [[0.9], [0.2]])), 4)       # (-log 0.9 - log 0.8) / 2
0.1643
"""
from .. import losses
from .mean import MeanMetricWrapper
from .regression import check_last_axis


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary crossentropy (``keras.metrics.BinaryCrossentropy``).

    Args:
        name: default ``'binary_crossentropy'``.
        dtype: the state's dtype (default ``K.floatx()``).
        from_logits: True if ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``: labels become ``y * (1 - s) + 0.5 * s``.
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical crossentropy for one-hot labels (``keras.metrics.CategoricalCrossentropy``).

    Args:
        name: default ``'categorical_crossentropy'``.
        dtype: the state's dtype (default ``K.floatx()``).
        from_logits: True if ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``: labels become ``y * (1 - s) + s / classes``.
        axis: only -1 (the class axis is the last).

    Raises:
        ValueError: for another ``axis``.

    >>> round(float(CategoricalCrossentropy()([[0, 1]], [[0.5, 0.5]])), 4)
    0.6931
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        check_last_axis(axis, "CategoricalCrossentropy")
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.axis = axis

    def get_config(self):
        """Returns name, dtype, ``from_logits``, ``label_smoothing`` and ``axis``."""
        return {**super().get_config(), "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean crossentropy for integer labels (``keras.metrics.SparseCategoricalCrossentropy``).

    Args:
        name: default ``'sparse_categorical_crossentropy'``.
        dtype: the state's dtype (default ``K.floatx()``).
        from_logits: True if ``y_pred`` holds logits rather than probabilities.
        ignore_class: only None (minikeras has no ``ignore_class``).
        axis: only -1 (the class axis is the last).

    Raises:
        ValueError: for an ``ignore_class`` or another ``axis``.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        check_last_axis(axis, "SparseCategoricalCrossentropy")
        if ignore_class is not None:
            raise ValueError("minikeras has no ignore_class for SparseCategoricalCrossentropy; leave it None.")
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits)
        self.axis = axis

    def get_config(self):
        """Returns name, dtype, ``from_logits``, ``ignore_class`` (None) and ``axis``."""
        return {**super().get_config(), "ignore_class": None, "axis": self.axis}


class KLDivergence(MeanMetricWrapper):
    """Mean Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Args:
        name: default ``'kullback_leibler_divergence'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="kullback_leibler_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Mean Poisson loss ``mean(y_pred - y_true * log(y_pred + eps), axis=-1)``.

    Args:
        name: default ``'poisson'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)


class Hinge(MeanMetricWrapper):
    """Mean hinge loss ``mean(max(1 - y_true * y_pred, 0), axis=-1)`` (0/1 labels become -1/1).

    Args:
        name: default ``'hinge'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Mean squared hinge loss ``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)``.

    Args:
        name: default ``'squared_hinge'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Mean categorical hinge loss ``max(0, 1 + max(wrong scores) - true score)``.

    Args:
        name: default ``'categorical_hinge'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)
