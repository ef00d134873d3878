"""Regression and probabilistic metric classes: means by hand, RMSE as the root of the whole mean."""
import numpy as np
import pytest

from minikeras.metrics import (
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, KLDivergence,
    LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError,
    Poisson, RootMeanSquaredError, SparseCategoricalCrossentropy, SquaredHinge)


def test_mse_mae_over_batches_with_weights():
    m = MeanSquaredError()
    m.update_state([[0.0, 0.0]], [[1.0, 3.0]])                       # (1 + 9) / 2 = 5
    m.update_state([[0.0, 0.0]], [[2.0, 0.0]], sample_weight=[3.0])  # 2, weight 3
    assert float(m.result()) == pytest.approx((5 + 3 * 2) / 4)
    assert float(MeanAbsoluteError()([[0.0, 0.0]], [[1.0, -3.0]])) == 2.0
    assert float(MeanAbsolutePercentageError()([[2.0], [4.0]], [[1.0], [4.0]])) == pytest.approx(25.0)
    assert float(MeanSquaredLogarithmicError()([[np.e - 1]], [[0.0]])) == pytest.approx(1.0, rel=1e-6)
    assert float(LogCoshError()([[0.0]], [[1.0]])) == pytest.approx(np.log(np.cosh(1.0)), rel=1e-6)


def test_root_mean_squared_error_is_the_root_of_the_epoch_mean():
    m = RootMeanSquaredError()
    m.update_state([[0.0], [0.0]], [[3.0], [0.0]])
    m.update_state([[0.0]], [[3.0]], sample_weight=[2.0])
    assert float(m.result()) == pytest.approx(np.sqrt((9 + 0 + 2 * 9) / 4))   # not the mean of batch RMSEs


def test_crossentropies_hinges_and_divergences():
    assert float(BinaryCrossentropy()([[1.0], [0.0]], [[0.9], [0.2]])) == pytest.approx(
        -(np.log(0.9) + np.log(0.8)) / 2, rel=1e-5)
    assert float(BinaryCrossentropy(from_logits=True)([[1.0]], [[0.0]])) == pytest.approx(np.log(2), rel=1e-6)
    assert float(CategoricalCrossentropy()([[0, 1]], [[0.25, 0.75]])) == pytest.approx(-np.log(0.75), rel=1e-6)
    assert float(SparseCategoricalCrossentropy()([1], [[0.25, 0.75]])) == pytest.approx(-np.log(0.75), rel=1e-6)
    assert float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])) == pytest.approx(
        0.5 * np.log(2) + 0.5 * np.log(2 / 3), rel=1e-5)
    assert float(Poisson()([[1.0]], [[2.0]])) == pytest.approx(2 - np.log(2), rel=1e-6)
    assert float(Hinge()([[1.0]], [[0.25]])) == 0.75
    assert float(SquaredHinge()([[0.0]], [[0.5]])) == 2.25                      # label 0 -> -1: (1 + 0.5)^2
    assert float(CategoricalHinge()([[0, 1]], [[0.6, 0.2]])) == pytest.approx(1.4)
    assert float(CosineSimilarity()([[1.0, 0.0]], [[1.0, 1.0]])) == pytest.approx(np.sqrt(0.5), rel=1e-6)


def test_arguments_minikeras_lacks_are_refused_by_name():
    with pytest.raises(ValueError, match="ignore_class"):
        SparseCategoricalCrossentropy(ignore_class=0)
    with pytest.raises(ValueError, match="last axis only"):
        CategoricalCrossentropy(axis=0)
    assert CategoricalCrossentropy(label_smoothing=0.1).get_config() == {
        "name": "categorical_crossentropy", "dtype": "float32", "from_logits": False, "label_smoothing": 0.1,
        "axis": -1}
