"""Noise layers (seeded, identity at inference) and the activation layers, against tf_keras's measured values."""
import numpy as np
import pytest

from minikeras.layers import (
    ELU, LAYERS, AlphaDropout, GaussianDropout, GaussianNoise, LeakyReLU, PReLU, ReLU, Softmax, SpatialDropout1D,
    SpatialDropout2D, ThresholdedReLU)
from tests.gradcheck import check_layer_gradients, numeric_grad

X = np.array([[-2.0, -0.5, 0.0, 0.5, 1.0, 1.5, 7.0]])


def test_activation_values_match_tf_keras():
    np.testing.assert_allclose(LeakyReLU()(X), [[-0.6, -0.15, 0, 0.5, 1, 1.5, 7]])
    np.testing.assert_allclose(ELU()(X)[0, :2], [-0.86466, -0.39347], rtol=1e-5)
    np.testing.assert_allclose(ThresholdedReLU()(X), [[0, 0, 0, 0, 0, 1.5, 7]])
    np.testing.assert_allclose(ReLU(max_value=6)(X), [[0, 0, 0, 0.5, 1, 1.5, 6]])
    np.testing.assert_allclose(ReLU(negative_slope=0.1, threshold=0.5)(X), [[-0.25, -0.1, -0.05, 0, 1, 1.5, 7]])
    np.testing.assert_allclose(PReLU()(X), [[0, 0, 0, 0.5, 1, 1.5, 7]])
    np.testing.assert_allclose(Softmax(axis=1)(np.zeros((2, 3, 1)))[0, :, 0], [1 / 3] * 3)


@pytest.mark.parametrize("make", [
    LeakyReLU, lambda: ELU(0.7), lambda: ReLU(max_value=6.0, negative_slope=0.1, threshold=0.2),
    lambda: ThresholdedReLU(0.3), Softmax, lambda: Softmax(axis=1), lambda: PReLU(alpha_initializer="glorot_uniform"),
    lambda: PReLU(alpha_initializer="glorot_uniform", shared_axes=[1])])
def test_activation_layer_gradients(make):
    layer = make()                         # made inside the test, so its weights are float64
    x = np.random.default_rng(10).normal(size=(3, 4, 5)) * 3 + 0.013   # away from the kinks
    check_layer_gradients(layer, x)


def test_prelu_weight_shape_and_name():
    layer = PReLU(shared_axes=[1, 2], name="p_re_lu")
    layer.build_from_shape((None, 5, 5, 3))
    assert layer.alpha.shape == (1, 1, 3) and layer.weight_names == ["p_re_lu/alpha:0"]
    assert PReLU().name == "p_re_lu" and LeakyReLU().name == "leaky_re_lu"


@pytest.mark.parametrize("cls, arg", [(GaussianNoise, 0.5), (GaussianDropout, 0.2), (AlphaDropout, 0.2),
                                      (SpatialDropout1D, 0.5), (SpatialDropout2D, 0.5)])
def test_noise_is_identity_at_inference_and_seeded_gradients(cls, arg):
    layer = cls(arg, seed=1)
    shape = (4, 3, 3, 5) if isinstance(layer, SpatialDropout2D) else (4, 6, 5)
    x = np.random.default_rng(11).normal(size=shape)
    assert layer(x) is x
    out = layer(x, training=True)
    assert not np.allclose(out, x)
    r = np.random.default_rng(12).normal(size=out.shape)

    def loss():            # the same noise every time: restart the layer's own generator
        layer._rng = None
        return float(np.sum(layer.call(x, training=True) * r))

    loss()
    dx = layer.backward(r)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-5, atol=1e-7)


def test_noise_statistics_and_masks():
    x = np.ones((400, 50))
    assert abs(GaussianDropout(0.2, seed=0)(x, training=True).std() - 0.5) < 0.02         # std sqrt(r/(1-r))
    alpha = AlphaDropout(0.2, seed=0)(np.zeros((100, 100)), training=True)
    assert sorted(np.unique(alpha.round(5))) == [-1.23616, 0.30904]
    spatial = SpatialDropout1D(0.5, seed=0)(np.ones((8, 6, 4)), training=True)
    assert np.all(spatial == spatial[:, :1, :]) and set(np.unique(spatial)) == {0.0, 2.0}   # whole channels


def test_configs():
    assert GaussianNoise(0.5).get_config()["stddev"] == 0.5
    assert SpatialDropout2D(0.5).get_config()["noise_shape"] is None
    assert LeakyReLU().get_config()["alpha"] == 0.3
    for layer in (ReLU(6.0), PReLU(shared_axes=[1]), Softmax(axis=1), AlphaDropout(0.1), SpatialDropout1D(0.2)):
        config = layer.get_config()
        assert LAYERS[type(layer).__name__].from_config(config).get_config() == config
    with pytest.raises(ValueError, match="rate must be a number in"):
        GaussianDropout(1.0)


@pytest.mark.parametrize("make,argument", [
    (lambda: LeakyReLU(alpha="a"), "alpha"), (lambda: ELU(alpha=None), "alpha"),
    (lambda: ReLU(max_value="6"), "max_value"), (lambda: ReLU(negative_slope=float("nan")), "negative_slope"),
    (lambda: ThresholdedReLU(theta=[1.0]), "theta"),
])
def test_activation_layer_arguments_must_be_numbers(make, argument):
    with pytest.raises(ValueError, match=rf": {argument} must be a finite number"):
        make()
