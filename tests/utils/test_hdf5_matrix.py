"""HDF5Matrix (Keras 2.2.4's io_utils), ask_to_proceed_with_overwrite, and h5dict's clear refusal."""
import h5py
import numpy as np
import pytest

from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.utils.io_utils import HDF5Matrix, ask_to_proceed_with_overwrite, h5dict


@pytest.fixture
def h5_path(tmp_path):
    path = str(tmp_path / "data.h5")
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=rng.standard_normal((40, 3)).astype("float32"))
        f.create_dataset("y", data=rng.integers(0, 2, (40, 1)).astype("int32"))
    return path


def test_rows_shape_dtype_and_indexing(h5_path):
    with h5py.File(h5_path, "r") as f:
        x_all = f["x"][:]
    rows = HDF5Matrix(h5_path, "x", start=10, end=30)
    assert (rows.shape, rows.dtype, rows.ndim, rows.size, len(rows)) == ((20, 3), np.float32, 2, 60, 20)
    np.testing.assert_array_equal(rows[0], x_all[10])
    np.testing.assert_array_equal(rows[2:5], x_all[12:15])
    np.testing.assert_array_equal(rows[[0, 3]], x_all[[10, 13]])
    np.testing.assert_array_equal(rows[np.array([1, 2])], x_all[11:13])
    np.testing.assert_array_equal(np.asarray(rows), x_all[10:30])
    for bad in (20, slice(19, 21), [19, 20], range(25, 26), np.array([30])):
        with pytest.raises(IndexError):
            rows[bad]
    with pytest.raises(TypeError):
        rows[None]


def test_normalizer_changes_values_shape_and_dtype(h5_path):
    plain = HDF5Matrix(h5_path, "x", end=5)
    assert HDF5Matrix(h5_path, "x", end=5, normalizer=lambda x: x + 1)[0][0] == pytest.approx(plain[0][0] + 1)
    assert HDF5Matrix(h5_path, "x", end=5, normalizer=lambda x: x[:, ::2]).shape == (5, 2)
    assert HDF5Matrix(h5_path, "x", end=5, normalizer=lambda x: x.astype(np.uint8)).dtype == np.uint8


def test_fit_evaluate_predict_read_an_hdf5_matrix_like_its_array(h5_path):
    def model():
        m = Sequential([Dense(1, input_shape=(3,), activation="sigmoid", kernel_initializer="ones")])
        m.compile("sgd", "binary_crossentropy")
        return m
    x, y = HDF5Matrix(h5_path, "x", end=32), HDF5Matrix(h5_path, "y", end=32)
    on_matrix, on_arrays = model(), model()
    history = on_matrix.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]
    expected = on_arrays.fit(np.asarray(x), np.asarray(y), batch_size=8, epochs=2, shuffle=False,
                             verbose=0).history["loss"]
    np.testing.assert_allclose(history, expected, rtol=1e-6)
    assert on_matrix.predict(HDF5Matrix(h5_path, "x", start=32)).shape == (8, 1)


def test_ask_to_proceed_with_overwrite_asks_until_y_or_n(monkeypatch, capsys):
    answers = iter(["maybe", "y", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert ask_to_proceed_with_overwrite("/tmp/some.h5") is True
    assert ask_to_proceed_with_overwrite("/tmp/some.h5") is False
    assert "Next time specify overwrite=True" in capsys.readouterr().out


def test_h5dict_says_minikeras_has_none():
    with pytest.raises(NotImplementedError, match="minikeras has no h5dict"):
        h5dict({}, mode="w")
