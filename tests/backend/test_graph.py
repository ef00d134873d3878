"""K.placeholder / K.function / K.gradients (the tape replayed) and the other backend helpers."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers


def test_function_replays_the_ops_with_new_inputs():
    x = K.placeholder(shape=(None, 3))
    y = K.sum(K.square(x) * 2, axis=-1)
    f = K.function([x], [y])
    np.testing.assert_allclose(f([np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])])[0], [28.0, 2.0])
    np.testing.assert_allclose(f(np.ones((1, 3)))[0], [6.0])          # a single array is accepted too
    assert K.int_shape(x) == (None, 3)


def test_gradients_are_tensors_that_function_evaluates():
    x = K.placeholder(ndim=2)
    loss = K.mean(K.sigmoid(x))
    (g,) = K.gradients(loss, [x])
    normalised = g / (K.sqrt(K.mean(K.square(g))) + 1e-5)        # the Keras 2 "filter visualisation" idiom
    value = np.array([[0.0, 1.0], [-2.0, 3.0]], dtype="float32")
    grad, norm = K.function([x], [g, normalised])([value])
    s = 1 / (1 + np.exp(-value))
    np.testing.assert_allclose(grad, s * (1 - s) / 4, rtol=1e-6)
    np.testing.assert_allclose(norm, grad / (np.sqrt(np.mean(grad ** 2)) + 1e-5), rtol=1e-5)


def test_function_through_layers_reads_current_weights():
    dense = layers.Dense(2, kernel_initializer="ones", activation="relu")
    x = K.placeholder(shape=(None, 3))
    f = K.function([x], [dense(x)])
    np.testing.assert_allclose(f([np.ones((1, 3))])[0], [[3.0, 3.0]])
    dense.kernel[...] = 2.0                                         # replay uses the weights as they are now
    np.testing.assert_allclose(f([np.ones((1, 3))])[0], [[6.0, 6.0]])


def test_gradient_with_respect_to_a_weight():
    dense = layers.Dense(1, kernel_initializer="ones", use_bias=False)
    x = K.placeholder(shape=(None, 2))
    (g,) = K.gradients(K.sum(dense(x)), [x])
    np.testing.assert_allclose(K.function([x], [g])([np.zeros((4, 2))])[0], np.ones((4, 2)))


def test_errors_name_the_fix():
    with pytest.raises(ValueError, match="1D"):
        from minikeras import activations
        activations.softmax(K.placeholder(ndim=1))
    with pytest.raises(TypeError, match="K.placeholder"):
        K.gradients(np.ones(3), [np.ones(3)])
    with pytest.raises(ValueError, match="takes 1 input"):
        K.function([K.placeholder(ndim=1)], [])([np.ones(1), np.ones(1)])
    with pytest.raises(ValueError, match="updates"):
        K.function([], [], updates=[1])


def test_helpers():
    v = K.variable(np.array([1.0, 2.0]))
    assert K.eval(v).tolist() == [1.0, 2.0] and K.eval(np.array([3.0])).tolist() == [3.0]
    assert K.eval(K.zeros((2, 1))).tolist() == [[0.0], [0.0]] and K.eval(K.ones(2)).dtype == np.float32
    assert K.backend() == "numpy"
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("channels_first")
    try:
        assert K.image_data_format() == "channels_first"
    finally:
        K.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="channels_last"):
        K.set_image_data_format("nhwc")
    assert K.learning_phase() == 0
    K.set_learning_phase(1)
    try:
        assert K.learning_phase() == 1
    finally:
        K.set_learning_phase(0)


def test_registered_evaluator_answers_for_other_symbolic_tensors(monkeypatch):
    """How the functional API plugs its symbolic tensors into K.function (see graph.register_evaluator)."""
    from minikeras.backend import graph

    class Symbol:
        def __init__(self, fn):
            self.fn = fn

    def evaluator(inputs, outputs):
        if not all(isinstance(t, Symbol) for t in inputs + outputs):
            return NotImplemented
        return lambda values: [out.fn(*values) for out in outputs]

    monkeypatch.setattr(graph, "_EVALUATORS", [])
    inp, out = Symbol(None), Symbol(lambda x: x + 1)
    with pytest.raises(TypeError, match="K.placeholder"):
        K.function([inp], [out])([np.zeros(2)])
    K.register_evaluator(evaluator)
    assert K.function([inp], [out])([np.zeros(2)])[0].tolist() == [1.0, 1.0]


def test_gradients_with_respect_to_weights_and_variables():
    dense = layers.Dense(2, kernel_initializer="ones", use_bias=False)
    x = K.placeholder(shape=(None, 3))
    scale = K.variable(2.0)
    loss = K.sum(dense(x) * scale)
    g_kernel, g_scale = K.gradients(loss, [dense.kernel, scale])
    f = K.function([x], [g_kernel, g_scale])
    value = np.array([[1.0, 2.0, 3.0]], dtype="float32")
    gk, gs = f([value])
    np.testing.assert_allclose(gk, 2.0 * np.repeat(value.T, 2, axis=1))     # d/dW sum(x W s) = s x^T 1
    np.testing.assert_allclose(gs, 12.0)                                     # sum(x W) = 2 * 6
    K.set_value(scale, 3.0)
    np.testing.assert_allclose(f([value])[0], 3.0 * np.repeat(value.T, 2, axis=1))


def test_variable_arithmetic_still_gives_plain_values():
    lr = K.variable(0.5)
    assert isinstance(lr * 2, np.floating) and float(lr * 2) == 1.0 and float(1 - lr) == 0.5


def test_shape_questions_work_on_symbolic_keras_tensors():
    # Keras 2.2.4's mnist_denoising_autoencoder.py: shape = K.int_shape(x) between layers
    x = layers.Conv2D(4, 3, strides=2, padding="same")(layers.Input(shape=(28, 28, 1)))
    assert K.int_shape(x) == (None, 14, 14, 4)
    assert K.ndim(x) == 4
    assert K.int_shape(np.zeros((2, 3))) == (2, 3) and K.ndim([[1, 2]]) == 2
    with pytest.raises(TypeError, match="no TFOpLambda"):
        K.sum(x)                                           # values are still refused by name


def test_int_shape_of_a_list_of_keras_tensors_is_refused():
    with pytest.raises(TypeError, match="int_shape takes one tensor, got a list of 2"):
        K.int_shape([layers.Input(shape=(3,)), layers.Input(shape=(3,))])
