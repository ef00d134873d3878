"""The averaging metrics: ``Sum``, ``Mean`` and ``MeanMetricWrapper`` (the mean of a function).

``Mean`` keeps ``total`` and ``count``::

    update_state(values, w):  total += sum(w * values);  count += sum(w)   (w = 1 when not given)
    result():                 total / count   (0 when count is 0)

>>> m = Mean()
>>> m.update_state([1.0, 2.0, 3.0]); m.update_state([10.0], sample_weight=[2.0])
>>> float(m.result())       # (1 + 2 + 3 + 2*10) / (3 + 2)
5.2
"""
import numpy as np

from .base import Metric, as_float_array, divide_no_nan, squeeze_or_expand


class Reduce(Metric):
    """Sums values (``reduction='sum'``) or averages them (``'weighted_mean'``) over all batches.

    Args:
        reduction: ``'sum'`` or ``'weighted_mean'``.
        name: see :class:`Metric`.
        dtype: see :class:`Metric`.
    """

    def __init__(self, reduction, name=None, dtype=None):
        if reduction not in ("sum", "weighted_mean"):
            raise ValueError(f"reduction must be 'sum' or 'weighted_mean', got {reduction!r}.")
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_weight("total")
        if reduction == "weighted_mean":
            self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        """Adds ``sum(w * values)`` to ``total`` and, for a mean, ``sum(w)`` to ``count``.

        Args:
            values: numbers of any shape.
            sample_weight: None, or weights broadcastable to ``values`` (one per sample).
        """
        values = as_float_array(values, self.dtype)
        if sample_weight is None:
            weight_sum = np.float32(values.size)
        else:
            w = squeeze_or_expand(values, as_float_array(sample_weight, self.dtype))
            values = values * w
            weight_sum = np.sum(w, dtype=self.dtype)
        self.total = self.total + np.sum(values, dtype=self.dtype)
        if self.reduction == "weighted_mean":
            self.count = self.count + np.asarray(weight_sum, dtype=self.dtype)

    def result(self):
        """Returns ``total`` (sum) or ``total / count`` (mean; 0 when nothing was counted)."""
        if self.reduction == "sum":
            return np.array(self.total)
        return divide_no_nan(self.total, self.count)


class Sum(Reduce):
    """The sum of every value given since the last reset (``keras.metrics.Sum``).

    Args:
        name: default ``'sum'``.
        dtype: see :class:`Metric`.

    >>> s = Sum(); s.update_state([1.0, 2.0]); s.update_state([3.0], sample_weight=[0.5]); float(s.result())
    4.5
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__("sum", name=name, dtype=dtype)


class Mean(Reduce):
    """The (weighted) mean of every value given since the last reset (``keras.metrics.Mean``).

    Args:
        name: default ``'mean'``.
        dtype: see :class:`Metric`.

    >>> m = Mean(); m.update_state([1.0, 3.0]); m.update_state([5.0]); float(m.result())
    3.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__("weighted_mean", name=name, dtype=dtype)


def match_ranks(y_true, y_pred):
    """Drops a trailing axis of size 1 from whichever of ``y_true``/``y_pred`` has one axis more
    (Keras's ``squeeze_or_expand_dimensions``): labels ``(batch,)`` meet predictions ``(batch, 1)``."""
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true, y_pred


class MeanMetricWrapper(Mean):
    """The mean, over every sample seen, of a function ``fn(y_true, y_pred)`` of one batch.

    This is how every per-sample function becomes a metric class (``BinaryAccuracy`` is
    ``MeanMetricWrapper(binary_accuracy)``), and what ``compile`` makes of ``metrics=['mse']``.

    Args:
        fn: ``fn(y_true, y_pred, **kwargs)`` returning one value per sample.
        name: the log name (default ``mean_metric_wrapper``, numbered).
        dtype: see :class:`Metric`; ``y_true`` and ``y_pred`` are cast to it first.
        **kwargs: extra keyword arguments for ``fn`` (e.g. ``threshold=0.7``).

    Raises:
        TypeError: if ``fn`` is not callable.

    >>> from minikeras.losses import mean_absolute_error
    >>> m = MeanMetricWrapper(mean_absolute_error, name='mae')
    >>> float(m([[1.0], [2.0]], [[1.5], [2.0]]))
    0.25
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper needs a function fn(y_true, y_pred), got {fn!r}.")
        Reduce.__init__(self, "weighted_mean", name=name, dtype=dtype)
        self.fn = fn
        self.fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds ``fn(y_true, y_pred)`` (one value per sample) to the mean.

        Args:
            y_true: labels, a batch.
            y_pred: predictions, a batch.
            sample_weight: None, or one weight per sample.
        """
        y_true, y_pred = match_ranks(as_float_array(y_true, self.dtype), as_float_array(y_pred, self.dtype))
        super().update_state(self.fn(y_true, y_pred, **self.fn_kwargs), sample_weight=sample_weight)

    def get_config(self):
        """Returns the name, dtype and ``fn``'s keyword arguments (a subclass knows its ``fn``)."""
        config = {**super().get_config(), **self.fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self.fn, "__name__", None) or type(self.fn).__name__
        return config

    @classmethod
    def from_config(cls, config):
        """Rebuilds the metric; a plain ``MeanMetricWrapper``'s ``fn`` is looked up by name.

        Args:
            config: the dict from :meth:`get_config`.
        """
        if cls is MeanMetricWrapper:
            from . import get
            config = dict(config)
            return cls(get(config.pop("fn")), **config)
        return cls(**config)
