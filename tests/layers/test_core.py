"""Dense, Activation, Dropout, Flatten: forward values, backward by finite differences, weights, config."""
import numpy as np
import pytest

from minikeras import backend
from minikeras.layers import Activation, Dense, Dropout, Flatten, Input
from tests.gradcheck import numeric_grad

ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
               "hard_sigmoid", "exponential"]


@pytest.fixture(autouse=True)
def float64():
    """Gradient checks run in float64 so central differences are accurate to ~1e-9."""
    backend.set_floatx("float64")
    backend.reset_uids()
    yield
    backend.set_floatx("float32")


def check_layer_gradients(layer, x, seed=0):
    """Compares layer.backward with finite differences of L = sum(out * r) for a random r."""
    out = layer(x, training=True)
    r = np.random.default_rng(seed).normal(size=out.shape)

    def loss():
        return float(np.sum(layer.call(x, training=True) * r))

    dx = layer.backward(r)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-5, atol=1e-7)
    for w, g in zip(layer.trainable_weights, layer.grads):
        np.testing.assert_allclose(g, numeric_grad(loss, w), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_gradients(activation):
    x = np.random.default_rng(1).normal(size=(5, 4)) * 0.8 + 0.05  # away from relu's kink at 0
    layer = Dense(3, activation=activation, kernel_initializer="glorot_uniform", bias_initializer="ones")
    check_layer_gradients(layer, x)


def test_dense_without_bias_and_regularized_gradients():
    from minikeras import regularizers
    x = np.random.default_rng(2).normal(size=(6, 3))
    layer = Dense(2, use_bias=False, kernel_regularizer=regularizers.l2(0.1))
    out = layer(x)
    r = np.random.default_rng(3).normal(size=out.shape)

    def loss():
        return float(np.sum(layer.call(x) * r)) + layer.regularization_loss()

    layer.backward(r)
    assert len(layer.grads) == 1
    np.testing.assert_allclose(layer.grads[0], numeric_grad(loss, layer.kernel), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_layer_gradients(activation):
    x = np.random.default_rng(4).normal(size=(4, 5)) + 0.01
    check_layer_gradients(Activation(activation), x)


def test_dense_backward_from_logits_skips_the_activation():
    x = np.random.default_rng(5).normal(size=(4, 3))
    layer = Dense(2, activation="softmax")
    layer(x)
    dz = np.random.default_rng(6).normal(size=(4, 2))
    dx = layer.backward_from_logits(dz)
    np.testing.assert_allclose(layer.grads[0], x.T @ dz)
    np.testing.assert_allclose(layer.grads[1], dz.sum(axis=0))
    np.testing.assert_allclose(dx, dz @ layer.kernel.T)


def test_flatten_gradients_and_shapes():
    x = np.random.default_rng(7).normal(size=(2, 3, 4))
    layer = Flatten()
    assert layer(x).shape == (2, 12)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 12)
    check_layer_gradients(layer, x)


def test_dropout_training_mask_scale_and_gradient():
    layer = Dropout(0.5, seed=3)
    x = np.ones((1000, 10))
    y = layer(x, training=True)
    kept = y != 0
    assert 0.45 < kept.mean() < 0.55
    np.testing.assert_allclose(y[kept], 2.0)  # inverted dropout: kept units scaled by 1/(1-rate)
    dy = np.random.default_rng(8).normal(size=x.shape)
    np.testing.assert_allclose(layer.backward(dy), dy * kept * 2.0)
    np.testing.assert_array_equal(layer(x, training=False), x)


def test_dropout_seeded_masks_repeat_and_global_seed_controls_unseeded():
    a, b = Dropout(0.3, seed=11), Dropout(0.3, seed=11)
    x = np.ones((8, 8))
    np.testing.assert_array_equal(a(x, training=True), b(x, training=True))
    backend.set_seed(5)
    m1 = Dropout(0.3)(x, training=True)
    backend.set_seed(5)
    m2 = Dropout(0.3)(x, training=True)
    np.testing.assert_array_equal(m1, m2)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "half", None])
def test_dropout_rejects_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        Dropout(rate)


def test_dropout_noise_shape_must_broadcast_against_the_input():
    with pytest.raises(ValueError, match=r"noise_shape \(7, 7\) does not broadcast against its input of shape "
                                         r"\(None, 4\)"):
        Dropout(0.5, noise_shape=(7, 7))(Input((4,)))
    x = np.ones((6, 5, 4))
    out = Dropout(0.5, noise_shape=(None, 1, 4), seed=1)(x, training=True)   # one mask per sample and feature
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))
    assert set(np.unique(out)) == {0.0, 2.0}
    for seed in range(4):                                 # a shorter noise_shape lines up with the last axes
        short = Dropout(0.5, noise_shape=(1, 4), seed=seed)(x, training=True)
        np.testing.assert_array_equal(short, np.broadcast_to(short[:1, :1, :], short.shape))


def test_keras_naming_sequence():
    names = [Dense(1).name, Dense(1).name, Activation("relu").name, Dense(1).name, Dropout(0.1).name]
    assert names == ["dense", "dense_1", "activation", "dense_2", "dropout"]
    assert Dense(1, name="out").name == "out"


