"""RNN(your_cell) (minikeras/layers/rnn_user_cells.py): Keras's custom cells, through time by the tape."""
import os

import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers
from minikeras.layers import RNN, Input
from minikeras.layers.rnn_user_cells import UserCellRNN
from minikeras.models import Model
from tests.gradcheck import check_layer_gradients


def minimal_rnn_cell(base):
    """Keras's recurrent-layer guide's MinimalRNNCell (with a tanh on the state), on a Layer class ``base``."""
    backend = K if base is layers.Layer else __import__("tf_keras").backend

    class MinimalRNNCell(base):
        def __init__(self, units, **kwargs):
            self.units = units
            self.state_size = units
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="uniform",
                                                    name="recurrent_kernel")
            self.built = True

        def call(self, inputs, states):
            output = backend.dot(inputs, self.kernel) + backend.dot(backend.tanh(states[0]), self.recurrent_kernel)
            return output, [output]
    return MinimalRNNCell


class Accumulator(layers.Layer):
    """Two states: the running sum and the step count; output = sum * w."""
    state_size = (2, 1)

    def build(self, input_shape):
        self.w = self.add_weight("w", (2,), initializer="ones")

    def call(self, inputs, states):
        total, count = states[0] + inputs, states[1] + 1.0
        return total * self.w, [total, count]


def test_rnn_of_a_cell_makes_a_user_cell_rnn_with_keras_s_shapes_and_names():
    cell_class = minimal_rnn_cell(layers.Layer)
    x = Input((None, 5))
    single = RNN(cell_class(8))
    stacked = RNN([cell_class(8), cell_class(4)], return_sequences=True, return_state=True)
    assert isinstance(single, UserCellRNN) and isinstance(single, RNN) and single.name.startswith("rnn")
    assert single(x).shape == (None, 8)
    outputs = stacked(x)
    assert [t.shape for t in outputs] == [(None, None, 4), (None, 8), (None, 4)]
    assert [w.shape for w in stacked.weights] == [(5, 8), (8, 8), (8, 4), (4, 4)]


def test_values_state_order_and_go_backwards():
    x = np.arange(12, dtype="float32").reshape(1, 3, 4)[:, :, :2]       # steps (0,1), (4,5), (8,9)
    out, total, count = RNN(Accumulator(), return_sequences=True, return_state=True)(x)
    np.testing.assert_array_equal(out[0], [[0, 1], [4, 6], [12, 15]])
    np.testing.assert_array_equal(total, [[12, 15]])
    np.testing.assert_array_equal(count, [[3]])
    backwards = RNN(Accumulator(), return_sequences=True, go_backwards=True)(x)
    np.testing.assert_array_equal(backwards[0], [[8, 9], [12, 14], [12, 15]])   # outputs in the order computed


def test_gradients_through_time_match_finite_differences():
    layer = RNN([minimal_rnn_cell(layers.Layer)(2), Accumulator()], return_sequences=True)
    x = np.random.default_rng(0).normal(size=(2, 4, 5))
    layer(x)
    check_layer_gradients(layer, x)
    assert len(layer.grads) == 3


def test_what_custom_cells_do_not_support_is_said_by_name():
    cell = Accumulator()
    with pytest.raises(ValueError, match="minikeras has no stateful=True"):
        RNN(cell, stateful=True)
    with pytest.raises(ValueError, match="minikeras has no masking for RNNs of your own cells"):
        RNN(cell)(np.ones((1, 2, 2)), mask=np.ones((1, 2), bool))
    with pytest.raises(ValueError, match="minikeras has no initial_state"):
        RNN(cell)(np.ones((1, 2, 2)), initial_state=[np.zeros((1, 2)), np.zeros((1, 1))])
    with pytest.raises(TypeError, match="RNN needs a cell: a Layer with a state_size"):
        RNN(layers.Dense(3))


