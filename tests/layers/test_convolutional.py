"""Conv1D and Conv2D: values from tf_keras's measured facts, gradients by finite differences, errors, config."""
import numpy as np
import pytest

from minikeras.layers import LAYERS, Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D
from tests.gradcheck import check_layer_gradients


def ones_conv(cls, *args, **kwargs):
    return cls(*args, kernel_initializer="ones", **kwargs)


def test_conv1d_padding_values_match_tf_keras():
    seq = np.arange(1.0, 6.0).reshape(1, 5, 1)
    assert ones_conv(Conv1D, 1, 3, strides=2, padding="same")(seq).ravel().tolist() == [3, 9, 9]
    assert ones_conv(Conv1D, 1, 4, padding="same")(seq[:, :4]).ravel().tolist() == [6, 10, 9, 7]
    assert ones_conv(Conv1D, 1, 3, padding="causal")(seq[:, :4]).ravel().tolist() == [1, 3, 6, 9]
    assert ones_conv(Conv1D, 1, 2, dilation_rate=2, padding="causal")(seq).ravel().tolist() == [1, 2, 4, 6, 8]
    kernel = Conv1D(1, 2)
    kernel(seq)
    kernel.set_weights([np.array([1.0, 10.0]).reshape(2, 1, 1), np.zeros(1)])
    assert kernel(seq[:, :3]).ravel().tolist() == [21, 32]           # cross-correlation, no flip


def test_conv2d_same_puts_the_odd_zero_at_the_end():
    out = ones_conv(Conv2D, 1, 2, padding="same")(np.ones((1, 3, 3, 1)))
    assert out[0, :, :, 0].tolist() == [[4, 4, 2], [4, 4, 2], [2, 2, 1]]


@pytest.mark.parametrize("hw, kwargs, out_hw", [
    ((7, 8), {}, (5, 6)), ((7, 8), {"strides": 2}, (3, 3)), ((7, 8), {"strides": 3}, (2, 2)),
    ((7, 8), {"padding": "same"}, (7, 8)), ((7, 8), {"padding": "same", "strides": 2}, (4, 4)),
    ((7, 8), {"padding": "same", "strides": 3}, (3, 3)), ((7, 8), {"dilation_rate": 2}, (3, 4))])
def test_conv2d_output_shapes(hw, kwargs, out_hw):
    layer = Conv2D(2, 3, **kwargs)
    assert layer(np.zeros((1,) + hw + (1,))).shape == (1,) + out_hw + (2,)
    assert layer.compute_output_shape((None,) + hw + (1,)) == (None,) + out_hw + (2,)


@pytest.mark.parametrize("kwargs", [
    {}, {"strides": 2}, {"strides": (2, 1), "padding": "same"}, {"padding": "same"},  # 6x5, k3 s2: odd total
    {"dilation_rate": 2}, {"dilation_rate": (1, 2), "padding": "same", "activation": "tanh"},
    {"kernel_size": (2, 2), "padding": "same", "strides": 2, "use_bias": False}])
def test_conv2d_gradients(kwargs):
    kwargs = dict({"kernel_size": 3}, **kwargs)
    layer = Conv2D(3, bias_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(1).normal(size=(2, 6, 5, 2))
    check_layer_gradients(layer, x)


@pytest.mark.parametrize("kwargs", [
    {}, {"strides": 2}, {"padding": "same", "strides": 2}, {"padding": "same", "kernel_size": 4},
    {"padding": "causal", "dilation_rate": 2}, {"dilation_rate": 2, "activation": "relu"}])
def test_conv1d_gradients(kwargs):
    kwargs = dict({"kernel_size": 3}, **kwargs)
    layer = Conv1D(2, bias_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(2).normal(size=(2, 7, 3)) + 0.01
    check_layer_gradients(layer, x)


def test_kernel_shapes_and_weight_names():
    conv = Conv2D(4, (3, 2), name="conv2d")
    conv.build_from_shape((None, 8, 8, 3))
    assert [w.shape for w in conv.weights] == [(3, 2, 3, 4), (4,)]
    assert conv.weight_names == ["conv2d/kernel:0", "conv2d/bias:0"]
    conv1 = Conv1D(5, 3, use_bias=False)
    conv1.build_from_shape((None, 10, 2))
    assert [w.shape for w in conv1.weights] == [(3, 2, 5)]


def test_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"'c'.*\(None, 2, 2, 1\).*at least \(3, 3\)"):
        Conv2D(1, 3, name="c").build_from_shape((None, 2, 2, 1))
    with pytest.raises(ValueError, match=r"rank 4.*\(batch, rows, cols, channels\).*\(None, 5, 1\)"):
        Conv2D(1, 3).build_from_shape((None, 5, 1))
    with pytest.raises(ValueError, match="data_format='channels_first'"):
        Conv2D(1, 3, data_format="channels_first")
    with pytest.raises(ValueError, match="causal padding is only supported for Conv1D"):
        Conv2D(1, 3, padding="causal")
    with pytest.raises(ValueError, match="dilation_rate > 1"):
        Conv2D(1, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="kernel_size"):
        Conv1D(1, (3, 3))


def test_config_round_trip_and_registry():
    conv = Conv2D(8, 3, strides=2, padding="same", activation="relu", name="c1")
    config = conv.get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 2) and config["groups"] == 1
    assert config["dilation_rate"] == (1, 1) and config["activation"] == "relu"
    clone = LAYERS["Conv2D"].from_config(config)
    assert clone.get_config() == config
    assert Conv1D(4, 3).get_config()["kernel_size"] == (3,)


