"""Error metrics for real-valued predictions: each the mean, over every sample since the last
reset, of the loss of the same name (``MeanSquaredError`` of ``losses.mean_squared_error``) —
except :class:`RootMeanSquaredError`, the square root of the mean of all squared errors.

>>> m = MeanAbsoluteError()
>>> m.update_state([[0.0], [1.0]], [[1.0], [1.0]]); m.update_state([[0.0]], [[2.0]])
>>> float(m.result())               # (1 + 0 + 2) / 3
1.0
"""
import numpy as np

from .. import losses
from . import functions
from .base import as_float_array
from .mean import Mean, MeanMetricWrapper, match_ranks


def check_last_axis(axis, metric):
    """Raises ValueError unless ``axis`` is -1 (the only axis minikeras's metric functions reduce)."""
    if axis != -1:
        raise ValueError(f"{metric}: minikeras reduces over the last axis only; got axis={axis!r} (use axis=-1).")


class MeanSquaredError(MeanMetricWrapper):
    """Mean of ``mean((y_true - y_pred)**2, axis=-1)`` (``keras.metrics.MeanSquaredError``).

    Args:
        name: default ``'mean_squared_error'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of ``mean(|y_true - y_pred|, axis=-1)`` (``keras.metrics.MeanAbsoluteError``).

    Args:
        name: default ``'mean_absolute_error'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean of ``100 * mean(|y_true - y_pred| / max(|y_true|, eps), axis=-1)``.

    Args:
        name: default ``'mean_absolute_percentage_error'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(MeanAbsolutePercentageError()([[2.0]], [[1.0]]))
    50.0
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean of ``mean((log(1 + y_true) - log(1 + y_pred))**2, axis=-1)`` (negatives clipped to eps).

    Args:
        name: default ``'mean_squared_logarithmic_error'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine of the angle between ``y_true`` and ``y_pred`` rows: +1 when aligned.

    Args:
        name: default ``'cosine_similarity'``.
        dtype: the state's dtype (default ``K.floatx()``).
        axis: only -1 (the last axis).

    Raises:
        ValueError: for another ``axis``.

    >>> float(CosineSimilarity()([[1.0, 0.0], [1.0, 0.0]], [[2.0, 0.0], [0.0, 3.0]]))
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        check_last_axis(axis, "CosineSimilarity")
        super().__init__(functions.cosine_similarity, name=name, dtype=dtype)
        self.axis = axis

    def get_config(self):
        """Returns name, dtype and ``axis``."""
        return {**super().get_config(), "axis": self.axis}


class LogCoshError(MeanMetricWrapper):
    """Mean of ``mean(log(cosh(y_pred - y_true)), axis=-1)`` (``keras.metrics.LogCoshError``).

    Args:
        name: default ``'logcosh'``.
        dtype: the state's dtype (default ``K.floatx()``).
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """``sqrt(mean of every squared error)`` since the last reset (``keras.metrics.RootMeanSquaredError``).

    The square root is taken of the whole mean, not averaged per batch:
    ``sqrt(sum(w * (y_true - y_pred)**2) / sum(w))`` over every value seen.

    Args:
        name: default ``'root_mean_squared_error'``.
        dtype: the state's dtype (default ``K.floatx()``).

    >>> m = RootMeanSquaredError(); m.update_state([[0.0], [0.0]], [[3.0], [0.0]]); m.update_state([[0.0]], [[3.0]])
    >>> round(float(m.result()), 4)     # sqrt((9 + 0 + 9) / 3)
    2.4495
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's squared errors ``(y_pred - y_true)**2`` to the mean.

        Args:
            y_true: targets.
            y_pred: predictions.
            sample_weight: None, or one weight per sample.
        """
        y_true, y_pred = match_ranks(as_float_array(y_true, self.dtype), as_float_array(y_pred, self.dtype))
        super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        """Returns ``sqrt(total / count)``."""
        return np.sqrt(super().result())
