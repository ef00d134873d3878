"""BatchNormalization and LayerNormalization: tf_keras's update rules, gradients, weights, config."""
import numpy as np
import pytest

from minikeras.layers import LAYERS, BatchNormalization, Conv2D, Dense, Flatten, LayerNormalization
from minikeras.models import Sequential
from tests.gradcheck import check_layer_gradients


def test_weights_order_names_and_trainability():
    bn = BatchNormalization(name="batch_normalization")
    bn.build_from_shape((None, 2))
    assert bn.weight_names == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                               "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2
    bare = BatchNormalization(center=False, scale=False)
    bare.build_from_shape((None, 3))
    assert [w.shape for w in bare.weights] == [(3,), (3,)] and bare.trainable_weights == []


def test_moving_statistics_follow_tf_keras():
    x = np.array([0.0, 2.0, 4.0]).reshape(3, 1)
    bn = BatchNormalization(momentum=0.5)
    bn(x, training=True)
    np.testing.assert_allclose(bn.moving_mean, [1.0])                    # .5*0 + .5*2
    np.testing.assert_allclose(bn.moving_variance, [0.5 + 0.5 * 8 / 3])  # biased variance for 2-D inputs
    image = (np.arange(8.0) ** 1.5).reshape(2, 2, 2, 1)
    fused = BatchNormalization(momentum=0.5)
    fused(image, training=True)
    np.testing.assert_allclose(fused.moving_variance, [0.5 + 0.5 * image.var(ddof=1)])  # TF's fused kernel
    before = fused.get_weights()
    y = fused(image)                                                     # inference: moving stats, no update
    np.testing.assert_allclose(fused.get_weights()[2:], before[2:])
    np.testing.assert_allclose(y, (image - before[2]) / np.sqrt(before[3] + 1e-3))


def test_frozen_batch_normalization_runs_in_inference_mode():
    bn = BatchNormalization(trainable=False)
    x = np.array([[1.0], [3.0]])
    np.testing.assert_allclose(bn(x, training=True), x / np.sqrt(1 + 1e-3))
    assert bn.moving_mean.tolist() == [0.0]
    bn.backward(np.ones((2, 1)))
    assert bn.grads == []


@pytest.mark.parametrize("kwargs, shape", [
    ({}, (6, 3)), ({"axis": 1}, (4, 3, 2)), ({"axis": [1, 3]}, (3, 2, 2, 2)), ({}, (2, 3, 3, 2)),
    ({"center": False}, (5, 2)), ({"scale": False}, (5, 2))])
def test_batch_normalization_gradients(kwargs, shape):
    layer = BatchNormalization(gamma_initializer="glorot_uniform", beta_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(6).normal(size=shape)
    check_layer_gradients(layer, x)                                      # training: through the batch stats
    layer.moving_variance[...] = 0.7
    check_layer_gradients(layer, x, training=False)                     # inference: a fixed scale


@pytest.mark.parametrize("kwargs", [{}, {"center": False}, {"axis": 1}])
def test_masked_batch_normalization_gradients_and_statistics(kwargs):
    """A (B, T) mask keeps masked steps out of the batch statistics (tf_keras's weighted moments)."""
    layer = BatchNormalization(gamma_initializer="glorot_uniform", beta_initializer="glorot_uniform", momentum=0.0,
                               **kwargs)
    x = np.random.default_rng(8).normal(size=(3, 4, 2))
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [0, 1, 1, 0]], bool)
    check_layer_gradients(layer, x, mask=mask)                           # through the weighted moments
    if kwargs.get("axis", -1) == -1:
        kept = x[mask]                                                   # (kept steps, C)
        mean, var, plain_mean = kept.mean(axis=0), kept.var(axis=0), x.mean(axis=(0, 1))
    else:  # axis=1: the statistics of each step t over the batch and the features, masked samples left out
        w = np.broadcast_to(mask[:, :, None], x.shape).astype(float)     # (B, T, C) weights
        mean = (w * x).sum(axis=(0, 2)) / w.sum(axis=(0, 2))
        var = (w * (x - mean[None, :, None]) ** 2).sum(axis=(0, 2)) / w.sum(axis=(0, 2))
        plain_mean = x.mean(axis=(0, 2))
    np.testing.assert_allclose(layer.moving_mean, mean, rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance, var, rtol=1e-6)
    assert np.abs(layer.moving_mean - plain_mean).max() > 1e-2          # the mask changed them
    unmasked = BatchNormalization(momentum=0.0, **kwargs)
    np.testing.assert_allclose(unmasked(x, training=True, mask=np.ones((3, 4), bool)), unmasked(x, training=True))


@pytest.mark.parametrize("kwargs, shape", [({}, (3, 4)), ({"axis": [1, 2]}, (2, 3, 2)), ({"axis": 1}, (2, 3, 2))])
def test_layer_normalization_gradients_and_values(kwargs, shape):
    layer = LayerNormalization(gamma_initializer="glorot_uniform", beta_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(7).normal(size=shape)
    check_layer_gradients(layer, x)
    plain = LayerNormalization(**kwargs)
    axes = tuple(range(1, len(shape))) if kwargs.get("axis") == [1, 2] else (kwargs.get("axis", -1),)
    expected = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + 1e-3)
    np.testing.assert_allclose(plain(x), expected)


def test_optimizer_never_touches_moving_statistics():
    model = Sequential([Conv2D(2, 3, input_shape=(5, 5, 1)), BatchNormalization(), Flatten(), Dense(1)])
    model.compile("sgd", "mse")
    x = np.random.default_rng(8).normal(size=(8, 5, 5, 1))
    h = model.layers[0](x)                                                # what BN sees in the one batch
    model.fit(x, np.zeros((8, 1)), epochs=1, batch_size=8, verbose=0, shuffle=False)
    bn = model.layers[1]
    assert len(model.trainable_weights) == 4 + 2
    np.testing.assert_allclose(bn.moving_mean, 0.01 * h.mean(axis=(0, 1, 2)), rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance, 0.99 + 0.01 * h.var(axis=(0, 1, 2), ddof=1), rtol=1e-6)
    config = bn.get_config()
    assert config["momentum"] == 0.99 and config["epsilon"] == 1e-3 and config["axis"] == -1
    assert LAYERS["BatchNormalization"].from_config(config).get_config() == config


def test_axis_errors():
    with pytest.raises(ValueError, match="axis 3 is out of range for an input of rank 2"):
        BatchNormalization(axis=3).build_from_shape((None, 4))
    with pytest.raises(ValueError, match="batch axis"):
        LayerNormalization(axis=0).build_from_shape((None, 4))
