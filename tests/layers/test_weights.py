"""Layer weights (minikeras/layers/weights.py): add_weight with Keras 2's signature and defaults."""
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


class Linear(layers.Layer):
    """The Keras guide's custom layer: add_weight with keywords only, no name."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(2,), trainable=True)

    def call(self, inputs):
        return inputs @ self.w + self.b


def test_add_weight_without_a_name_follows_tf_keras_defaults():
    layer = Linear(name="linear")
    out = layer(np.ones((4, 3), dtype="float32"))
    assert out.shape == (4, 2)
    assert layer.weight_names == ["linear/Variable:0", "linear/Variable:0"]    # tf_keras's name
    assert layer.b.dtype == layer.dtype and layer.b.shape == (2,)   # the layer's dtype
    assert np.abs(layer.b).max() > 0        # the default initializer is glorot_uniform, not zeros
    assert len(layer.trainable_weights) == 2


def test_add_weight_dtype_scalar_shape_and_trainable():
    layer = layers.Layer(name="holder")
    scalar = layer.add_weight("s")
    double = layer.add_weight("d", (3,), "float16", initializer="ones", trainable=False)
    assert scalar.shape == () and scalar.dtype == layer.dtype
    assert double.dtype == np.float16 and double.tolist() == [1.0, 1.0, 1.0]
    assert [id(w) for w in layer.non_trainable_weights] == [id(double)]


def test_an_initializer_passed_where_keras_has_dtype_is_named():
    layer = layers.Layer(name="holder")
    with pytest.raises(TypeError, match=r"third positional argument is dtype.*initializer="):
        layer.add_weight("w", (2,), "ones")


def test_an_unknown_axis_cannot_size_a_weight():
    layer = layers.Layer(name="holder")
    with pytest.raises(ValueError, match=r"shape must be a tuple of non-negative ints, got \(None, 2\).*known"):
        layer.add_weight("w", (None, 2))
    with pytest.raises(ValueError, match="shape must be"):
        layer.add_weight("w", (-1,))


def test_saving_two_weights_of_one_name_is_refused_before_writing(tmp_path):
    model = keras.models.Sequential([layers.InputLayer(input_shape=(3,)), Linear(name="linear")])
    path = tmp_path / "model.h5"
    with pytest.raises(ValueError, match=r"'linear' has several weights named 'linear/Variable:0'.*name="):
        model.save_weights(str(path))
    assert os.listdir(tmp_path) == []


def test_integer_weights_are_refused_by_name():
    with pytest.raises(TypeError, match="minikeras has no integer or boolean weights"):
        layers.Layer(name="holder").add_weight("count", (), "int32", trainable=False)
    with pytest.raises(TypeError, match="minikeras has no integer or boolean weights"):
        layers.Dense(2, dtype="int32")(np.ones((2, 3)))
