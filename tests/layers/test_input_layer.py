"""Input and InputLayer: the symbolic input of a model, its shape, name and config."""
import numpy as np
import pytest

from minikeras.layers import Dense, Input, InputLayer


def test_input_and_input_layer():
    inp = Input(shape=(784,))
    layer = inp.keras_history[0]
    assert isinstance(layer, InputLayer) and inp.shape == (None, 784) and layer.output_shape == (None, 784)
    assert inp.name == "input_1" and layer.name == "input_1"
    assert Input(shape=(3,), batch_size=4).shape == (4, 3)
    with pytest.raises(ValueError, match="input_shape"):
        InputLayer()


def test_input_layer_config_holds_the_full_batch_shape():
    layer = Input(shape=(5, 2), batch_size=8, name="sequence").keras_history[0]
    config = layer.get_config()
    assert config["batch_input_shape"] == [8, 5, 2] and config["name"] == "sequence"
    assert InputLayer(**config).output_shape == (8, 5, 2)


@pytest.mark.parametrize("make,argument", [
    (lambda: Input((-1, 3)), "shape"), (lambda: Input("abc"), "shape"), (lambda: Input((3.5,)), "shape"),
    (lambda: Input(batch_shape=(None, -2)), "batch_shape"),
    (lambda: Dense(2, input_shape=(-3,)), "input_shape"),
    (lambda: Dense(2, batch_input_shape=5.0), "batch_input_shape"),
])
def test_a_bad_shape_is_refused_naming_its_argument(make, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must be a tuple of non-negative ints"):
        make()


def test_a_layer_dtype_that_numpy_does_not_know_is_refused():
    with pytest.raises(TypeError, match=r"Layer 'd': dtype must be a NumPy number type.*'foo'"):
        Dense(2, dtype="foo", name="d")
    assert Input((3,), dtype="int32").dtype == "int32" and Dense(2, dtype=np.float64).dtype == "float64"
