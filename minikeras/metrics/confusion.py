"""Counting metrics: true/false positives/negatives at thresholds, and ``Precision``/``Recall``.

A prediction ``p`` counts as *positive* at threshold ``t`` when ``p > t`` (strictly); a label is
positive when it is not 0. Each count is a sum of sample weights (1 each by default)::

    TP = sum(w * [label] * [p > t])        FP = sum(w * [not label] * [p > t])
    FN = sum(w * [label] * [p <= t])       TN = sum(w * [not label] * [p <= t])
    precision = TP / (TP + FP)             recall = TP / (TP + FN)      (0 when the sum is 0)

The counts add up over every batch since the last reset, so an epoch's precision is that of
the whole epoch, not an average of the batches' precisions.

>>> m = Precision()
>>> m.update_state([[1], [0]], [[0.9], [0.8]]); m.update_state([[1]], [[0.7]])
>>> round(float(m.result()), 4)     # TP = 2, FP = 1
0.6667
"""
import numpy as np

from .base import Metric, as_float_array, divide_no_nan, squeeze_or_expand
from .mean import match_ranks

#: What top_k writes over the scores that are not among the k best (tf_keras's NEG_INF).
NEG_INF = -1e10


def evenly_spaced(thresholds):
    """True for at least 3 thresholds ``0, 1/(n-1), ..., 1`` (counted by buckets, as tf_keras does)."""
    n = len(thresholds)
    return n >= 3 and np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=1e-7)


def keep_top_k(y_pred, k):
    """``y_pred`` with every score outside the ``k`` best of its row set to ``NEG_INF`` (ties: first index)."""
    best = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(mask, best, True, axis=-1)
    return np.where(mask, y_pred, np.asarray(NEG_INF, dtype=y_pred.dtype))


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, top_k=None, class_id=None,
                     label_weights=None, with_epsilon=False, dtype="float32"):
    """Returns ``(tp, fp, tn, fn)``, each of shape ``(len(thresholds),)``, for one batch.

    Args:
        y_true: labels (non-zero = positive), the shape of ``y_pred`` (a trailing axis of 1 may differ).
        y_pred: scores, usually probabilities in ``[0, 1]``.
        thresholds: sorted floats; a score above one is positive there.
        sample_weight: None, or weights broadcastable to ``y_pred`` (one per sample).
        top_k: keep only the ``k`` best scores of each row positive-capable.
        class_id: count only this column of the last axis.
        label_weights: None, or one weight per column of the last axis.
        with_epsilon: thresholds run from ``-eps`` to ``1 + eps`` (AUC's): scores are clipped to
            ``[0, 1]`` and a score of 0 is positive at the first threshold.
        dtype: the counts' dtype.

    Raises:
        ValueError: if the shapes of ``y_true``, ``y_pred`` and the weights do not fit.
    """
    y_true, y_pred = match_ranks(as_float_array(y_true, dtype), as_float_array(y_pred, dtype))
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true of shape {y_true.shape} does not fit y_pred of shape {y_pred.shape}.")
    w = np.ones_like(y_pred) if sample_weight is None else squeeze_or_expand(y_pred, as_float_array(sample_weight, dtype))
    if label_weights is not None:
        w = w * np.asarray(label_weights, dtype=dtype)
    if top_k is not None:
        y_pred = keep_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred, w = y_true[..., class_id], y_pred[..., class_id], w[..., class_id]
    positive = (y_true != 0).ravel()
    true_w = np.where(positive, w.ravel(), 0).astype(dtype)                 # (N,)
    false_w = np.where(positive, 0, w.ravel()).astype(dtype)                # (N,)
    thresholds = np.asarray(thresholds, dtype=dtype)
    n = len(thresholds)
    if evenly_spaced(thresholds) or with_epsilon:
        # Buckets: score p is above thresholds 0..b where b = ceil(p * (n - 1)) - 1.
        scores = np.clip(y_pred.ravel(), 0, 1) if with_epsilon else y_pred.ravel()
        bucket = (np.ceil(scores * np.asarray(n - 1, dtype=dtype)) - 1).astype(np.int64)   # (N,)
        if with_epsilon:
            bucket = np.maximum(bucket, 0)
        keep = (bucket >= 0) & (bucket < n)
        tp = np.cumsum(np.bincount(bucket[keep], true_w[keep], minlength=n)[::-1])[::-1]
        fp = np.cumsum(np.bincount(bucket[keep], false_w[keep], minlength=n)[::-1])[::-1]
    else:
        above = y_pred.ravel()[None, :] > thresholds[:, None]               # (n, N)
        tp, fp = above @ true_w.astype(np.float64), above @ false_w.astype(np.float64)
    tp, fp = tp.astype(dtype), fp.astype(dtype)
    return tp, fp, np.sum(false_w, dtype=dtype) - fp, np.sum(true_w, dtype=dtype) - tp


