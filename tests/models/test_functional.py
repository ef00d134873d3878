"""The functional API without tf_keras: nodes, shared layers, the graph's order, errors, gradients, masks, configs.

(tests/conformance/test_functional_tf_keras.py compares the same features with tf_keras.)
"""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras.layers import Concatenate, Dense, Input, InputLayer, Layer, add, concatenate
from minikeras.layers.node import KerasTensor
from minikeras.models import Model, Sequential, model_from_json
from tests.gradcheck import numeric_grad


def test_input_and_layer_calls_record_nodes():
    a, b = Input((3,), name="a"), Input((3,), name="b")
    assert isinstance(a, KerasTensor) and a.shape == (None, 3) and "created by layer 'a'" in repr(a)
    d = Dense(2, name="d")
    ya, yb = d(a), d(b)
    assert yb.keras_history == (d, 1, 0) and d.inbound_nodes[1].inbound_layers == [b.keras_history[0]]
    assert d.get_input_at(1) is b and d.get_output_at(0) is ya and d.get_output_shape_at(1) == (None, 2)
    assert d.input is a and d.output is ya  # tf_keras: the first call's tensors
    assert d.input_shape == (None, 3) and d.output_shape == (None, 2)
    with pytest.raises(ValueError, match="Asked to get output at node 2, but the layer has only 2 inbound nodes"):
        d.get_output_at(2)
    with pytest.raises(AttributeError, match="has no inbound nodes"):
        Dense(2).output
    with pytest.raises(TypeError, match="minikeras has no TFOpLambda"):
        a * 2
    for k_function in (K.flatten, K.square, K.exp, lambda t: K.sum(t, axis=-1)):   # as the VAE examples write
        with pytest.raises(TypeError, match="minikeras has no TFOpLambda: arithmetic, a K function or a NumPy"):
            k_function(a)


def test_shape_of_a_layer_called_on_different_shapes_is_ill_defined():
    d = Dense(2)
    d(Input((4, 3)))
    d(Input((5, 3)))
    with pytest.raises(AttributeError, match='multiple inbound nodes, with different output shapes'):
        d.output_shape


def test_layers_order_names_and_get_layer_as_tf_keras():
    a, b = Input((3,), name="a"), Input((4,), name="b")
    h = Dense(5, name="dense")(concatenate([a, b], name="concatenate"))
    model = Model([a, b], [Dense(1, name="dense_1")(h), Dense(2, name="dense_2")(h)])
    assert [layer.name for layer in model.layers] == ["a", "b", "concatenate", "dense", "dense_1", "dense_2"]
    assert model.input_names == ["a", "b"] and model.output_names == ["dense_1", "dense_2"]
    assert model.get_layer(index=2).name == "concatenate" and model.get_layer("dense").units == 5
    with pytest.raises(ValueError, match=r"No such layer: zzz. Existing layers are: \['a', 'b'"):
        model.get_layer("zzz")
    assert [type(layer) for layer in model.layers[:2]] == [InputLayer, InputLayer]


def test_graph_errors():
    a, b = Input((3,), name="a"), Input((3,), name="b")
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, add([a, b]))
    with pytest.raises(ValueError, match='The name "d" is used 2 times in the model'):
        Model(a, Dense(2, name="d")(Dense(3, name="d")(a)))
    with pytest.raises(TypeError, match="minikeras has no subclassed models"):
        Model()


def test_a_subclassed_model_is_refused_by_name_and_a_functional_subclass_works():
    class SimpleMLP(Model):           # Keras's guide: layers in __init__, the graph in call()
        def __init__(self):
            super().__init__(name="mlp")
            self.dense = Dense(4)

        def call(self, inputs):
            return self.dense(inputs)

    with pytest.raises(TypeError, match=r"minikeras has no subclassed models: SimpleMLP subclasses Model.*"
                                        r"functional API"):
        SimpleMLP()

    class Functional(Model):          # the graph first, then Model.__init__(inputs, outputs)
        def __init__(self):
            x = Input((3,))
            super().__init__(x, Dense(2)(x))

    model = Functional()
    assert model.predict(np.ones((5, 3), dtype="float32"), verbose=0).shape == (5, 2)


def _two_output_model():
    """A shared Dense on two inputs, a merge, and two outputs (float64 for finite differences)."""
    K.set_floatx("float64")
    try:
        a, b = Input((3,), name="a"), Input((3,), name="b")
        shared = Dense(4, activation="tanh", name="shared")
        h = concatenate([shared(a), shared(b)], name="concat")
        o1 = Dense(2, activation="sigmoid", name="o1")(h)
        o2 = Dense(1, name="o2")(add([shared(b), Dense(4, name="skip")(a)], name="plus"))
        return Model([a, b], [o1, o2])
    finally:
        K.set_floatx("float32")


def test_whole_graph_gradients_match_finite_differences():
    model = _two_output_model()
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(5, 3)), rng.normal(size=(5, 3))]
    g1, g2 = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))

    def objective():
        o1, o2 = model(xs)
        return float(np.sum(o1 * g1) + np.sum(o2 * g2))
    objective()
    d_inputs = model.backward([g1, g2])
    assert len(model.grads) == len(model.trainable_weights) == 8
    for grad, weight in zip(model.grads, model.trainable_weights):
        np.testing.assert_allclose(grad, numeric_grad(objective, weight), rtol=1e-6, atol=1e-8)
    for grad, x in zip(d_inputs, xs):
        np.testing.assert_allclose(grad, numeric_grad(objective, x), rtol=1e-6, atol=1e-8)


