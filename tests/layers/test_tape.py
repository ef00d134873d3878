"""Layers without a hand-written backward train through the autodiff tape; the backward contract is enforced."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import initializers, layers, models, optimizers
from minikeras.layers import tape
from tests.gradcheck import numeric_grad


class Times3(layers.Layer):
    def call(self, x):
        return 3 * x


class Scale(layers.Layer):
    """A weight per feature (trainable), a non-trainable offset, an activation and an add_loss."""

    def __init__(self, penalty=0.0, **kwargs):
        super().__init__(**kwargs)
        self.penalty = penalty

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), initializer=initializers.RandomNormal(seed=1))
        self.offset = self.add_weight("offset", (input_shape[-1],), initializer="ones", trainable=False)

    def call(self, inputs, training=None):
        if self.penalty:
            self.add_loss(self.penalty * K.sum(K.square(self.w)))
        return K.tanh(inputs * self.w + self.offset)


def _model(middle, loss="mse"):
    K.set_seed(0)
    model = models.Sequential([layers.Dense(3, input_shape=(4,)), middle, layers.Dense(2)])
    model.compile(optimizers.SGD(0.1), loss)
    return model


def _data():
    rng = np.random.default_rng(1)
    return rng.normal(size=(5, 4)).astype("float32"), rng.normal(size=(5, 2)).astype("float32")


def _check_model_gradients(model, x, y):
    """Every trainable weight's gradient from one step equals finite differences of model loss (float64)."""
    for layer in model.layers:
        for w in layer.weights:
            w[...] = w.astype(np.float64).astype(w.dtype)
    before = [w.copy() for w in model.get_weights()]
    model.train_on_batch(x, y)
    lr = 0.1
    steps = [(b - a) / lr for a, b in zip(model.get_weights(), before)]   # = gradients
    model.set_weights(before)
    k = 0
    for layer in model.layers:
        for w in layer.weights:
            if any(w is t for t in layer.trainable_weights):
                w64 = w.astype(np.float64)
                def loss():
                    w[...] = w64
                    return model.test_on_batch(x, y)
                numeric = numeric_grad(loss, w64, eps=1e-3)
                w[...] = before[k]
                np.testing.assert_allclose(steps[k], numeric, rtol=2e-2, atol=2e-3)
            k += 1


def test_times3_backprops_three_times_the_gradient():
    x, y = _data()
    plain, tripled = _model(layers.Activation("linear")), _model(Times3())
    k0 = plain.layers[0].kernel.copy()
    tripled.set_weights(plain.get_weights())
    plain.layers[2].kernel[...] *= 3                   # same function: W2 (3h) = (3 W2) h
    plain.train_on_batch(x, y), tripled.train_on_batch(x, y)
    np.testing.assert_allclose(tripled.layers[0].kernel - k0, plain.layers[0].kernel - k0, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("penalty", [0.0, 0.5])
def test_custom_layer_weights_and_add_loss_match_finite_differences(penalty):
    x, y = _data()
    model = _model(Scale(penalty))
    _check_model_gradients(model, x, y)
    scale = model.layers[1]
    assert len(scale.trainable_weights) == 1 and len(scale.non_trainable_weights) == 1
    assert model.losses == pytest.approx([penalty * float(np.sum(scale.w ** 2))] if penalty else [])


def test_add_loss_is_part_of_the_reported_loss():
    x, y = _data()
    with_loss, without = _model(Scale(0.5)), _model(Scale(0.0))
    without.set_weights(with_loss.get_weights())
    penalty = 0.5 * float(np.sum(with_loss.layers[1].w ** 2))
    assert with_loss.test_on_batch(x, y) == pytest.approx(without.test_on_batch(x, y) + penalty, rel=1e-6)


@pytest.mark.parametrize("signature", ["plain", "training", "mask", "kwargs"])
def test_call_signatures_keras_accepts(signature):
    seen = {}

    class Probe(layers.Layer):
        if signature == "plain":
            def call(self, x):
                return x * 2
        elif signature == "training":
            def call(self, x, training=None):
                seen["training"] = training
                return x * 2
        elif signature == "mask":
            def call(self, x, mask=None):
                seen["mask"] = mask
                return x * 2
        else:
            def call(self, x, **kwargs):
                seen.update(kwargs)
                return x * 2

    out = Probe()(np.ones((2, 3), "float32"), training=True)
    np.testing.assert_array_equal(out, 2 * np.ones((2, 3)))
    expected = {"plain": {}, "training": {"training": True}, "mask": {"mask": None},
                "kwargs": {"training": True, "mask": None}}[signature]
    assert seen == expected


def test_subclass_of_dense_overriding_call_uses_the_tape():
    class DoubleDense(layers.Dense):
        def call(self, inputs, training=False):
            return 2 * super().call(inputs)

    assert DoubleDense(2).uses_tape and not layers.Dense(2).uses_tape
    x, y = _data()
    _check_model_gradients(_model(DoubleDense(3)), x, y)


def test_random_draws_in_call_happen_once_per_batch():
    class Noise(layers.Layer):
        def call(self, x, training=None):
            return x * K.constant(K.rng().uniform(0.5, 1.5, x.shape))

    layer = Noise()
    x = np.ones((3, 2), "float32")
    out = layer(x, training=True)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), out)   # d(x * noise)/dx = the same noise


def test_unsupported_op_predicts_but_refuses_to_train():
    class Sorted(layers.Layer):
        def call(self, x):
            return np.sort(x, axis=-1)

    layer = Sorted()
    np.testing.assert_array_equal(layer(np.array([[2.0, 1.0]])), [[1.0, 2.0]])
    with pytest.raises(TypeError, match="numpy.sort"):
        layer.backward(np.ones((1, 2)))


class _Weighted(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")


def test_backward_setting_no_gradient_is_an_error():
    class Forgetful(_Weighted):
        def call(self, x):
            return x * self.w

        def backward(self, grad_output, input_grad=True):
            return grad_output * self.w

    layer = Forgetful()
    layer(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="set no gradients"):
        layer.backward(np.ones((2, 3)))


@pytest.mark.parametrize("grads, message", [([], "set 0 gradient"), ([np.zeros(2)], "has shape")])
def test_gradients_not_matching_the_weights_are_an_error(grads, message):
    class Wrong(_Weighted):
        def call(self, x):
            return x * self.w

        def backward(self, grad_output, input_grad=True):
            self.grads = grads
            return grad_output

    layer = Wrong()
    layer(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=message):
        layer.backward(np.ones((2, 3)))


def test_weight_regularizer_without_gradient_method_is_differentiated_by_the_tape():
    layer = layers.Dense(2, kernel_initializer="ones", kernel_regularizer=lambda w: 0.5 * K.sum(K.square(w)))
    layer(np.zeros((1, 3), "float32"))
    layer.backward(np.zeros((1, 2), "float32"))
    np.testing.assert_allclose(layer.grads[0], layer.kernel)   # d(0.5 sum w^2)/dw = w


def test_weights_read_through_the_weight_lists_are_differentiated():
    class ViaList(_Weighted):
        def call(self, x):
            return x * self.trainable_weights[0]

    layer = ViaList()
    x = np.array([[1.0, 2.0, 3.0]])
    layer(x)
    layer.backward(np.ones((1, 3)))
    np.testing.assert_allclose(layer.grads[0], [1.0, 2.0, 3.0])
    assert isinstance(layer.weights[0], np.ndarray)
