"""Keras's FAQ recipe ``K.function([model.layers[0].input], [model.layers[3].output])`` compared live
with tf_keras 2.21 (same weights, same intermediate output to float32 precision)."""
import numpy as np
import pytest

import minikeras

tk = pytest.importorskip("tf_keras")
pytestmark = pytest.mark.tf_keras
X = np.random.default_rng(3).normal(size=(6, 4)).astype("float32")


def sequential(k):
    L = k.layers
    return k.Sequential([L.Dense(5, input_shape=(4,), activation="relu"), L.Dropout(0.3),
                         L.Dense(3, activation="tanh"), L.Dense(2), L.Dense(1)])


def functional(k):
    L = k.layers
    x = k.Input(shape=(4,))
    h = L.Dense(5, activation="relu")(x)
    h2 = L.Dense(3, activation="sigmoid")(L.concatenate([h, x]))
    return k.Model(x, L.Dense(2)(h2))


@pytest.mark.parametrize("build", [sequential, functional])
def test_third_layer_output_as_tf_keras(build):
    mt, mm = build(tk), build(minikeras)
    mm.set_weights(mt.get_weights())
    outputs = []
    for k, model in ((tk, mt), (minikeras, mm)):
        get_3rd_layer_output = k.backend.function([model.layers[0].input], [model.layers[3].output])
        outputs.append(np.asarray(get_3rd_layer_output([X])[0]))
    assert outputs[1].shape == outputs[0].shape
    np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-5, atol=1e-6)
