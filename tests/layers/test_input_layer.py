"""Input and InputLayer: the symbolic input of a model, its shape, name and config."""
import pytest

from minikeras.layers import Input, InputLayer


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
