"""AUC: ROC and PR areas by hand on a few thresholds, summation methods, weights, multi_label."""
import numpy as np
import pytest

from minikeras.metrics import AUC

Y = [0, 0, 1, 1]
P = [0.0, 0.5, 0.3, 0.9]


def counts(m):
    return [getattr(m, n).tolist() for n in ("true_positives", "false_positives", "true_negatives",
                                             "false_negatives")]


def test_roc_with_three_thresholds_by_hand():
    m = AUC(num_thresholds=3)                        # -eps, 0.5, 1 + eps
    m.update_state(Y, P)
    # above -eps: all; above 0.5: only 0.9 (0.5 is not above 0.5); above 1 + eps: none
    assert counts(m) == [[2, 1, 0], [2, 0, 0], [0, 2, 2], [0, 1, 2]]
    # ROC points (fpr, tpr): (1, 1), (0, 0.5), (0, 0): trapezoids 1 * (1 + 0.5) / 2 + 0
    assert float(m.result()) == pytest.approx(0.75)
    assert float(AUC(num_thresholds=3, summation_method="minoring")(Y, P)) == pytest.approx(0.5)
    assert float(AUC(num_thresholds=3, summation_method="majoring")(Y, P)) == pytest.approx(1.0)


def test_pr_interpolation_by_hand():
    m = AUC(num_thresholds=3, curve="PR")
    m.update_state(Y, P)
    # tp = [2, 1, 0], p = tp + fp = [4, 1, 0], fn = [0, 1, 2]
    # interval 0: slope = 1/3, intercept = 1 - 1/3 = 2/3, area = slope * (1 + 2/3 * log 4) / (1 + 1)
    # interval 1: p_{i+1} = 0 -> ratio 1, slope 1, area = 1 * (1 + 0) / (0 + 2)
    expected = (1 / 3) * (1 + (2 / 3) * np.log(4)) / 2 + 0.5
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)
    # minoring: precision = tp / p = [0.5, 1, 0], recall = [1, 0.5, 0]: 0.5 * min(0.5, 1) + 0.5 * min(1, 0)
    assert float(AUC(num_thresholds=3, curve="PR", summation_method="minoring")(Y, P)) == pytest.approx(0.25)


def test_perfect_and_reversed_rankings_with_the_default_200_thresholds():
    y = np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    assert float(AUC()(y, p)) == pytest.approx(1.0)
    assert float(AUC()(y, 1 - p)) == pytest.approx(0.0, abs=1e-6)
    assert float(AUC(from_logits=True)(y, np.log(p / (1 - p)))) == pytest.approx(1.0)


def test_weights_state_and_reset():
    m = AUC(num_thresholds=3)
    m.update_state(Y, P, sample_weight=[1.0, 3.0, 1.0, 1.0])    # the negative at 0.5 weighs 3
    assert counts(m)[1] == [4.0, 0.0, 0.0]
    m.reset_state()
    assert counts(m) == [[0.0] * 3] * 4 and float(m.result()) == 0.0


def test_multi_label_averages_the_labels():
    y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    p = np.array([[0.1, 0.9], [0.8, 0.2], [0.7, 0.6], [0.2, 0.3]])
    per_label = [float(AUC()(y[:, j], p[:, j])) for j in range(2)]
    assert float(AUC(multi_label=True)(y, p)) == pytest.approx(np.mean(per_label))
    weighted = AUC(multi_label=True, label_weights=[3.0, 1.0])(y, p)
    assert float(weighted) == pytest.approx((3 * per_label[0] + per_label[1]) / 4)


def test_bad_arguments():
    with pytest.raises(ValueError, match="curve"):
        AUC(curve="PR_GAIN")
    with pytest.raises(ValueError, match="summation"):
        AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_thresholds"):
        AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="multi_label"):
        AUC(num_labels=3)
    assert AUC(thresholds=[0.2, 0.5]).get_config()["thresholds"] == [0.2, 0.5]
