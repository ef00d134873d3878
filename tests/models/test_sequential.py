"""Sequential built on first use (no input shape given): its config keeps the InputLayer it was built with."""
import numpy as np

from minikeras.layers import Dense
from minikeras.models import Sequential


def test_deferred_build_config_rebuilds_a_built_model_with_the_same_predictions():
    inner = Sequential([Dense(3), Dense(3)])
    model = Sequential([inner, Dense(5)])
    model.compile("sgd", "mse")
    assert not model.built and len(model.weights) == 0
    assert [layer["class_name"] for layer in model.get_config()["layers"]] == ["Sequential", "Dense"]
    x = np.random.default_rng(0).random((2, 4), dtype=np.float32)
    model.train_on_batch(x, np.zeros((2, 5), dtype=np.float32))
    config = model.get_config()
    first = config["layers"][0]
    assert first["class_name"] == "InputLayer" and first["config"]["batch_input_shape"] == [None, 4]
    copy = Sequential.from_config(config)
    assert copy.built and len(copy.weights) == 6 and len(copy.layers[0].weights) == 4
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(copy.predict(x), model.predict(x), rtol=1e-6)
