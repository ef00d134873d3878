"""Pooling (windowed and global): tf_keras's measured values, gradient routing, finite differences, errors."""
import numpy as np
import pytest

from minikeras.layers import (
    AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D,
    GlobalMaxPooling2D, LAYERS, MaxPooling1D, MaxPooling2D)
from tests.gradcheck import check_layer_gradients


SEQ = np.arange(1.0, 6.0).reshape(1, 5, 1)


def test_pooling_values_match_tf_keras():
    assert AveragePooling1D()(SEQ).ravel().tolist() == [1.5, 3.5]                         # valid drops the tail
    assert AveragePooling1D(padding="same")(SEQ).ravel().tolist() == [1.5, 3.5, 5.0]      # padded cells excluded
    assert AveragePooling1D(3, 1, padding="same")(SEQ).ravel().tolist() == [1.5, 2, 3, 4, 4.5]
    assert MaxPooling1D(3, 1, padding="same")(-SEQ).ravel().tolist() == [-1, -1, -2, -3, -4]
    img = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    assert AveragePooling2D(padding="same")(img)[0, :, :, 0].tolist() == [[3, 4.5], [7.5, 9]]


def test_max_pooling_routes_the_gradient_to_the_first_maximum():
    layer = MaxPooling2D()
    x = np.array([[1.0, 4.0], [4.0, 2.0]]).reshape(1, 2, 2, 1)
    layer(x)
    assert layer.backward(np.full((1, 1, 1, 1), 3.0)).ravel().tolist() == [0, 3, 0, 0]
    layer(np.zeros((1, 2, 2, 1)))                                  # all tied (a ReLU's zeros): first cell
    assert layer.backward(np.ones((1, 1, 1, 1))).ravel().tolist() == [1, 0, 0, 0]


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("kwargs", [{}, {"pool_size": 3, "strides": 1}, {"pool_size": 2, "padding": "same"},
                                    {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}])
def test_pooling2d_gradients(cls, kwargs):
    x = np.random.default_rng(3).normal(size=(2, 5, 5, 2))
    check_layer_gradients(cls(**kwargs), x)


@pytest.mark.parametrize("cls", [MaxPooling1D, AveragePooling1D])
@pytest.mark.parametrize("kwargs", [{}, {"pool_size": 3, "strides": 1, "padding": "same"}, {"padding": "same"}])
def test_pooling1d_gradients(cls, kwargs):
    x = np.random.default_rng(4).normal(size=(2, 7, 3))
    check_layer_gradients(cls(**kwargs), x)


@pytest.mark.parametrize("cls", [GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling2D,
                                 GlobalMaxPooling2D])
def test_global_pooling_gradients_and_shapes(cls):
    rank = 1 if cls.__name__.endswith("1D") else 2
    x = np.random.default_rng(5).normal(size=(2,) + (4,) * rank + (3,))
    check_layer_gradients(cls(), x)
    assert cls()(x).shape == (2, 3)
    assert cls(keepdims=True)(x).shape == (2,) + (1,) * rank + (3,)
    assert cls().compute_output_shape((None,) + (4,) * rank + (3,)) == (None, 3)


def test_global_average_pooling1d_honours_a_mask():
    x = np.array([1.0, 3.0, 0.0, 0.0]).reshape(1, 4, 1)
    layer = GlobalAveragePooling1D()
    assert layer(x).ravel().tolist() == [1.0]
    assert layer.call(x, mask=np.array([[True, True, False, False]])).ravel().tolist() == [2.0]
    assert layer.backward(np.ones((1, 1))).ravel().tolist() == [0.5, 0.5, 0, 0]


def test_errors_and_config():
    with pytest.raises(ValueError, match=r"'p'.*pool_size \(3, 3\).*\(None, 2, 2, 1\)"):
        MaxPooling2D(3, name="p").build_from_shape((None, 2, 2, 1))
    with pytest.raises(ValueError, match="rank 3"):
        MaxPooling1D().build_from_shape((None, 4, 4, 1))
    with pytest.raises(ValueError, match="channels_first"):
        GlobalAveragePooling2D(data_format="channels_first")
    config = MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2) and config["padding"] == "valid"
    assert LAYERS["MaxPooling2D"].from_config(config).get_config() == config
    assert MaxPooling1D().get_config()["strides"] == (2,)
    assert GlobalMaxPooling1D().get_config()["keepdims"] is False
