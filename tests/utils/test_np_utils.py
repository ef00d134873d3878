"""to_categorical (minikeras/utils/np_utils.py): one-hot rows, and bad labels refused by name."""
import numpy as np
import pytest

from minikeras.utils import to_categorical


def test_one_hot_rows_of_any_shape():
    np.testing.assert_array_equal(to_categorical([[1], [0]], 3), [[0, 1, 0], [1, 0, 0]])   # column dropped
    assert to_categorical(np.array([[0, 2], [1, 1]])).shape == (2, 2, 3)
    assert to_categorical([True, False]).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert to_categorical([1], 2, dtype="int8").dtype == np.int8


@pytest.mark.parametrize("make, error, words", [
    (lambda: to_categorical(["a"]), TypeError, "expects integer class labels in y, got dtype <U1"),
    (lambda: to_categorical(None), TypeError, "y is None"),
    (lambda: to_categorical([1], num_classes="3"), ValueError, "num_classes must be a positive int or None, got '3'"),
    (lambda: to_categorical([1], num_classes=0), ValueError, "num_classes must be a positive int or None, got 0"),
    (lambda: to_categorical([0.5]), ValueError, "expects integer class labels"),
    (lambda: to_categorical([-1, 0]), ValueError, "negative label"),
    (lambda: to_categorical([3], 3), ValueError, "label 3 but num_classes=3"),
])
def test_bad_labels_are_refused_naming_the_fix(make, error, words):
    with pytest.raises(error, match=words):
        make()
