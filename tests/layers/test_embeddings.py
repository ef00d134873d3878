"""Embedding (lookup, sparse gradient, mask_zero) and Masking; masks reaching LSTM inside Sequential."""
import numpy as np
import pytest

from minikeras import backend
from minikeras.layers import LSTM, Dense, Embedding, Masking
from minikeras.models import Sequential
from tests.tolerance import assert_close


@pytest.fixture(autouse=True)
def fresh_names():
    backend.reset_uids()


def test_embedding_lookup_and_gradient_accumulates_repeated_ids():
    layer = Embedding(5, 3)
    ids = np.array([[1, 2, 1], [4, 1, 0]])
    out = layer(ids)
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out, table[ids])
    assert np.abs(table).max() <= 0.05                                  # 'uniform' = RandomUniform(-0.05, 0.05)
    g = np.arange(18, dtype="float32").reshape(2, 3, 3)
    assert layer.backward(g) is None
    expected = np.zeros((5, 3), "float32")
    for b in range(2):
        for t in range(3):
            expected[ids[b, t]] += g[b, t]
    np.testing.assert_array_equal(layer.grads[0], expected)
    np.testing.assert_array_equal(layer.grads[0][3], 0.0)               # rows not looked up get nothing


def test_embedding_mask_config_and_errors():
    layer = Embedding(10, 4, mask_zero=True, input_length=3)
    ids = np.array([[0, 3, 0]])
    np.testing.assert_array_equal(layer.compute_mask(ids), [[False, True, False]])
    np.testing.assert_array_equal(layer(ids)[0, 0], layer.get_weights()[0][0])  # row 0 still looked up
    assert Embedding(10, 4).compute_mask(ids) is None
    assert layer.output_shape == (None, 3, 4)
    config = layer.get_config()
    assert config["batch_input_shape"] == [None, 3] and config["mask_zero"] is True
    assert config["embeddings_initializer"] == {"class_name": "RandomUniform",
                                                "config": {"minval": -0.05, "maxval": 0.05, "seed": None}}
    with pytest.raises(ValueError, match=r"ids\[0,1\] = 10 is not in \[0, 10\)"):
        layer(np.array([[1, 10]]))
    with pytest.raises(ValueError, match="output_dim"):
        Embedding(3, 0)


def test_masking_zeroes_masked_steps_and_passes_their_gradient_nowhere():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]]], dtype="float32")
    layer = Masking(0.0)
    np.testing.assert_array_equal(layer.compute_mask(x), [[True, False, True]])
    np.testing.assert_array_equal(layer(x), x)
    y = Masking(1.0)(np.array([[[1.0, 1.0], [1.0, 2.0]]]))
    np.testing.assert_array_equal(y, [[[0.0, 0.0], [1.0, 2.0]]])
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), [[[1, 1], [0, 0], [1, 1]]])


def test_sequential_passes_the_embedding_mask_to_lstm():
    """Padding with id 0 does not change the prediction: the LSTM skips masked steps."""
    model = Sequential([Embedding(20, 4, mask_zero=True), LSTM(3), Dense(1)])
    ids = np.array([[5, 7, 9, 0, 0], [3, 0, 4, 0, 8]])
    short = [np.array([[5, 7, 9]]), np.array([[3, 4, 8]])]
    out = model.predict(ids)
    for b in range(2):
        assert_close(out[b], model.predict(short[b])[0], what="masked vs short sequence")  # other batch sizes, other BLAS sums
    unmasked = Sequential([Embedding(20, 4), LSTM(3), Dense(1)])
    unmasked.build((None, 5))
    unmasked.set_weights(model.get_weights())
    assert not np.allclose(unmasked.predict(ids)[0], out[0])


def test_the_gradient_is_the_rows_looked_up_and_full_where_the_model_needs_it():
    from minikeras import regularizers
    from minikeras.backend.indexed_slices import IndexedSlices
    from minikeras.layers import Input, Flatten, Dense, add
    from minikeras.models import Model
    layer = Embedding(6, 2)
    ids = np.array([[5, 2, 5]])
    layer(ids)
    layer.backward(np.ones((1, 3, 2)))
    grad = layer.grads[0]
    assert isinstance(grad, IndexedSlices) and list(grad.indices) == [2, 5]   # each row once, sorted
    np.testing.assert_array_equal(grad.values, [[1, 1], [2, 2]])
    regularized = Embedding(6, 2, embeddings_regularizer=regularizers.l2(0.5))
    regularized(ids)
    regularized.backward(np.ones((1, 3, 2)))
    expected = np.asarray(grad) + regularized.embeddings                 # d(0.5 * sum E^2) = E
    np.testing.assert_allclose(regularized.grads[0], expected)
    # one embedding shared by two inputs: the calls' rows are summed into the full gradient
    backend.set_seed(0)
    shared = Embedding(6, 2)
    a, b = Input((3,)), Input((3,))
    out = Dense(1)(add([Flatten()(shared(a)), Flatten()(shared(b))]))
    model = Model([a, b], out)
    model.compile("adam", "mse")
    xa, xb = np.array([[1, 2, 2]]), np.array([[2, 4, 0]])
    before = shared.get_weights()[0].copy()
    model.train_on_batch([xa, xb], np.ones((1, 1)))
    moved = np.flatnonzero(np.any(shared.get_weights()[0] != before, axis=1))
    assert list(moved) == [0, 1, 2, 4]                                  # the rows either input looked up


def test_an_empty_batch_has_an_empty_gradient():
    layer = Embedding(5, 3)
    layer(np.zeros((0, 4), int))
    layer.backward(np.zeros((0, 4, 3)))
    assert layer.grads[0].values.shape == (0, 3)
    np.testing.assert_array_equal(layer.grads[0], np.zeros((5, 3)))