def test_feature_extractor_of_a_trained_model():
    K.set_seed(0)
    model = Sequential([Dense(4, input_dim=3, activation="relu", name="d0"), Dense(2, name="d1")])
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(x, np.ones((8, 2)), epochs=2, verbose=0)
    extractor = Model(inputs=model.input, outputs=model.get_layer("d0").output)
    kernel, bias = model.get_layer("d0").get_weights()
    np.testing.assert_allclose(extractor.predict(x), np.maximum(x @ kernel + bias, 0), rtol=1e-6)


def test_dict_inputs_and_outputs_train_and_predict():
    a, b = Input((2,), name="a"), Input((3,), name="b")
    h = concatenate([a, b])
    model = Model({"a": a, "b": b}, {"reg": Dense(1, name="r")(h), "cls": Dense(3, activation="softmax")(h)})
    assert model.output_names == ["cls", "reg"]  # dicts are flattened in sorted key order, as tf.nest does
    model.compile("adam", {"reg": "mse", "cls": "sparse_categorical_crossentropy"}, metrics={"cls": "accuracy"})
    rng = np.random.default_rng(0)
    x = {"a": rng.normal(size=(12, 2)), "b": rng.normal(size=(12, 3))}
    y = {"reg": rng.normal(size=(12, 1)), "cls": rng.integers(0, 3, 12)}
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, validation_split=0.25)
    assert list(history.history) == ["loss", "cls_loss", "reg_loss", "cls_accuracy",
                                     "val_loss", "val_cls_loss", "val_reg_loss", "val_cls_accuracy"]
    cls, reg = model.predict(x)
    assert cls.shape == (12, 3) and reg.shape == (12, 1)
    with pytest.raises(ValueError, match=r"model's input names are \['a', 'b'\]"):
        model.predict({"a": x["a"]})
    with pytest.raises(ValueError, match="class_weight` is only supported for Models with a single output"):
        model.fit(x, y, class_weight={0: 1.0}, verbose=0)


class _Masking(Layer):
    """Marks samples whose features are all zero (a test stand-in for Keras's Masking)."""

    def compute_mask(self, inputs, mask=None):
        return np.any(inputs != 0, axis=-1)


class _MaskedSum(Layer):
    """Sums the features of unmasked samples only; records the mask it received."""

    def call(self, inputs, training=False, mask=None):
        self.seen = mask
        keep = np.ones(len(inputs), bool) if mask is None else mask
        return (inputs * keep[:, None]).sum(axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (1,)


def test_masks_flow_to_layers_whose_call_takes_mask():
    x = Input((2,))
    summed = _MaskedSum()
    model = Model(x, summed(_Masking()(x)))
    out = model.predict(np.array([[1, 2], [0, 0], [3, 4]], dtype="float32"))
    np.testing.assert_array_equal(summed.seen, [True, False, True])
    np.testing.assert_array_equal(out[:, 0], [3, 0, 7])


def test_config_json_round_trip_rebuilds_the_same_graph():
    model = _two_output_model()
    again = model_from_json(model.to_json())
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]
    assert again.get_config() == model.get_config()
    again.set_weights(model.get_weights())
    xs = [np.ones((2, 3)), np.zeros((2, 3))]
    for p, q in zip(again.predict(xs), model.predict(xs)):
        np.testing.assert_allclose(p, q, rtol=1e-6)
    entries = {entry["name"]: entry for entry in model.get_config()["layers"]}
    assert entries["concat"]["inbound_nodes"] == [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]
    assert entries["shared"]["inbound_nodes"] == [[["a", 0, 0, {}]], [["b", 0, 0, {}]], [["b", 0, 0, {}]]]


def test_sequential_from_config_comes_back_built():
    model = Sequential([Dense(3, input_dim=2), Dense(1)])
    again = Sequential.from_config(model.get_config())
    assert again.built and [w.shape for w in again.weights] == [w.shape for w in model.weights]


def test_sequential_grows_its_graph_and_nests():
    inner = Sequential([Dense(3, input_dim=2, name="i1")], name="inner")
    model = Sequential([inner, Dense(1, name="head")])
    assert model.built and [layer.name for layer in model.layers] == ["inner", "head"]
    model.add(Dense(2, name="more"))
    assert model.output_shape == (None, 2)
    model.pop()
    assert model.output_shape == (None, 1) and model.predict(np.ones((4, 2))).shape == (4, 1)
    with pytest.raises(ValueError, match="can only be the first element"):
        model.add(Input((2,)))
    assert isinstance(Concatenate()([np.ones((1, 2)), np.ones((1, 1))]), np.ndarray)


def test_targets_fill_a_variable_length_axis_of_the_output():
    from minikeras.layers import TimeDistributed
    inputs = Input(shape=(None, 3))                               # any number of time steps, as in lstm_seq2seq.py
    model = Model(inputs, TimeDistributed(Dense(4, activation="softmax"))(inputs))
    model.compile("sgd", "categorical_crossentropy")
    x = np.random.default_rng(0).random((6, 5, 3)).astype("float32")
    y = np.eye(4, dtype="float32")[np.arange(30).reshape(6, 5) % 4]
    history = model.fit(x, y, epochs=2, batch_size=3, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    for bad in (y[..., :3], y[:, 0]):                              # a wrong class axis, a missing time axis
        with pytest.raises(ValueError, match="must agree after the samples axis"):
            model.fit(x, bad, verbose=0)
