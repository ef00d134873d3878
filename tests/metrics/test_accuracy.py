"""Accuracy classes: counts by hand over several batches, with and without sample weights."""
import pytest

from minikeras.metrics import (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy)


def test_binary_accuracy_threshold_and_weights():
    m = BinaryAccuracy()
    m.update_state([[1], [0], [1]], [[0.6], [0.5], [0.4]])          # right, right (0.5 is not > 0.5), wrong
    assert float(m.result()) == pytest.approx(2 / 3)
    m.update_state([[0]], [[0.9]], sample_weight=[3.0])              # wrong, weight 3
    assert float(m.result()) == pytest.approx(2 / 6)
    assert float(BinaryAccuracy(threshold=0.3)([[1]], [[0.4]])) == 1.0
    assert BinaryAccuracy(threshold=0.3).get_config() == {"name": "binary_accuracy", "dtype": "float32",
                                                          "threshold": 0.3}


def test_categorical_and_sparse_agree():
    y_pred = [[0.1, 0.7, 0.2], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6]]
    cat = CategoricalAccuracy()([[0, 1, 0], [0, 1, 0], [0, 0, 1]], y_pred)
    sparse = SparseCategoricalAccuracy()([[1], [1], [2]], y_pred)
    assert float(cat) == float(sparse) == pytest.approx(2 / 3)
    m = SparseCategoricalAccuracy()
    m.update_state([1, 1, 2], y_pred, sample_weight=[1.0, 2.0, 1.0])   # the miss weighs 2
    assert float(m.result()) == pytest.approx(2 / 4)


def test_top_k_classes():
    y_pred = [[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]
    assert float(TopKCategoricalAccuracy(k=2)([[0, 0, 1], [1, 0, 0]], y_pred)) == 0.0
    assert float(TopKCategoricalAccuracy(k=3)([[0, 0, 1], [1, 0, 0]], y_pred)) == 1.0
    assert float(SparseTopKCategoricalAccuracy(k=2)([1, 2], y_pred)) == 1.0
    assert float(SparseTopKCategoricalAccuracy(k=1)([1, 2], y_pred)) == 0.5
    assert TopKCategoricalAccuracy(k=2).get_config()["k"] == 2


def test_accuracy_is_exact_equality():
    assert float(Accuracy()([[1], [2], [3], [4]], [[1], [2], [0], [4]])) == 0.75
