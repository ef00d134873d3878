"""Tests for minikeras.activations: forward values against tf_keras, gradients by finite differences."""
import functools
import os

import numpy as np
import pytest

from minikeras import activations
from minikeras import backend as K
from minikeras.layers import Activation, Dense
from minikeras.models import Sequential

# --------------------------------------------------------------------------- recorded tf_keras values
# Recorded from tf_keras 2.21 (TF 2.21, CPU) with:
#   X = np.array([-10, -3, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 3, 10], np.float32)
#   getattr(tf_keras.activations, name)(tf.constant(X), **kwargs).numpy().tolist()
X = np.array([-10.0, -3.0, -2.5, -1.0, -0.3, 0.0, 0.3, 1.0, 2.5, 3.0, 10.0], np.float32)
TF_KERAS_FORWARD = {
    "sigmoid": [4.539786095847376e-05, 0.04742586612701416, 0.07585816830396652, 0.26894140243530273,
                0.425557404756546, 0.5, 0.574442446231842, 0.7310585379600525, 0.9241418242454529,
                0.9525741338729858, 0.9999545812606812],
    "tanh": [-1.0, -0.9950547218322754, -0.9866143465042114, -0.7615941762924194, -0.29131263494491577,
             0.0, 0.29131263494491577, 0.7615941762924194, 0.9866143465042114, 0.9950547218322754, 1.0],
    "linear": [-10.0, -3.0, -2.5, -1.0, -0.30000001192092896, 0.0, 0.30000001192092896, 1.0, 2.5, 3.0, 10.0],
    "elu": [-0.9999545812606812, -0.9502129554748535, -0.9179149866104126, -0.6321205496788025,
            -0.25918179750442505, 0.0, 0.30000001192092896, 1.0, 2.5, 3.0, 10.0],
    "selu": [-1.7580194473266602, -1.6705687046051025, -1.613785743713379, -1.1113307476043701,
             -0.4556673467159271, 0.0, 0.3152103126049042, 1.0507010221481323, 2.6267526149749756,
             3.1521029472351074, 10.507010459899902],
    "softplus": [4.539889778243378e-05, 0.04858735576272011, 0.07888974249362946, 0.3132616877555847,
                 0.5543552041053772, 0.6931471824645996, 0.8543552160263062, 1.31326162815094,
                 2.578889846801758, 3.0485873222351074, 10.000045776367188],
    "softsign": [-0.9090909361839294, -0.75, -0.7142857313156128, -0.5, -0.23076924681663513, 0.0,
                 0.23076924681663513, 0.5, 0.7142857313156128, 0.75, 0.9090909361839294],
    "hard_sigmoid": [0.0, 0.0, 0.0, 0.30000001192092896, 0.4399999976158142, 0.5, 0.5600000023841858,
                     0.699999988079071, 1.0, 1.0, 1.0],
    "exponential": [4.539993096841499e-05, 0.049787070602178574, 0.08208499848842621, 0.3678794503211975,
                    0.740818202495575, 1.0, 1.3498587608337402, 2.7182817459106445, 12.182494163513184,
                    20.08553695678711, 22026.46484375],
    "relu": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.30000001192092896, 1.0, 2.5, 3.0, 10.0],
}
# Same snippet with keyword arguments: (name, kwargs, values).
TF_KERAS_FORWARD_KWARGS = [
    ("relu", dict(alpha=0.1), [-1.0, -0.30000001192092896, -0.25, -0.10000000149011612,
                               -0.030000001192092896, 0.0, 0.30000001192092896, 1.0, 2.5, 3.0, 10.0]),
    ("relu", dict(max_value=6.0), [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.30000001192092896, 1.0, 2.5, 3.0, 6.0]),
    ("relu", dict(threshold=0.5), [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.5, 3.0, 10.0]),
    ("relu", dict(alpha=0.1, max_value=2.0, threshold=0.5),
     [-1.0500000715255737, -0.3499999940395355, -0.30000001192092896, -0.15000000596046448,
      -0.08000000566244125, -0.05000000074505806, -0.019999999552965164, 1.0, 2.0, 2.0, 2.0]),
    ("relu", dict(threshold=-1.5, alpha=0.2),
     [-1.7000000476837158, -0.30000001192092896, -0.20000000298023224, -1.0, -0.30000001192092896, 0.0,
      0.30000001192092896, 1.0, 2.5, 3.0, 10.0]),
    ("relu", dict(threshold=-1.5, max_value=2.0), [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.30000001192092896, 1.0,
                                                    2.0, 2.0, 2.0]),
    ("elu", dict(alpha=0.5), [-0.4999772906303406, -0.47510647773742676, -0.4589574933052063,
                              -0.31606027483940125, -0.12959089875221252, 0.0, 0.30000001192092896, 1.0,
                              2.5, 3.0, 10.0]),
]
# tf_keras.activations.softmax(tf.constant(S), axis=...) with S below (the 1000 checks overflow safety).
S = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1000.0]], np.float32)
TF_KERAS_SOFTMAX_LAST = [[0.09003056585788727, 0.2447284758090973, 0.6652408838272095], [0.0, 0.0, 1.0]]
TF_KERAS_SOFTMAX_AXIS0 = [[0.8807970285415649, 0.8807970285415649, 0.0],
                          [0.11920291185379028, 0.11920291185379028, 1.0]]
