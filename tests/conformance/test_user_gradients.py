"""Custom layers, custom losses, Lambda, constraints and activity regularizers: the same script on
minikeras and on tf_keras gives the same training to float32 precision (live; skipped without tf_keras).

Each scenario is written once, against a ``keras`` module argument, and run on both libraries
from the same initial weights, with ``shuffle=False``.
"""
import os

import numpy as np
import pytest

import minikeras
from tests.tolerance import assert_close

pytestmark = pytest.mark.tf_keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="module")
def tf_keras():
    return pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed")


def times3(keras):
    class Times3(keras.layers.Layer):
        def call(self, x):
            return 3 * x
    return [keras.layers.Dense(3, input_shape=(4,)), Times3(), keras.layers.Dense(1)], "mse"


def own_weights(keras):
    K = keras.backend

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
            self.b = self.add_weight(name="b", shape=(input_shape[-1],), initializer="zeros")
            self.offset = self.add_weight(name="offset", shape=(input_shape[-1],), initializer="ones",
                                          trainable=False)

        def call(self, inputs, training=None):
            return K.tanh(inputs * self.w + self.b) * self.offset
    return [keras.layers.Dense(3, input_shape=(4,)), Scale(), keras.layers.Dense(2)], "mse"


def add_loss(keras):
    K = keras.backend

    class Penalised(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1], 2), initializer="ones")

        def call(self, inputs):
            self.add_loss(0.05 * K.sum(K.square(self.w)))
            return K.dot(inputs, self.w)
    return [keras.layers.Dense(3, input_shape=(4,)), Penalised()], "mse"


def k_op_loss(keras):
    K = keras.backend

    def smooth_l1(y_true, y_pred):
        d = K.abs(y_pred - y_true)
        return K.mean(K.switch(d < 1.0, 0.5 * K.square(d), d - 0.5), axis=-1)
    return [keras.layers.Dense(3, input_shape=(4,), activation="relu"), keras.layers.Dense(2)], smooth_l1


def lambda_layer(keras):
    K = keras.backend
    return [keras.layers.Dense(3, input_shape=(4,)), keras.layers.Lambda(lambda t: K.square(t) * 0.5 + t),
            keras.layers.Dense(2)], "mse"


def max_norm(keras):
    return [keras.layers.Dense(3, input_shape=(4,), kernel_constraint=keras.constraints.max_norm(2.0)),
            keras.layers.Dense(2)], "mse"


def activity_l2(keras):
    return [keras.layers.Dense(3, input_shape=(4,), activity_regularizer=keras.regularizers.l2(0.01)),
            keras.layers.Dense(2, activation="sigmoid")], "binary_crossentropy"


SCENARIOS = [times3, own_weights, add_loss, k_op_loss, lambda_layer, max_norm, activity_l2]


def _run(keras, scenario, weights, lr):
    layers, loss = scenario(keras)
    model = keras.models.Sequential(layers)
    model.compile(keras.optimizers.SGD(lr), loss)
    if weights is not None:
        model.set_weights(weights)
    initial = [np.array(w) for w in model.get_weights()]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = rng.uniform(0.05, 0.95, size=(8, model.output_shape[-1])).astype("float32")
    if scenario is max_norm:
        y = y * 100                                   # large targets: the kernel grows into the cap
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    return initial, history.history["loss"], [np.array(w) for w in model.get_weights()]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_training_matches_tf_keras(tf_keras, scenario):
    lr = 0.02
    initial, tf_losses, tf_weights = _run(tf_keras, scenario, None, lr)
    _, losses, weights = _run(minikeras, scenario, initial, lr)
    np.testing.assert_allclose(losses, tf_losses, rtol=1e-5)
    for ours, theirs in zip(weights, tf_weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    if scenario is max_norm:
        norms = np.linalg.norm(weights[0], axis=0)
        assert np.all(norms <= 2.0 + 1e-5) and np.any(norms > 1.99)   # the constraint was active


def test_times3_first_step_is_tf_keras_update(tf_keras):
    """The issue's example: one SGD step on the first kernel, 3x the identity-layer step."""
    layers, _ = times3(tf_keras)
    tf_model = tf_keras.models.Sequential(layers)
    tf_model.compile(tf_keras.optimizers.SGD(0.1), "mse")
    ours = minikeras.models.Sequential(times3(minikeras)[0])
    ours.compile(minikeras.optimizers.SGD(0.1), "mse")
    ours.set_weights(tf_model.get_weights())
    k0 = np.array(tf_model.get_weights()[0])
    x, y = np.ones((2, 4), "float32"), np.zeros((2, 1), "float32")
    tf_model.train_on_batch(x, y), ours.train_on_batch(x, y)
    np.testing.assert_allclose(ours.get_weights()[0] - k0, tf_model.get_weights()[0] - k0, rtol=1e-5, atol=1e-7)


def test_k_function_intermediate_output(tf_keras):
    """``K.function`` of a layer's output from the input, values equal to tf_keras's."""
    tf_model = tf_keras.models.Sequential([tf_keras.layers.Dense(3, input_shape=(4,), activation="relu"),
                                           tf_keras.layers.Dense(2)])
    x = np.random.default_rng(2).normal(size=(5, 4)).astype("float32")
    expected = tf_keras.backend.function([tf_model.input], [tf_model.layers[0].output])([x])[0]
    K = minikeras.backend
    dense = minikeras.layers.Dense(3, activation="relu")
    inp = K.placeholder(shape=(None, 4))
    hidden = dense(inp)
    dense.set_weights(tf_model.layers[0].get_weights())
    assert_close(K.function([inp], [hidden])([x])[0], expected, what="K.function vs tf_keras")
