"""Reshape, Permute, RepeatVector, ZeroPadding, Cropping, UpSampling, Flatten on any rank."""
import numpy as np
import pytest

from minikeras.layers import (
    LAYERS, Cropping1D, Cropping2D, Flatten, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D,
    ZeroPadding1D, ZeroPadding2D)
from tests.gradcheck import check_layer_gradients


@pytest.mark.parametrize("layer, shape, out_shape", [
    (Reshape((-1, 2)), (2, 3, 4), (2, 6, 2)), (Reshape((12,)), (2, 3, 4), (2, 12)),
    (Permute((2, 1)), (2, 3, 4), (2, 4, 3)), (Permute((3, 1, 2)), (2, 3, 4, 5), (2, 5, 3, 4)),
    (RepeatVector(3), (2, 4), (2, 3, 4)), (Flatten(), (2, 3, 4, 5), (2, 60)),
    (ZeroPadding2D(1), (2, 3, 3, 2), (2, 5, 5, 2)), (ZeroPadding2D(((1, 0), (0, 2))), (1, 3, 3, 1), (1, 4, 5, 1)),
    (ZeroPadding1D((2, 1)), (2, 3, 2), (2, 6, 2)), (Cropping2D(((1, 0), (0, 2))), (1, 4, 4, 1), (1, 3, 2, 1)),
    (Cropping1D(), (2, 5, 2), (2, 3, 2)), (UpSampling2D((2, 3)), (1, 2, 2, 2), (1, 4, 6, 2)),
    (UpSampling1D(3), (2, 2, 2), (2, 6, 2))])
def test_shapes_and_gradients(layer, shape, out_shape):
    x = np.random.default_rng(9).normal(size=shape)
    assert layer(x).shape == out_shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]
    check_layer_gradients(layer, x)


def test_values():
    assert np.array_equal(Permute((3, 1, 2))(np.arange(24.0).reshape(1, 2, 3, 4)),
                          np.transpose(np.arange(24.0).reshape(1, 2, 3, 4), (0, 3, 1, 2)))
    cropped = Cropping2D(((1, 0), (0, 2)))(np.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
    assert cropped.tolist() == [[4, 5], [8, 9], [12, 13]]
    assert UpSampling1D(2)(np.array([[[1.0], [2.0]]])).ravel().tolist() == [1, 1, 2, 2]
    assert RepeatVector(2)(np.array([[1.0, 2.0]])).tolist() == [[[1, 2], [1, 2]]]


def test_errors():
    with pytest.raises(ValueError, match=r"total size of new array must be unchanged, input_shape = \[3, 4\]"):
        Reshape((5, -1)).build_from_shape((None, 3, 4))
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        Reshape((-1, -1))
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        Permute((0, 1))
    with pytest.raises(ValueError, match=r"'c'.*removes everything.*\(None, 2, 2, 1\)"):
        Cropping2D(1, name="c").build_from_shape((None, 2, 2, 1))
    with pytest.raises(ValueError, match=r"'zero_padding2d'.*rank 4.*\(1, 3, 3\)"):
        ZeroPadding2D()(np.zeros((1, 3, 3)))
    with pytest.raises(ValueError, match="interpolation='nearest'"):
        UpSampling2D(interpolation="bilinear")


def test_configs_use_keras_layout():
    assert ZeroPadding2D(1).get_config()["padding"] == ((1, 1), (1, 1))
    assert ZeroPadding2D((1, 2)).get_config()["padding"] == ((1, 1), (2, 2))
    assert ZeroPadding1D().get_config()["padding"] == (1, 1)
    assert Cropping1D().get_config()["cropping"] == (1, 1)
    assert UpSampling2D().get_config()["size"] == (2, 2) and UpSampling1D().get_config()["size"] == 2
    assert Reshape((-1, 2)).get_config()["target_shape"] == (-1, 2)
    for layer in (ZeroPadding2D(1), Cropping2D(), UpSampling2D(), Permute((2, 1)), RepeatVector(3), Reshape((4,))):
        config = layer.get_config()
        assert LAYERS[type(layer).__name__].from_config(config).get_config() == config