@pytest.mark.parametrize("kwargs", [
    {}, {"strides": 2}, {"strides": 2, "padding": "same"}, {"strides": (2, 1), "padding": "same", "output_padding": 0},
    {"strides": 2, "output_padding": 1, "activation": "tanh"}, {"kernel_size": 2, "strides": 3},
    {"dilation_rate": 2, "padding": "same"}])
def test_conv2d_transpose_gradients(kwargs):
    kwargs = dict({"kernel_size": 3}, **kwargs)
    layer = Conv2DTranspose(2, bias_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(13).normal(size=(2, 3, 4, 3))
    check_layer_gradients(layer, x)
    assert layer(x).shape[1:] == layer.compute_output_shape((None, 3, 4, 3))[1:]


def test_conv2d_transpose_values_and_shapes_match_tf_keras():
    x = np.array([[1.0, 10.0]]).reshape(1, 1, 2, 1)
    for k, expected in ((3, [1, 1, 11, 10]), (4, [1, 11, 11, 10])):
        layer = Conv2DTranspose(1, (1, k), strides=(1, 2), padding="same", kernel_initializer="ones")
        assert layer(x).ravel().tolist() == expected
    for kwargs, size in (({}, 7), ({"strides": 2}, 11), ({"strides": 2, "padding": "same"}, 10),
                         ({"strides": 2, "padding": "same", "output_padding": 0}, 9),
                         ({"strides": 2, "output_padding": 1}, 12)):
        assert Conv2DTranspose(2, 3, **kwargs).compute_output_shape((None, 5, 5, 1)) == (None, size, size, 2)
    layer = Conv2DTranspose(4, 3, name="conv2d_transpose")
    layer.build_from_shape((None, 5, 5, 2))
    assert layer.kernel.shape == (3, 3, 4, 2) and layer.weight_names[0] == "conv2d_transpose/kernel:0"
    with pytest.raises(ValueError, match="output_padding"):
        Conv2DTranspose(1, 3, strides=2, output_padding=2)


@pytest.mark.parametrize("cls, kwargs", [
    (DepthwiseConv2D, {}), (DepthwiseConv2D, {"depth_multiplier": 2, "strides": 2, "padding": "same"}),
    (DepthwiseConv2D, {"dilation_rate": 2, "activation": "tanh"}),
    (SeparableConv2D, {"filters": 3}), (SeparableConv2D, {"filters": 2, "depth_multiplier": 2, "padding": "same"})])
def test_depthwise_and_separable_gradients(cls, kwargs):
    layer = cls(kernel_size=3, bias_initializer="glorot_uniform", **kwargs)
    x = np.random.default_rng(14).normal(size=(2, 6, 5, 2))
    check_layer_gradients(layer, x)


def test_depthwise_matches_per_channel_conv2d():
    x = np.random.default_rng(15).normal(size=(2, 5, 5, 2))
    depthwise = DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)
    out = depthwise(x)
    for c in range(2):
        conv = Conv2D(2, 3, use_bias=False)
        conv(x[..., c:c + 1])
        conv.set_weights([depthwise.depthwise_kernel[:, :, c:c + 1, :]])
        np.testing.assert_allclose(out[..., 2 * c:2 * c + 2], conv(x[..., c:c + 1]))
    separable = SeparableConv2D(4, 3, name="separable_conv2d")
    separable.build_from_shape((None, 5, 5, 2))
    assert separable.weight_names == ["separable_conv2d/depthwise_kernel:0", "separable_conv2d/pointwise_kernel:0",
                                      "separable_conv2d/bias:0"]
    config = separable.get_config()
    assert LAYERS["SeparableConv2D"].from_config(config).get_config() == config


@pytest.mark.parametrize("kwargs", [{"activation": "relu"}, {"strides": 2, "padding": "same"}])
def test_recycled_im2col_matrix_never_mixes_two_calls(kwargs):
    """The im2col matrix is reused from step to step (layers/workspace.py); a shared layer called
    twice before its backward passes (the graph saves each call's cache) still gets each call's gradients."""
    rng = np.random.default_rng(3)
    layer = Conv2D(4, 3, **kwargs)
    x1, x2 = rng.normal(size=(2, 2, 7, 6, 3))
    g1, g2 = rng.normal(size=(2,) + layer(x1).shape)
    expected = []
    for x, g in ((x1, g1), (x2, g2)):
        layer.call(x, training=True)
        expected.append((layer.backward(g), [w.copy() for w in layer.grads], g))
    for _ in range(2):                                    # twice: the second round runs on recycled arrays
        layer.call(x1, training=True)
        first = layer.cache_state()
        layer.call(x2, training=True)
        second = layer.cache_state()
        for state, (dx, grads, g) in zip((first, second), expected):
            layer.restore_cache_state(state)
            np.testing.assert_allclose(layer.backward(g), dx, rtol=1e-12)
            for got, want in zip(layer.grads, grads):
                np.testing.assert_allclose(got, want, rtol=1e-12)