@pytest.mark.tf_keras
def test_a_fit_matches_tf_keras_from_the_same_weights():
    tk = pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    K.set_floatx("float32")                                   # both sides in float32 (the fixture restores)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 6, 5)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    results = []
    for keras in (tk, None):
        lib = tk.layers if keras else layers
        cell = minimal_rnn_cell(lib.Layer)
        inputs = (keras or __import__("minikeras")).Input((None, 5))
        hidden = lib.RNN([cell(8), cell(4)], return_sequences=True)(inputs)
        model = (keras.Model if keras else Model)(inputs, lib.Dense(1)(lib.RNN(cell(3))(hidden)))
        weights = [np.random.default_rng(1 + i).uniform(-0.3, 0.3, w.shape).astype("float32")
                   for i, w in enumerate(model.get_weights())]
        model.set_weights(weights)
        sgd = (keras or __import__("minikeras")).optimizers.SGD(0.1)
        model.compile(sgd, "mse")
        losses = model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0).history["loss"]
        results.append((losses, model.predict(x, verbose=0), model.get_weights()))
    (tf_losses, tf_pred, tf_weights), (mk_losses, mk_pred, mk_weights) = results
    np.testing.assert_allclose(mk_losses, tf_losses, rtol=1e-5)
    np.testing.assert_allclose(mk_pred, tf_pred, rtol=1e-4, atol=1e-6)
    for mine, theirs in zip(mk_weights, tf_weights):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6)


class Scaled(layers.Layer):
    """A cell with a config: saved by name, rebuilt through custom_objects."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units, self.state_size = units, units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units))

    def call(self, inputs, states):
        out = K.tanh(K.dot(inputs, self.kernel) + states[0])
        return out, [out]

    def get_config(self):
        return dict(super().get_config(), units=self.units)


def test_a_model_with_a_cell_of_your_own_saves_and_loads_with_custom_objects(tmp_path):
    from minikeras.models import load_model
    x = Input((None, 3))
    model = Model(x, layers.TimeDistributed(layers.Dense(2))(RNN(Scaled(4), return_sequences=True)(x)))
    model.compile("sgd", "mse")
    model.save(tmp_path / "m.h5")
    assert model.get_config()["layers"][1]["class_name"] == "RNN"
    loaded = load_model(tmp_path / "m.h5", custom_objects={"Scaled": Scaled})
    data = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match="custom_objects"):
        load_model(tmp_path / "m.h5")


class Penalized(layers.Layer):
    """A cell whose kernel (ones) carries an l2(0.5) penalty."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units, self.state_size = units, units

    def build(self, input_shape):
        from minikeras.regularizers import l2
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units), initializer="ones", regularizer=l2(0.5))

    def call(self, inputs, states):
        out = K.dot(inputs, self.kernel) + states[0]
        return out, [out]

    def get_config(self):
        return dict(super().get_config(), units=self.units)


def test_a_cell_s_weight_penalty_is_in_the_loss_and_the_gradient():
    # tf_keras 2.21, same model: loss 0.5 * 8 = 4.0 on zero data, and the kernel becomes 1 - 0.1 * 1.0 = 0.9
    from minikeras.optimizers import SGD
    K.set_floatx("float32")
    x = Input((3, 4))
    model = Model(x, RNN(Penalized(2))(x))
    model.compile(SGD(0.1), "mse")
    assert model.losses == [4.0]
    history = model.fit(np.zeros((4, 3, 4), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    assert history.history["loss"] == [pytest.approx(4.0)]
    np.testing.assert_allclose(model.get_weights()[0], 0.9, rtol=1e-6)


def test_bidirectional_rnn_of_a_cell_of_your_own_and_its_rank_check():
    bi = layers.Bidirectional(RNN(Penalized(2)))
    assert bi(np.ones((2, 3, 4))).shape == (2, 4)
    assert isinstance(bi.backward_layer, UserCellRNN) and bi.backward_layer.go_backwards
    with pytest.raises(ValueError, match=r'layer "r".*expected ndim=3, found ndim=2'):
        RNN(Penalized(2), name="r")(np.ones((2, 3)))


@pytest.mark.tf_keras
def test_stacked_cells_files_open_in_tf_keras_and_the_other_way_round(tmp_path):
    tk = pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed")
    import minikeras
    K.set_floatx("float32")
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")

    def model(keras):
        inputs = keras.Input((4, 3))
        return keras.Model(inputs, keras.layers.RNN([keras.layers.LSTMCell(2), keras.layers.GRUCell(3)])(inputs))
    theirs, mine = model(tk), model(minikeras)
    theirs.save(tmp_path / "theirs.h5")
    mine.save(tmp_path / "mine.h5")
    loaded_theirs = minikeras.models.load_model(tmp_path / "theirs.h5")
    assert loaded_theirs.layers[1].get_config()["cell"]["class_name"] == "StackedRNNCells"
    assert loaded_theirs.weight_names[0].endswith("stacked_rnn_cells/lstm_cell/kernel:0")
    np.testing.assert_allclose(loaded_theirs.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    loaded_mine = tk.models.load_model(tmp_path / "mine.h5")
    np.testing.assert_allclose(loaded_mine.predict(x, verbose=0), mine.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