# getattr(tf_keras.activations, name)(tf.constant([-100., -50., 50., 100.])): large inputs stay finite.
BIG = np.array([-100.0, -50.0, 50.0, 100.0], np.float32)
TF_KERAS_BIG = {
    "sigmoid": [0.0, 1.9287498933537385e-22, 1.0, 1.0],
    "softplus": [0.0, 1.9287498933537385e-22, 50.0, 100.0],
    "tanh": [-1.0, -1.0, 1.0, 1.0],
    "elu": [-1.0, -1.0, 50.0, 100.0],
    "selu": [-1.7580993175506592, -1.7580993175506592, 52.53504943847656, 105.07009887695312],
}
ALL_NAMES = {"softmax", "relu", "sigmoid", "tanh", "linear", "elu", "selu", "softplus", "softsign",
             "hard_sigmoid", "exponential"}
FLOAT32 = dict(rtol=1e-6, atol=1e-7)  # float32 precision: about one ulp near 1


@pytest.mark.parametrize("name", sorted(TF_KERAS_FORWARD))
def test_forward_matches_tf_keras(name):
    y = activations.get(name)(X)
    assert y.dtype == np.float32 and y.shape == X.shape
    np.testing.assert_allclose(y, TF_KERAS_FORWARD[name], **FLOAT32)


@pytest.mark.parametrize("name,kwargs,expected", TF_KERAS_FORWARD_KWARGS)
def test_forward_with_arguments_matches_tf_keras(name, kwargs, expected):
    np.testing.assert_allclose(getattr(activations, name)(X, **kwargs), expected, **FLOAT32)


@pytest.mark.parametrize("name", sorted(TF_KERAS_BIG))
def test_large_inputs_are_stable(name):
    with np.errstate(over="raise", invalid="raise"):  # no overflow or NaN (underflow to 0 is fine)
        y = getattr(activations, name)(BIG)
    np.testing.assert_allclose(y, TF_KERAS_BIG[name], **FLOAT32)


def test_softmax_matches_tf_keras_and_sums_to_one():
    np.testing.assert_allclose(activations.softmax(S), TF_KERAS_SOFTMAX_LAST, **FLOAT32)
    np.testing.assert_allclose(activations.softmax(S, axis=0), TF_KERAS_SOFTMAX_AXIS0, **FLOAT32)
    np.testing.assert_allclose(activations.softmax(S).sum(axis=-1), [1.0, 1.0], rtol=1e-6)


def test_softmax_refuses_1d_like_keras():
    with pytest.raises(ValueError, match="1D"):
        activations.softmax(np.array([1.0, 2.0]))