def parse_thresholds(thresholds, default):
    """``thresholds`` as a list of floats (``[default]`` for None), each checked to be in ``[0, 1]``.

    Raises:
        ValueError: for a threshold outside ``[0, 1]``.
    """
    values = [default] if thresholds is None else list(np.ravel(thresholds))
    for t in values:
        if not (0 <= t <= 1) and t != default:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {t}")
    return [float(t) for t in values]


class _ConfusionCounts(Metric):
    """The counts named in ``_COUNTS`` at each threshold; the result is one of them, or a ratio."""

    _COUNTS = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
            raise ValueError(f"top_k must be None or an int >= 1, got {top_k!r}.")
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        for count in self._COUNTS:
            self.add_weight(count, shape=(len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts at every threshold.

        Args:
            y_true: labels (non-zero = positive).
            y_pred: scores, the shape of ``y_true``.
            sample_weight: None, or one weight per sample.
        """
        tp, fp, tn, fn = confusion_counts(y_true, y_pred, self.thresholds, sample_weight, self.top_k,
                                          self.class_id, dtype=self.dtype)
        batch = {"true_positives": tp, "false_positives": fp, "true_negatives": tn, "false_negatives": fn}
        for count in self._COUNTS:
            setattr(self, count, getattr(self, count) + batch[count])

    def _one_or_all(self, values):
        """A scalar for one threshold, else one value per threshold (as tf_keras)."""
        return np.asarray(values[0] if len(self.thresholds) == 1 else values)

    def result(self):
        """Returns the count (a scalar for one threshold, else one per threshold)."""
        return self._one_or_all(getattr(self, self._COUNTS[0]))

    def get_config(self):
        """Returns name, dtype and ``thresholds`` (as given)."""
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCounts):
    """The (weighted) number of positive labels predicted positive (``keras.metrics.TruePositives``).

    Args:
        thresholds: a float or list of floats in ``[0, 1]`` (default 0.5); with a list the
            result has one value per threshold.
        name: default ``true_positives`` (numbered: ``true_positives_1``, ...).
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(TruePositives()([[1], [1], [0]], [[0.9], [0.2], [0.8]]))
    1.0
    """

    _COUNTS = ("true_positives",)

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)


class FalsePositives(TruePositives):
    """The (weighted) number of negative labels predicted positive (``keras.metrics.FalsePositives``).

    Args:
        thresholds: see :class:`TruePositives`.
        name: default ``false_positives`` (numbered).
        dtype: the state's dtype (default ``K.floatx()``).
    """

    _COUNTS = ("false_positives",)


class TrueNegatives(TruePositives):
    """The (weighted) number of negative labels predicted negative (``keras.metrics.TrueNegatives``).

    Args:
        thresholds: see :class:`TruePositives`.
        name: default ``true_negatives`` (numbered).
        dtype: the state's dtype (default ``K.floatx()``).
    """

    _COUNTS = ("true_negatives",)


class FalseNegatives(TruePositives):
    """The (weighted) number of positive labels predicted negative (``keras.metrics.FalseNegatives``).

    Args:
        thresholds: see :class:`TruePositives`.
        name: default ``false_negatives`` (numbered).
        dtype: the state's dtype (default ``K.floatx()``).
    """

    _COUNTS = ("false_negatives",)


class Precision(_ConfusionCounts):
    """``TP / (TP + FP)``: of the samples predicted positive, the fraction that are (``keras.metrics.Precision``).

    Args:
        thresholds: a float or list of floats in ``[0, 1]``; default 0.5, or, with ``top_k``,
            "every score among the k best".
        top_k: count only the ``k`` best scores of each row as predicted positive.
        class_id: compute the metric for this class (column) only.
        name: default ``precision`` (numbered: ``precision_1``, ...).
        dtype: the state's dtype (default ``K.floatx()``).

    Raises:
        ValueError: for a threshold outside ``[0, 1]`` or a bad ``top_k``.

    >>> float(Precision(top_k=1)([[0, 1, 1]], [[0.5, 0.3, 0.2]]))
    0.0
    """

    _COUNTS = ("true_positives", "false_positives")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, top_k=top_k, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        """Returns ``TP / (TP + FP)`` (0 where nothing was predicted positive)."""
        return self._one_or_all(divide_no_nan(self.true_positives, self.true_positives + self.false_positives))

    def get_config(self):
        """Returns name, dtype, ``thresholds``, ``top_k`` and ``class_id``."""
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


class Recall(Precision):
    """``TP / (TP + FN)``: of the positive samples, the fraction predicted positive (``keras.metrics.Recall``).

    Args:
        thresholds: see :class:`Precision`.
        top_k: see :class:`Precision`.
        class_id: see :class:`Precision`.
        name: default ``recall`` (numbered: ``recall_1``, ...).
        dtype: the state's dtype (default ``K.floatx()``).

    >>> float(Recall()([[1], [1], [0]], [[0.9], [0.2], [0.8]]))
    0.5
    """

    _COUNTS = ("true_positives", "false_negatives")

    def result(self):
        """Returns ``TP / (TP + FN)`` (0 where there was no positive label)."""
        return self._one_or_all(divide_no_nan(self.true_positives, self.true_positives + self.false_negatives))
