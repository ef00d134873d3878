"""TP/FP/TN/FN, Precision and Recall: counts by hand, thresholds, top_k, class_id, weights."""
import numpy as np
import pytest

from minikeras.metrics import FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives

Y = [[1], [1], [0], [0], [1]]
P = [[0.9], [0.4], [0.6], [0.1], [0.5]]     # at 0.5: TP 1 (0.9), FN 2 (0.4, 0.5), FP 1 (0.6), TN 1


def test_the_four_counts_at_the_default_threshold():
    assert [float(c()(Y, P)) for c in (TruePositives, FalseNegatives, FalsePositives, TrueNegatives)] == [1, 2, 1, 1]


def test_several_thresholds_give_one_value_each():
    tp = TruePositives(thresholds=[0.3, 0.45, 0.95])
    np.testing.assert_array_equal(tp(Y, P), [3.0, 2.0, 0.0])
    assert tp.get_config()["thresholds"] == [0.3, 0.45, 0.95]


def test_precision_recall_accumulate_counts_not_batch_ratios():
    p, r = Precision(), Recall()
    for metric in (p, r):
        metric.update_state(Y[:2], P[:2])            # TP 1, FN 1
        metric.update_state(Y[2:], P[2:])            # FP 1, FN 1, TN 1
    assert float(p.result()) == pytest.approx(1 / 2) and float(r.result()) == pytest.approx(1 / 3)
    p.reset_state()
    assert float(p.result()) == 0.0                  # nothing predicted positive: 0, not nan


def test_sample_weights_weigh_the_counts():
    p = Precision()
    p.update_state(Y, P, sample_weight=[1.0, 1.0, 3.0, 1.0, 1.0])   # TP 1, FP weighs 3
    assert float(p.result()) == pytest.approx(1 / 4)


def test_top_k_and_class_id():
    y = [[0, 1, 1, 0], [1, 0, 0, 1]]
    p = [[0.1, 0.6, 0.2, 0.3], [0.9, 0.8, 0.05, 0.04]]
    # top 2 per row: row 0 -> classes 1, 3 (1 right); row 1 -> classes 0, 1 (0 right)
    assert float(Precision(top_k=2)(y, p)) == pytest.approx(2 / 4)
    assert float(Recall(top_k=2)(y, p)) == pytest.approx(2 / 4)
    assert float(Precision(class_id=1)(y, p)) == pytest.approx(1 / 2)   # column 1 > 0.5: rows 0 (yes), 1 (no)
    assert float(Recall(class_id=2)(y, p)) == 0.0
    with pytest.raises(ValueError, match="top_k"):
        Precision(top_k=0)
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        Recall(thresholds=1.5)