def test_dtypes():
    assert activations.relu(np.array([1, -2])).dtype == np.float32  # ints become floatx
    assert activations.sigmoid(np.array([1.0], np.float64)).dtype == np.float64  # floats keep theirs
    assert activations.hard_sigmoid(np.array([1.0], np.float64)).dtype == np.float64


def test_hard_sigmoid_is_tf_keras_2_definition():
    # tf_keras 2.21: clip(0.2 x + 0.5, 0, 1) (Keras 3 uses x / 6 + 0.5, which gives 0.6667 at 1).
    np.testing.assert_allclose(activations.hard_sigmoid(np.array([-3.0, -1.0, 0.0, 1.0, 3.0])),
                               [0.0, 0.3, 0.5, 0.7, 1.0])


# --------------------------------------------------------------------------- gradients
def numerical_vjp(fn, x, dy, eps=1e-6):
    """dL/dx for L = sum(dy * fn(x)) by central differences, one input element at a time.

    Perturbing each element and looking at the whole output checks the full Jacobian, so a
    gradient that forgets the off-diagonal terms (e.g. softmax's) is caught.
    """
    dx = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        dx[i] = np.sum(dy * (fn(x + step) - fn(x - step))) / (2 * eps)
    return dx


def _away_from(x, kinks, gap=0.05):
    for k in kinks:
        x = np.where(np.abs(x - k) < gap, x + 2 * gap, x)
    return x


GRADIENT_CASES = [  # (id, activation, non-differentiable points)
    ("softmax", activations.softmax, []),
    ("softmax_axis0", functools.partial(activations.softmax, axis=0), []),
    ("relu", activations.relu, [0.0]),
    ("relu_leaky", functools.partial(activations.relu, alpha=0.1), [0.0]),
    ("relu_max", functools.partial(activations.relu, max_value=1.5), [0.0, 1.5]),
    ("relu_threshold", functools.partial(activations.relu, threshold=0.5, alpha=0.2), [0.5]),
    ("relu_all", functools.partial(activations.relu, alpha=0.3, max_value=2.0, threshold=-1.0),
     [-1.0, 0.0, 2.0]),
    ("sigmoid", activations.sigmoid, []),
    ("tanh", activations.tanh, []),
    ("linear", activations.linear, []),
    ("elu", activations.elu, [0.0]),
    ("elu_alpha", functools.partial(activations.elu, alpha=0.5), [0.0]),
    ("selu", activations.selu, [0.0]),
    ("softplus", activations.softplus, []),
    ("softsign", activations.softsign, [0.0]),
    ("hard_sigmoid", activations.hard_sigmoid, [-2.5, 2.5]),
    ("exponential", activations.exponential, []),
]


@pytest.mark.parametrize("fn,kinks", [c[1:] for c in GRADIENT_CASES], ids=[c[0] for c in GRADIENT_CASES])
def test_gradient_matches_finite_differences(fn, kinks):
    rng = np.random.default_rng(0)
    x = _away_from(rng.normal(0.0, 2.0, size=(4, 6)), kinks)
    dy = rng.normal(size=x.shape)
    y = fn(x)
    dx = activations.gradient(fn)(x, y, dy)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, numerical_vjp(fn, x, dy), rtol=1e-5, atol=1e-7)


def test_finite_difference_check_catches_a_wrong_softmax_gradient():
    rng = np.random.default_rng(1)
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    y = activations.softmax(x)
    diagonal_only = dy * y * (1 - y)  # the common mistake: ignores d y_j / d x_i for i != j
    assert not np.allclose(diagonal_only, numerical_vjp(activations.softmax, x, dy), rtol=1e-3)
    # and the documented formula is what gradient() returns
    np.testing.assert_allclose(activations.gradient(activations.softmax)(x, y, dy),
                               y * (dy - np.sum(dy * y, axis=-1, keepdims=True)))


def test_gradient_keeps_float32():
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    dy = np.ones_like(x)
    for name in sorted(ALL_NAMES):
        fn = activations.get(name)
        assert activations.gradient(fn)(x, fn(x), dy).dtype == np.float32, name


