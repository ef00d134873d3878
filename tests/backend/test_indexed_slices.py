"""IndexedSlices: an embedding's gradient as rows, seen as the full array by every reader but Adam."""
import numpy as np
import pytest

from minikeras.backend.indexed_slices import IndexedSlices

ROWS = IndexedSlices(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"), np.array([1, 3]), (4, 2))
DENSE = np.array([[0, 0], [1, 2], [0, 0], [3, 4]], "float32")


def test_it_reads_as_the_full_array():
    np.testing.assert_array_equal(np.asarray(ROWS), DENSE)
    assert ROWS.shape == (4, 2) and np.shape(ROWS) == (4, 2) and ROWS.ndim == 2 and ROWS.dtype == np.float32
    np.testing.assert_array_equal(ROWS[3], [3, 4])
    np.testing.assert_array_equal(ROWS.to_dense("float64"), DENSE)
    assert ROWS.to_dense("float64").dtype == np.float64 and ROWS.astype("float64").values.dtype == np.float64


def test_sums_are_full_arrays_and_scaling_keeps_the_rows():
    ones = np.ones((4, 2), "float32")
    for total in (ROWS + ones, ones + ROWS):                         # a regularizer's penalty added
        assert isinstance(total, np.ndarray)
        np.testing.assert_array_equal(total, DENSE + 1)
    np.testing.assert_array_equal(ROWS + ROWS, 2 * DENSE)             # a shared layer's two calls
    np.testing.assert_array_equal(sum([ROWS, ROWS]), 2 * DENSE)
    scaled = 0.5 * ROWS                                               # clipping by norm
    assert isinstance(scaled, IndexedSlices) and scaled.indices is ROWS.indices
    np.testing.assert_array_equal(np.asarray(scaled), DENSE / 2)
    np.testing.assert_array_equal(ROWS * np.array([1.0, 0.0]), DENSE * [1, 0])  # an array factor: dense


def test_rows_that_do_not_fit_the_shape_are_refused():
    with pytest.raises(ValueError, match="one row of"):
        IndexedSlices(np.zeros((2, 3)), np.array([0, 1]), (4, 2))
    with pytest.raises(ValueError, match="one row of"):
        IndexedSlices(np.zeros((2, 2)), np.array([0]), (4, 2))
