"""layer_outputs: the forward pass in slices, as predict does it."""
import numpy as np

from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential
from minikeras.tensorboard.layer_outputs import layer_outputs


def test_outputs_match_predict_whatever_the_batch_size():
    model = Sequential([Dense(4, activation="tanh", input_dim=3, name="a"), Dropout(0.5, name="b"),
                        Dense(2, name="c")])
    x = np.random.default_rng(0).normal(size=(11, 3)).astype(np.float32)
    for batch_size in (1, 4, 32):
        out = layer_outputs(model, x, ["a", "c"], batch_size)
        assert set(out) == {"a", "c"} and out["a"].shape == (11, 4)
        np.testing.assert_allclose(out["c"], model.predict(x), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(out["a"], np.tanh(x @ model.layers[0].kernel + model.layers[0].bias),
                                   rtol=1e-5, atol=1e-6)


def test_two_input_model_outputs_match_predict_per_layer():
    from minikeras import layers
    from minikeras.models import Model
    a, b = layers.Input((3,), name="a"), layers.Input((3,), name="b")
    hidden = layers.Dense(4, activation="relu", name="h")(layers.concatenate([a, b], name="cat"))
    out1, out2 = layers.Dense(2, name="o1")(hidden), layers.Dense(1, name="o2")(hidden)
    model = Model([a, b], [out1, out2])
    rng = np.random.default_rng(1)
    xa, xb = rng.normal(size=(7, 3)).astype(np.float32), rng.normal(size=(7, 3)).astype(np.float32)
    expected1, expected2 = model.predict([xa, xb])
    for batch_size in (2, 32):
        out = layer_outputs(model, [xa, xb], ["cat", "o1", "o2"], batch_size)
        np.testing.assert_array_equal(out["cat"], np.concatenate([xa, xb], axis=1))
        np.testing.assert_allclose(out["o1"], expected1, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(out["o2"], expected2, rtol=1e-5, atol=1e-6)