def test_relu_gradient_values_at_known_points():
    x = np.array([-2.0, 0.5, 3.0, 8.0])
    grad = activations.gradient(functools.partial(activations.relu, alpha=0.1, max_value=6.0))
    np.testing.assert_array_equal(grad(x, None, np.ones(4)), [0.1, 1.0, 1.0, 0.0])


# --------------------------------------------------------------------------- get / serialize / custom
def test_get_every_name():
    assert set(activations.ACTIVATIONS) == ALL_NAMES
    for name in ALL_NAMES:
        fn = activations.get(name)
        assert fn is getattr(activations, name)
        assert activations.serialize(fn) == name
        assert activations.deserialize(name) is fn
        assert callable(activations.gradient(fn))


def test_get_none_and_callables():
    assert activations.get(None) is activations.linear

    def mine(x):
        return x * 2
    assert activations.get(mine) is mine
    assert activations.serialize(mine) == "mine"  # Keras 2 legacy format: the function's name


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown activation function: 'relux'\..*'relu'"):
        activations.get("relux")


def test_get_rejects_other_types():
    with pytest.raises(TypeError, match="activation"):
        activations.get(3)


def test_serialize_unnamed_callable_raises():
    with pytest.raises(ValueError, match="__name__"):
        activations.serialize(functools.partial(activations.relu, max_value=6.0))


def test_custom_gradient_attribute_is_used():
    def cube(x):
        return x ** 3
    cube.gradient = lambda x, y, dy: dy * 3 * x ** 2
    assert activations.gradient(cube) is cube.gradient
    np.testing.assert_allclose(activations.gradient(cube)(np.array([2.0]), None, np.array([0.5])), [6.0])


def test_a_callable_without_gradient_is_differentiated_by_the_tape():
    # Dense(64, activation=K.tanh) in Keras's activations guide; swish from K ops
    def swish(x):
        return x * K.sigmoid(x)
    rng = np.random.default_rng(2)
    x, dy = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    for fn in (K.tanh, K.relu, swish, lambda v: K.softplus(v) * 2):
        dx = activations.gradient(fn)(x, fn(x), dy)
        np.testing.assert_allclose(dx, numerical_vjp(fn, x, dy), rtol=1e-5, atol=1e-7)


def test_a_callable_whose_output_does_not_depend_on_its_input_has_a_zero_gradient():
    dx = activations.gradient(lambda z: K.ones_like(z))(np.ones(3), None, np.ones(3))
    np.testing.assert_array_equal(dx, np.zeros(3))


def test_a_callable_the_tape_cannot_follow_names_the_numpy_call():
    def sorted_relu(x):
        return np.sort(x, axis=-1)
    x = np.array([[2.0, -1.0]])
    with pytest.raises(TypeError, match="no gradient for numpy.sort"):
        activations.gradient(sorted_relu)(x, sorted_relu(x), np.ones_like(x))


