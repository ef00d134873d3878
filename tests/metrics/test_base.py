"""Metric, Mean, Sum and MeanMetricWrapper: state, weights, reset, naming, config — values by hand."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import losses
from minikeras.metrics import AUC, Mean, MeanMetricWrapper, Metric, Precision, Sum, TruePositives


def test_mean_weighted_over_batches():
    m = Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([10.0, 20.0], sample_weight=[2.0, 0.0])
    assert float(m.total) == 26.0 and float(m.count) == 5.0          # 1+2+3+2*10, 3+2
    assert float(m.result()) == pytest.approx(5.2)
    assert m.total.dtype == np.float32 and m.result().dtype == np.float32


def test_mean_weight_broadcast_over_a_trailing_axis():
    m = Mean()
    m.update_state([[1.0, 3.0], [5.0, 7.0]], sample_weight=[1.0, 0.5])   # weights per row
    assert float(m.total) == pytest.approx(1 + 3 + 0.5 * (5 + 7))
    assert float(m.count) == pytest.approx(2 * 1 + 2 * 0.5)
    with pytest.raises(ValueError, match="sample_weight of shape"):
        m.update_state([1.0, 2.0], sample_weight=[1.0, 2.0, 3.0])


def test_sum_and_empty_results():
    s = Sum()
    s.update_state([1.0, 2.0]); s.update_state(3.0, sample_weight=0.5)
    assert float(s.result()) == 4.5
    assert float(Mean().result()) == 0.0                               # 0 / 0 -> 0, as tf's divide_no_nan


def test_reset_state_and_the_keras_2_alias():
    m = Mean()
    m.update_state([4.0])
    m.reset_states()
    assert float(m.result()) == 0.0 and float(m.count) == 0.0
    m.update_state([2.0])
    assert float(m.result()) == 2.0


def test_calling_updates_and_returns_the_result():
    m = MeanMetricWrapper(losses.mean_absolute_error, name="mae")
    assert float(m([[1.0], [2.0]], [[1.5], [2.0]])) == pytest.approx(0.25)
    assert float(m([[0.0]], [[3.0]])) == pytest.approx((0.5 + 0 + 3) / 3)


def test_wrapper_squeezes_a_trailing_axis_of_one():
    m = MeanMetricWrapper(losses.mean_squared_error)
    m.update_state([1.0, 2.0], [[1.0], [4.0]])      # y_pred (2, 1) meets y_true (2,) as (2,): one value
    assert float(m.count) == 1.0 and float(m.result()) == pytest.approx(2.0)


def test_default_names_numbered_only_for_classes_without_a_fixed_default():
    K.reset_uids()
    assert [AUC().name, AUC().name, Precision().name, TruePositives().name] == ["auc", "auc_1", "precision",
                                                                                 "true_positives"]
    assert [Mean().name, Mean().name] == ["mean", "mean"]
    with pytest.raises(TypeError, match="name must be a string"):
        Mean(name=3)


def test_config_round_trip_gives_fresh_state():
    m = MeanMetricWrapper(losses.mean_squared_error, name="my_mse")
    m.update_state([[1.0]], [[3.0]])
    copy = MeanMetricWrapper.from_config(m.get_config())
    assert m.get_config() == {"name": "my_mse", "dtype": "float32", "fn": "mean_squared_error"}
    assert copy.name == "my_mse" and float(copy.result()) == 0.0
    assert float(copy([[1.0]], [[3.0]])) == 4.0


def test_get_and_set_weights():
    m = Mean()
    m.update_state([2.0, 4.0])
    saved = m.get_weights()
    m.reset_state()
    m.set_weights(saved)
    assert float(m.result()) == 3.0
    with pytest.raises(ValueError, match="expected 2 state arrays"):
        m.set_weights([1.0])


def test_a_subclass_must_write_update_state_and_result():
    class Incomplete(Metric):
        pass
    with pytest.raises(NotImplementedError, match="update_state"):
        Incomplete().update_state(1)
    with pytest.raises(TypeError, match="fn"):
        MeanMetricWrapper(5)
