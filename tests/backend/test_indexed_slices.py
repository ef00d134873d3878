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


def test_adding_it_into_an_accumulator_adds_in_place():
    accumulator = np.zeros((4, 2), "float32")
    alias = accumulator
    accumulator += ROWS                                               # a custom loop summing gradients
    assert accumulator is alias and accumulator.dtype == np.float32
    np.testing.assert_array_equal(alias, DENSE)
    assert (ROWS + 1.0).dtype == np.float32                           # float32 + a Python float stays float32
    with pytest.raises(ValueError, match="copy"):
        ROWS.__array__(copy=False)


def test_repeated_and_unsorted_indices_are_summed_and_sorted_and_bad_ones_refused():
    rows = IndexedSlices(np.array([[1.0], [2.0], [4.0]]), np.array([3, 0, 3]), (5, 1))
    assert list(rows.indices) == [0, 3]
    np.testing.assert_array_equal(rows.values, [[2.0], [5.0]])
    np.testing.assert_array_equal(np.asarray(rows).ravel(), [2, 0, 0, 5, 0])
    with pytest.raises(ValueError, match=r"in \[0, 5\)"):
        IndexedSlices(np.zeros((1, 1)), np.array([-1]), (5, 1))
    with pytest.raises(ValueError, match=r"in \[0, 5\)"):
        IndexedSlices(np.zeros((1, 1)), np.array([5]), (5, 1))
    with pytest.raises(TypeError, match="integers"):
        IndexedSlices(np.zeros((1, 1)), np.array([1.0]), (5, 1))