def test_dense_with_k_tanh_trains_as_with_the_name_tanh():
    rng = np.random.default_rng(3)
    x, y = rng.random((16, 3), dtype=np.float32), rng.random((16, 2), dtype=np.float32)
    histories = []
    for act in ("tanh", K.tanh):
        model = Sequential([Dense(4, activation=act, input_shape=(3,), kernel_initializer="ones"),
                            Activation(act), Dense(2, kernel_initializer="ones")])
        model.compile("sgd", "mse")
        histories.append(model.fit(x, y, epochs=3, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(histories[0], histories[1], rtol=1e-6)
    assert histories[0][2] < histories[0][0]


# --------------------------------------------------------------------------- optional live check
def test_live_against_tf_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as tf
    x = (np.random.default_rng(0).normal(size=(16, 20)) * 6).astype(np.float32)
    for name in sorted(ALL_NAMES):
        expected = getattr(tf_keras.activations, name)(tf.constant(x)).numpy()
        # atol: TF's elu/selu lose relative precision just below 0 (exp(x) - 1); ours use expm1.
        np.testing.assert_allclose(activations.get(name)(x), expected, rtol=1e-5, atol=1e-6, err_msg=name)


# --------------------------------------------------------------------------- gradients at the kinks (issue 14, item 7)
# Measured with tf_keras 2.21: tf.GradientTape().gradient(tf_keras.activations.<name>(x, **kwargs), x) at these x;
# compared within rtol 1e-6 / atol 1e-7 (float32) below.
SELU_SCALE, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772  # selu's constants (Klambauer et al. 2017)
KINKS = [
    ("relu", {}, [-1, 0, 1], [0, 0, 1]),
    ("relu", {"alpha": 0.1}, [-1, 0, 1], [0.1, 0.1, 1]),
    ("relu", {"max_value": 6.0}, [-1, 0, 5.9, 6, 7], [0, 0, 1, 0, 0]),
    ("relu", {"max_value": 5.0}, [0, 5, 6], [0, 1, 0]),
    ("relu", {"alpha": 0.1, "max_value": 6.0}, [-1, 0, 6, 7], [0.1, 0, 0, 0]),
    ("relu", {"threshold": 1.0}, [0, 1, 2], [0, 0, 1]),
    ("relu", {"alpha": 0.1, "threshold": 1.0}, [0, 1, 2], [0.1, 0, 1]),
    ("relu", {"threshold": 1.0, "max_value": 6.0}, [0, 1, 6, 7], [0, 0, 1, 0]),
    ("relu", {"alpha": 0.1, "threshold": 1.0, "max_value": 6.0}, [0, 1, 6, 7], [0.1, 0, 1, 0]),
    ("relu", {"threshold": -1.0}, [-2, -1, 0, 1], [0, 0, 1, 1]),
    ("relu", {"max_value": 0.0}, [-1, 0, 1], [0, 0, 0]),
    ("relu", {"alpha": 0.1, "threshold": -1.0, "max_value": 6.0}, [-2, -1, 0, 6, 7], [0.1, 0, 1, 1, 0]),
    ("elu", {}, [-1, 0, 1], [np.exp(-1), 1, 1]),
    ("elu", {"alpha": 0.5}, [-1, 0, 1], [0.5 * np.exp(-1), 0.5, 1]),
    ("selu", {}, [-1, 0, 1], [SELU_SCALE * SELU_ALPHA * np.exp(-1), SELU_SCALE, SELU_SCALE]),
    ("hard_sigmoid", {}, [-3, -2.5, 0, 2.5, 3], [0, 0.2, 0.2, 0.2, 0]),
    ("softplus", {}, [-100, 0, 100], [0, 0.5, 1]),
    ("softsign", {}, [0], [1]),
    ("exponential", {}, [0], [1]),
    ("sigmoid", {}, [-100, 0, 100], [0, 0.25, 0]),
    ("tanh", {}, [0], [1]),
    ("linear", {}, [0], [1]),
]


@pytest.mark.parametrize("name, kwargs, x, expected", KINKS, ids=[f"{k[0]}{k[1]}" for k in KINKS])
def test_gradient_at_kinks_is_tf_keras_choice(name, kwargs, x, expected):
    fn = functools.partial(activations.get(name), **kwargs) if kwargs else activations.get(name)
    x = np.array(x, dtype="float32")
    grad = activations.gradient(fn)(x, fn(x), np.ones_like(x))
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.tf_keras
def test_gradient_at_kinks_live_against_tf_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as tf
    for name, kwargs, x, _ in KINKS:
        x = np.array(x, dtype="float32")
        tensor = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(tensor)
            out = getattr(tf_keras.activations, name)(tensor, **kwargs)
        expected = tape.gradient(out, tensor).numpy()
        fn = functools.partial(activations.get(name), **kwargs) if kwargs else activations.get(name)
        np.testing.assert_allclose(activations.gradient(fn)(x, fn(x), np.ones_like(x)), expected, rtol=1e-6, atol=1e-7,
                                   err_msg=f"{name}{kwargs}")


def test_linear_returns_its_input_itself_as_keras():
    x = np.array([1.5, -2.0], dtype=np.float32)
    assert activations.linear(x) is x
    for value in (None, 5, True, "foo"):  # Keras 2.2.4's activations_test.test_linear
        assert activations.linear(value) is value
