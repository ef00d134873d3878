"""Keras 2 layers minikeras lacks import, and say so by name when made; Keras 2's other names work."""
import pytest

from minikeras import layers


@pytest.mark.parametrize("name,advice", [("ConvLSTM2D", "TimeDistributed"), ("Conv3D", "1-D and 2-D"),
                                         ("LocallyConnected2D", "Conv2D"), ("CuDNNLSTM", "LSTM"),
                                         ("StackedRNNCells", r"RNN\(\[cell_1, cell_2\]\)")])
def test_a_missing_layer_imports_and_refuses_to_be_made(name, advice):
    cls = getattr(layers, name)
    exec(f"from minikeras.layers import {name}")                 # as a Keras script writes it
    with pytest.raises(NotImplementedError, match=rf"minikeras has no keras.layers.{name};.*{advice}"):
        cls(32)
    assert name not in layers.LAYERS                           # configs and saved files never name it


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Dense3'"):
        layers.Dense3


def test_keras_2_aliases():
    assert layers.Convolution1D is layers.Conv1D and layers.Convolution2D is layers.Conv2D
    assert layers.Deconvolution2D is layers.Conv2DTranspose is layers.Convolution2DTranspose is layers.Deconv2D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
