"""clone_model: the same architecture, new layers and weights; optional new Input tensors."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers
from minikeras.models import Model, Sequential, clone_model


def functional():
    a, b = layers.Input((4,)), layers.Input((4,))
    shared = layers.Dense(4)
    out = layers.add([layers.Dense(4)(layers.BatchNormalization()(shared(a))), shared(b)])
    return Model([a, b], out)


def test_sequential_clone_has_new_layers_and_weights_and_the_same_function_once_copied():
    model = Sequential([layers.Dense(4, input_shape=(4,)), layers.BatchNormalization(), layers.Dense(3)])
    clone = clone_model(model)
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    assert all(c is not m for c, m in zip(clone.layers, model.layers))
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])       # fresh initialization
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(1).random((5, 4), dtype=np.float32)
    np.testing.assert_allclose(clone.predict(x), model.predict(x), rtol=1e-6)
    on_input = clone_model(model, input_tensors=layers.Input((4,), name="a"))
    assert on_input.inputs[0].keras_history[0].name == "a" and on_input.output_shape == (None, 3)


def test_functional_clone_keeps_the_shared_layer_and_builds_on_given_inputs():
    model = functional()
    clone = clone_model(model)
    assert len(clone.weights) == len(model.weights) == 8        # shared Dense counted once
    clone.set_weights(model.get_weights())
    rng = np.random.default_rng(2)
    xa, xb = rng.random((6, 4), dtype=np.float32), rng.random((6, 4), dtype=np.float32)
    np.testing.assert_allclose(clone.predict([xa, xb]), model.predict([xa, xb]), rtol=1e-6)
    on_inputs = clone_model(model, input_tensors=[layers.Input((4,), name="a"), layers.Input((4,), name="b")])
    on_inputs.compile("rmsprop", "mse")
    first = on_inputs.train_on_batch([xa, xb], np.zeros((6, 4), dtype=np.float32))
    assert np.isfinite(first) and on_inputs.output_shape == (None, 4)


def test_backend_variables_as_inputs_are_refused_clearly():
    model = Sequential([layers.Dense(2, input_shape=(4,))])
    with pytest.raises(TypeError, match="minikeras has no models built on backend variables"):
        clone_model(model, input_tensors=K.variable(np.ones((3, 4))))


def test_updates_is_always_empty_as_in_tf_keras():
    model = Sequential([layers.BatchNormalization(input_shape=(4,))])
    model.compile("sgd", "mse")
    assert model.updates == []