def test_weights_names_get_set_and_count():
    layer = Dense(3, input_dim=2)
    layer.build_from_shape((None, 2))
    assert layer.weight_names == ["dense/kernel:0", "dense/bias:0"]
    assert [w.shape for w in layer.get_weights()] == [(2, 3), (3,)]
    assert layer.count_params() == 9
    new = [np.arange(6.0).reshape(2, 3), np.array([1.0, 2.0, 3.0])]
    kernel_before = layer.kernel
    layer.set_weights(new)
    assert layer.kernel is kernel_before  # in place, so optimizer slots stay attached
    np.testing.assert_array_equal(layer.kernel, new[0])
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])
    with pytest.raises(ValueError, match="expects 2 weights"):
        layer.set_weights([np.zeros((2, 3))])


def test_dense_config_round_trip_matches_keras_keys():
    layer = Dense(4, activation="relu", input_dim=3, kernel_initializer="uniform", name="d")
    config = layer.get_config()
    assert {"name", "trainable", "dtype", "batch_input_shape", "units", "activation", "use_bias",
            "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer"} <= set(config)
    assert config["units"] == 4 and config["activation"] == "relu"
    assert config["batch_input_shape"] == [None, 3]
    assert config["kernel_initializer"]["class_name"] == "RandomUniform"
    clone = Dense.from_config(config)
    assert clone.get_config() == config


def test_dense_rejects_bad_units_and_unknown_kwargs():
    for units in (0, -1, 2.5, "3"):
        with pytest.raises(ValueError, match="units"):
            Dense(units)
    with pytest.raises(TypeError, match="unexpected keyword"):
        Dense(3, kernal_initializer="zeros")


def test_unknown_activation_name_is_a_clear_error():
    with pytest.raises(ValueError, match="relux"):
        Dense(3, activation="relux")


def test_regularizer_without_gradient_is_differentiated_by_the_tape():
    layer = Dense(2, kernel_regularizer=lambda w: 0.01 * np.sum(w ** 2))
    layer(np.zeros((1, 3), dtype="float32"))
    layer.backward(np.zeros((1, 2), dtype="float32"))
    np.testing.assert_allclose(layer.grads[0], 0.02 * layer.kernel, rtol=1e-6)


def test_set_seed_after_first_use_still_controls_unseeded_dropout():
    layer = Dropout(0.5)
    x = np.ones((16, 16))
    layer(x, training=True)  # first use
    backend.set_seed(9)
    a = layer(x, training=True)
    backend.set_seed(9)
    np.testing.assert_array_equal(a, layer(x, training=True))


def test_weights_argument_sets_the_initial_weights_when_built():
    from minikeras.layers import Conv2D
    kernel, bias = np.arange(6, dtype="float32").reshape(3, 2), np.array([0.5, -0.5], dtype="float32")
    layer = Dense(2, weights=[kernel, bias])                     # Keras 2's initial weights (mnist_net2net.py)
    out = layer(np.ones((1, 3), dtype="float32"))
    np.testing.assert_allclose(out, [[6.5, 8.5]], rtol=1e-6)
    assert "weights" not in layer.get_config()
    conv = Conv2D(1, 1, weights=[np.full((1, 1, 1, 1), 2.0), np.zeros(1)])
    np.testing.assert_allclose(conv(np.ones((1, 2, 2, 1), dtype="float32")), np.full((1, 2, 2, 1), 2.0))
    with pytest.raises(ValueError, match=r"has shape \(3, 2\), but set_weights received an array of shape \(2, 2\)"):
        Dense(2, weights=[np.zeros((2, 2)), bias])(np.ones((1, 3), dtype="float32"))


def test_supports_masking_passes_the_mask_on_and_other_layers_drop_it():
    """Keras's mask protocol: a layer with ``supports_masking = True`` hands its input mask to the
    next layer (here the loss: masked steps do not count), any other layer drops it."""
    from minikeras.layers import Embedding, Layer
    from minikeras.models import Model

    class Keeps(Layer):
        supports_masking = True

    class Drops(Layer):
        pass

    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    target = np.ones((2, 4, 2), "float32")
    losses = {}
    for cls in (Keeps, Drops):
        backend.reset_uids()
        inputs = Input((4,))
        model = Model(inputs, cls()(Embedding(4, 2, mask_zero=True, embeddings_initializer="zeros")(inputs)))
        model.compile("sgd", "mse")
        model.layers[1].set_weights([np.array([[0, 0], [1, 1], [1, 1], [1, 1]], "float32")])
        losses[cls] = model.evaluate(ids, target, verbose=0)
    assert losses[Keeps] == pytest.approx(0.0)           # only the 3 kept steps count: (1 - 1)^2
    assert losses[Drops] == pytest.approx(5 / 8)         # all 8 steps: the 5 padded ones give (0 - 1)^2
    assert Keeps().compute_mask(ids, ids != 0) is not None and Drops().compute_mask(ids, ids != 0) is None
