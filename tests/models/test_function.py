"""``K.function`` on a model's tensors (Keras's FAQ recipe), checked against the model's own
feature-extractor ``Model(model.inputs, layer.output)``; tests/conformance/test_kfunction_tf_keras.py
compares it with tf_keras."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras.layers import Dense, Dropout, Input, concatenate
from minikeras.models import Model, Sequential
from tests.gradcheck import numeric_grad

X = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")


def sequential():
    K.set_seed(1)
    return Sequential([Dense(4, input_shape=(3,), activation="relu"), Dropout(0.5), Dense(3, activation="tanh"),
                       Dense(2), Dense(1)])


def test_faq_recipe_on_a_sequential_model():
    model = sequential()
    get_3rd_layer_output = K.function([model.layers[0].input], [model.layers[3].output])
    layer_output = get_3rd_layer_output([X])[0]
    expected = Model(model.inputs, model.layers[3].output).predict(X, verbose=0)
    assert layer_output.shape == (5, 2)
    np.testing.assert_allclose(layer_output, expected, rtol=1e-6)
    np.testing.assert_allclose(K.function([model.input], [model.output])([X])[0], model.predict(X, verbose=0),
                               rtol=1e-6)


def test_faq_recipe_on_a_functional_model_with_two_inputs_and_outputs():
    a, b = Input((3,), name="fa"), Input((3,), name="fb")
    h = Dense(4, activation="relu", name="fh")(concatenate([a, b], name="fcat"))
    model = Model([a, b], [Dense(1, name="fo1")(h), Dense(2, name="fo2")(h)])
    f = K.function(model.inputs, [model.get_layer("fh").output, model.outputs[1]])
    hidden, second = f([X, 2 * X])
    np.testing.assert_allclose(hidden, Model(model.inputs, h).predict([X, 2 * X], verbose=0), rtol=1e-6)
    np.testing.assert_allclose(second, model.predict([X, 2 * X], verbose=0)[1], rtol=1e-6)
    single = K.function(model.inputs, model.outputs[0])([X, 2 * X])   # one tensor in, one array out
    np.testing.assert_allclose(single, model.predict([X, 2 * X], verbose=0)[0], rtol=1e-6)


def test_learning_phase_in_the_inputs_switches_dropout():
    model = sequential()
    f = K.function([model.input, K.learning_phase()], [model.layers[1].output])
    before = K.function([model.input], [model.layers[0].output])([X])[0]
    np.testing.assert_allclose(f([X, 0])[0], before, rtol=1e-6)              # inference: Dropout passes through
    trained = f([X, 1])[0]
    kept = trained != 0
    np.testing.assert_allclose(trained[kept], 2 * before[kept], rtol=1e-6)   # kept units scaled by 1 / (1 - 0.5)
    assert (trained[before != 0] == 0).any()                                 # and some dropped


def test_errors_name_the_fix():
    model = sequential()
    with pytest.raises(ValueError, match="must come from `Input`"):
        K.function([model.layers[2].input], [model.output])
    with pytest.raises(ValueError, match="learning phases"):
        K.function([model.input, 0, 0], [model.output])


def test_gradients_of_a_model_output_match_finite_differences():
    K.set_floatx("float64")
    try:
        K.set_seed(2)
        model = Sequential([Dense(4, input_shape=(3,), activation="tanh"), Dense(3, activation="sigmoid"), Dense(1)])
        x = X.astype("float64")
        kernel = model.layers[0].kernel
        hidden = model.layers[1].output
        g_x, g_kernel, g_hidden = K.gradients(model.output, [model.input, kernel, hidden])
        out, gx, gk, gh = K.function([model.input], [model.output, g_x, g_kernel, g_hidden])([x])
        np.testing.assert_allclose(out, model.predict_on_batch(x), rtol=1e-12)
        predict_sum = lambda: model.predict_on_batch(x).sum()   # noqa: E731 - numeric_grad moves x in place
        np.testing.assert_allclose(gx, numeric_grad(predict_sum, x), rtol=1e-6)
        np.testing.assert_allclose(gk, numeric_grad(predict_sum, kernel), rtol=1e-6)
        h = Model(model.inputs, hidden).predict_on_batch(x)
        tail = model.layers[2]    # the layer after `hidden`: d sum(out) / d hidden
        np.testing.assert_allclose(gh, numeric_grad(lambda: tail(h).sum(), h), rtol=1e-6)
    finally:
        K.set_floatx("float32")
