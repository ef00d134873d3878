"""``AUC``: the area under the ROC or precision-recall curve, from counts at fixed thresholds.

The curve is drawn through ``num_thresholds`` points: at each threshold ``t`` the metric keeps
the weighted counts TP, FP, TN, FN of samples scoring above / not above ``t`` (see
:mod:`minikeras.metrics.confusion`), summed over every batch since the last reset. The
thresholds are ``-eps, 1/(n-1), 2/(n-1), ..., (n-2)/(n-1), 1 + eps``, so the first point
counts everything positive and the last nothing.

ROC curve, x = false positive rate ``FP / (FP + TN)``, y = recall ``TP / (TP + FN)``; the area
is a sum of trapezoids (``summation_method='interpolation'``) or of rectangles under the lower
(``'minoring'``) or upper (``'majoring'``) of the two heights::

    area = sum_i (x_i - x_{i+1}) * (y_i + y_{i+1}) / 2

PR curve with ``'interpolation'``: precision is interpolated between two thresholds as TP and
P = TP + FP change linearly (Davis & Goadrich 2006), which integrates in closed form::

    slope = dTP / dP,   intercept = TP_{i+1} - slope * P_{i+1}
    area  = sum_i slope * (dTP + intercept * log(P_i / P_{i+1})) / (TP_{i+1} + FN_{i+1})

>>> m = AUC(num_thresholds=3)       # thresholds -eps, 0.5, 1 + eps
>>> round(float(m([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9])), 4)
0.75
"""
import numpy as np

from .base import Metric, divide_no_nan
from .confusion import confusion_counts, evenly_spaced

_CURVES = ("ROC", "PR")
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Approximate area under the ROC (default) or PR curve (``keras.metrics.AUC``).

    Args:
        num_thresholds: how many thresholds (points of the curve), > 1.
        curve: ``'ROC'`` or ``'PR'``.
        summation_method: ``'interpolation'``, ``'minoring'`` or ``'majoring'``.
        name: default ``auc`` (numbered: ``auc_1``, ...).
        dtype: the state's dtype (default ``K.floatx()``).
        thresholds: your own thresholds in ``[0, 1]`` (then ``num_thresholds`` is their number + 2,
            with ``-eps`` and ``1 + eps`` added).
        multi_label: True to compute one AUC per label column and average them.
        num_labels: the number of label columns (multi_label only; else found at the first batch).
        label_weights: weights per label: with ``multi_label`` they weight the average, else they
            weight each column's counts.
        from_logits: True if ``y_pred`` holds logits (a sigmoid is applied first).

    Raises:
        ValueError: for an unknown ``curve`` or ``summation_method``, ``num_thresholds <= 1``,
            ``num_labels`` without ``multi_label``, or negative label weights.
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        curve, summation_method = str(curve).upper(), str(summation_method).lower()
        if curve not in _CURVES:
            raise ValueError(f"Invalid AUC curve value: {curve!r}; expected one of {_CURVES} "
                             f"(minikeras has no 'PR_GAIN').")
        if summation_method not in _SUMMATIONS:
            raise ValueError(f"Invalid AUC summation method value: {summation_method!r}; expected one of {_SUMMATIONS}.")
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}")
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        if label_weights is not None and np.any(np.asarray(label_weights) < 0):
            raise ValueError("All values of `label_weights` must be non-negative.")
        super().__init__(name=name, dtype=dtype)
        self.num_thresholds, self.curve, self.summation_method = num_thresholds, curve, summation_method
        self._init_thresholds = thresholds
        self.thresholds = [0.0 - 1e-7] + inner + [1.0 + 1e-7]
        self._evenly = thresholds is None or evenly_spaced([0.0] + inner + [1.0])
        self.multi_label, self.num_labels, self.from_logits = bool(multi_label), num_labels, bool(from_logits)
        self.label_weights = None if label_weights is None else np.asarray(label_weights, dtype=self.dtype)
        if not self.multi_label or num_labels:
            self._build(num_labels)

    def _build(self, num_labels):
        """Creates the four count arrays, ``(num_thresholds,)`` or ``(num_thresholds, num_labels)``."""
        shape = (self.num_thresholds,) if not self.multi_label else (self.num_thresholds, num_labels)
        self._weight_names = []
        for count in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            self.add_weight(count, shape=shape)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts at every threshold.

        Args:
            y_true: 0/1 labels, the shape of ``y_pred``.
            y_pred: probabilities (or logits with ``from_logits=True``).
            sample_weight: None, or one weight per sample.

        Raises:
            ValueError: with ``multi_label``, if ``y_pred`` is not 2-D.
        """
        y_pred = np.asarray(y_pred, dtype=self.dtype)
        if self.from_logits:
            y_pred = (1 / (1 + np.exp(-y_pred))).astype(self.dtype)
        counts_of = lambda t, p: confusion_counts(  # noqa: E731 - one column or all of them
            t, p, self.thresholds, sample_weight, with_epsilon=self._evenly,
            label_weights=None if self.multi_label else self.label_weights, dtype=self.dtype)
        if self.multi_label:
            if y_pred.ndim != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {y_pred.ndim}.")
            if not self._weight_names:
                self._build(y_pred.shape[1])
            y_true = np.asarray(y_true, dtype=self.dtype)
            counts = [np.stack(c, axis=-1) for c in zip(*(counts_of(y_true[:, j], y_pred[:, j])
                                                          for j in range(y_pred.shape[1])))]
        else:
            counts = counts_of(y_true, y_pred)
        for name, batch in zip(self._weight_names, counts):
            setattr(self, name, getattr(self, name) + batch)

    def result(self):
        """Returns the area (see the module docstring for the formulas); 0 before any update."""
        if not self._weight_names:
            return np.asarray(0.0, dtype=self.dtype)
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolated_pr_terms(tp, fp, fn)
        else:
            recall = divide_no_nan(tp, tp + fn)
            if self.curve == "ROC":
                x, y = divide_no_nan(fp, fp + tn), recall
            else:
                x, y = recall, divide_no_nan(tp, tp + fp)
            heights = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
                       "majoring": np.maximum(y[:-1], y[1:])}[self.summation_method]
            terms = (x[:-1] - x[1:]) * heights
        by_label = np.sum(terms, axis=0, dtype=self.dtype)
        if not self.multi_label:
            return np.asarray(by_label)
        if self.label_weights is None:
            return np.asarray(np.mean(by_label), dtype=self.dtype)
        return divide_no_nan(np.sum(by_label * self.label_weights), np.sum(self.label_weights))

    @staticmethod
    def _interpolated_pr_terms(tp, fp, fn):
        """The PR area between successive thresholds, precision interpolated (Davis & Goadrich)."""
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        slope = divide_no_nan(dtp, np.maximum(p[:-1] - p[1:], 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), np.ones_like(p[1:]))
        with np.errstate(divide="ignore"):
            log_ratio = np.log(ratio)
        return divide_no_nan(slope * (dtp + intercept * log_ratio), np.maximum(tp[1:] + fn[1:], 0))

    def get_config(self):
        """Returns every constructor argument but ``thresholds`` when they were the default."""
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
                  "from_logits": self.from_logits}
        if self._init_thresholds is not None:
            config["thresholds"] = self.thresholds[1:-1]
        return config
