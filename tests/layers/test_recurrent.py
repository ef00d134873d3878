"""SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed: backprop through time by finite differences (float64)."""
import numpy as np
import pytest

from minikeras import backend, layers, regularizers
from minikeras.layers import (GRU, LSTM, RNN, Bidirectional, Dense, GRUCell, LSTMCell, SimpleRNN, TimeDistributed)
from tests.gradcheck import numeric_grad


@pytest.fixture(autouse=True)
def float64():
    backend.set_floatx("float64")
    backend.reset_uids()
    yield
    backend.set_floatx("float32")


def _as_list(y):
    return list(y) if isinstance(y, list) else [y]


def check_bptt(layer, x, mask=None, initial_state=None, training=False, seed=0):
    """Compares layer.backward with central differences of L = sum_k sum(out_k * r_k)."""
    kwargs = {"mask": mask, "training": training}
    if initial_state is not None:
        kwargs["initial_state"] = initial_state

    def forward():
        backend.set_seed(123)  # the same dropout masks on every evaluation
        return _as_list(layer.call(x, **kwargs))

    if not layer.built:
        layer.build_from_shape((None,) + x.shape[1:])
    outs = forward()
    gen = np.random.default_rng(seed)
    rs = [gen.normal(size=o.shape) for o in outs]

    def loss():
        return float(sum(np.sum(o * r) for o, r in zip(forward(), rs))) + layer.regularization_loss()

    forward()
    grad_in = rs if len(rs) > 1 else rs[0]
    dx = layer.backward(grad_in)
    if initial_state is not None:
        dx, *d_init = dx
        for s, d in zip(initial_state, d_init):
            np.testing.assert_allclose(d, numeric_grad(loss, s), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-5, atol=1e-8)
    assert len(layer.grads) == len(layer.trainable_weights) == 3 * (1 + isinstance(layer, Bidirectional))
    for w, g in zip(layer.trainable_weights, layer.grads):
        np.testing.assert_allclose(g, numeric_grad(loss, w), rtol=1e-5, atol=1e-8)


def _x(shape=(3, 5, 4), seed=1):
    return np.random.default_rng(seed).normal(size=shape)


def _mask():
    # sample 0 full, sample 1 masked in the middle and at the end, sample 2 leading masked steps
    return np.array([[1, 1, 1, 1, 1], [1, 0, 1, 1, 0], [0, 0, 1, 0, 1]], dtype=bool)


def _bias_random(layer, seed=5):
    """Non-zero biases so that every bias path is exercised."""
    for w in layer.weights:
        if w.ndim == 1 or (w.ndim == 2 and w.shape[0] == 2):
            w[...] = np.random.default_rng(seed).normal(size=w.shape) * 0.3


LAYERS = {
    "simple_rnn": lambda **kw: SimpleRNN(3, **kw),
    "lstm": lambda **kw: LSTM(3, **kw),
    "gru": lambda **kw: GRU(3, **kw),
    "gru_reset_before": lambda **kw: GRU(3, reset_after=False, **kw),
    "lstm_hard_sigmoid": lambda **kw: LSTM(3, recurrent_activation="hard_sigmoid", **kw),
}


@pytest.mark.parametrize("kind", sorted(LAYERS))
@pytest.mark.parametrize("flags", [{}, {"return_sequences": True}, {"go_backwards": True, "return_sequences": True},
                                   {"return_state": True}])
def test_bptt_matches_finite_differences(kind, flags):
    layer = LAYERS[kind](**flags)
    layer.build_from_shape((None, 5, 4))
    _bias_random(layer)
    check_bptt(layer, _x())


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_bptt_with_mask_and_go_backwards(kind):
    for flags in ({"return_sequences": True}, {"go_backwards": True, "return_state": True}):
        layer = LAYERS[kind](**flags)
        layer.build_from_shape((None, 5, 4))
        _bias_random(layer)
        check_bptt(layer, _x(), mask=_mask())


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru", "gru_reset_before"])
def test_bptt_with_dropout_initial_state_and_regularizers(kind):
    layer = LAYERS[kind](dropout=0.3, recurrent_dropout=0.4, return_sequences=True,
                         kernel_regularizer=regularizers.l2(0.1), recurrent_regularizer=regularizers.l1(0.01))
    layer.build_from_shape((None, 5, 4))
    _bias_random(layer)
    init = [np.random.default_rng(9 + i).normal(size=(3, 3)) for i in range(len(layer.cell.state_size))]
    check_bptt(layer, _x(), initial_state=init, training=True, mask=_mask())


def test_bptt_without_bias():
    layer = LSTM(3, use_bias=False, return_sequences=True)
    layer.build_from_shape((None, 5, 4))
    out = layer(_x())
    r = np.random.default_rng(2).normal(size=out.shape)
    layer.backward(r)
    assert len(layer.grads) == 2
    np.testing.assert_allclose(layer.grads[1], numeric_grad(lambda: float(np.sum(layer.call(_x()) * r)),
                                                             layer.weights[1]), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_bidirectional_gradients(merge_mode):
    layer = Bidirectional(GRU(3, return_sequences=True), merge_mode=merge_mode)
    layer.build_from_shape((None, 5, 4))
    _bias_random(layer)
    check_bptt(layer, _x(), mask=_mask())


def test_bidirectional_none_merge_and_return_state_gradients():
    for inner, mode in ((LSTM(3, return_state=True), "concat"), (SimpleRNN(3, return_sequences=True), None)):
        layer = Bidirectional(inner, merge_mode=mode)
        layer.build_from_shape((None, 5, 4))
        _bias_random(layer)
        check_bptt(layer, _x())


def test_time_distributed_gradients():
    layer = TimeDistributed(Dense(2, activation="tanh", kernel_regularizer=regularizers.l2(0.05)))
    layer.build_from_shape((None, 5, 4))
    x = _x()
    out = layer(x)
    r = np.random.default_rng(4).normal(size=out.shape)

    def loss():
        return float(np.sum(layer.call(x) * r)) + layer.regularization_loss()

    dx = layer.backward(r)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-5, atol=1e-8)
    for w, g in zip(layer.trainable_weights, layer.grads):
        np.testing.assert_allclose(g, numeric_grad(loss, w), rtol=1e-5, atol=1e-8)


# ---------------------------------------------------------------------- masks, flags, states: values


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru"])
def test_masked_steps_equal_running_without_them(kind):
    x, mask = _x(), _mask()
    layer = LAYERS[kind](return_sequences=True, return_state=True)
    layer.build_from_shape((None, 5, 4))
    seq, *states = layer.call(x, mask=mask)
    for b in range(3):
        kept = x[b:b + 1, mask[b]]
        ref_seq, *ref_states = layer(kept)
        np.testing.assert_allclose(states[0][b], ref_states[0][0], rtol=1e-12)
        np.testing.assert_allclose(seq[b, mask[b]], ref_seq[0], rtol=1e-12)
    # masked steps repeat the previous output; leading masked steps output zeros
    np.testing.assert_array_equal(seq[1, 1], seq[1, 0])
    np.testing.assert_array_equal(seq[2, :2], 0.0)
    np.testing.assert_array_equal(seq[2, 3], seq[2, 2])


def test_go_backwards_is_the_reversed_sequence_in_processing_order():
    x = _x()
    forward = LSTM(3, return_sequences=True)
    backward = LSTM(3, return_sequences=True, go_backwards=True)
    forward.build_from_shape((None, 5, 4))
    backward.build_from_shape((None, 5, 4))
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(x), forward(x[:, ::-1]), rtol=1e-12)


def test_stateful_carries_states_until_reset():
    x = _x((2, 4, 3))
    layer = GRU(3, stateful=True, batch_input_shape=(2, 4, 3))
    layer.build_from_shape((2, 4, 3))
    whole = GRU(3)
    whole.build_from_shape((None, 8, 3))
    whole.set_weights(layer.get_weights())
    layer(x)
    second = layer(x[:, ::-1])
    np.testing.assert_allclose(second, whole(np.concatenate([x, x[:, ::-1]], axis=1)), rtol=1e-12)
    layer.reset_states()
    np.testing.assert_allclose(layer(x), whole(x), rtol=1e-12)
    with pytest.raises(ValueError, match="stateful.*batch size"):
        LSTM(2, stateful=True).build_from_shape((None, 4, 3))


def test_rnn_of_a_cell_equals_the_layer():
    x = _x()
    for cell, layer in ((LSTMCell(3), LSTM(3)), (GRUCell(3, reset_after=False), GRU(3, reset_after=False))):
        rnn = RNN(cell, return_sequences=True)
        rnn.build_from_shape((None, 5, 4))
        layer.build_from_shape((None, 5, 4))
        layer.set_weights(rnn.get_weights())
        np.testing.assert_allclose(rnn(x)[:, -1], layer(x), rtol=1e-12)
        clone = RNN.from_config(rnn.get_config())
        assert type(clone.cell) is type(cell) and clone.cell.units == 3


def test_lstm_forget_bias_and_orthogonal_recurrent_kernel():
    layer = LSTM(4)
    layer.build_from_shape((None, 3, 2))
    np.testing.assert_array_equal(layer.weights[2], [0] * 4 + [1] * 4 + [0] * 8)
    u = layer.weights[1]                                               # (4, 16), orthonormal rows
    np.testing.assert_allclose(u @ u.T, np.eye(4), atol=1e-12)


def test_dropout_masks_are_fixed_across_time():
    layer = SimpleRNN(3, dropout=0.5, kernel_initializer="ones", recurrent_initializer="zeros",
                      activation="linear", return_sequences=True)
    x = np.ones((4, 6, 8))
    backend.set_seed(0)
    y = layer(x, training=True)
    np.testing.assert_allclose(y, np.repeat(y[:, :1], 6, axis=1))      # same inputs dropped at every step
    assert len(np.unique(np.round(y[:, 0, 0], 9))) > 1                 # but different per sample
    np.testing.assert_array_equal(layer(x), 8.0)                       # inference: no dropout


def test_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="units"):
        LSTM(0)
    with pytest.raises(ValueError, match="recurrent_dropout"):
        GRU(2, recurrent_dropout=1.5)
    with pytest.raises(ValueError, match="time_major"):
        SimpleRNN(2, time_major=True)
    with pytest.raises(ValueError, match="minikeras has no kernel_constraint"):
        LSTM(2, kernel_constraint="max_norm")
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(2), merge_mode="max")


def test_configs_and_h5_round_trip(tmp_path):
    from minikeras.layers import Embedding
    from minikeras.models import Sequential, load_model
    backend.set_floatx("float32")
    model = Sequential([Embedding(12, 4, mask_zero=True, input_length=6),
                        Bidirectional(LSTM(3, return_sequences=True), merge_mode="ave"),
                        GRU(3, reset_after=False, go_backwards=True, return_sequences=True),
                        TimeDistributed(Dense(2)), SimpleRNN(2, dropout=0.1), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).integers(0, 12, size=(5, 6)).astype("float32")
    model.save(tmp_path / "m.h5")
    again = load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(again.predict(x), model.predict(x), rtol=1e-6)
    assert [layer.get_config() for layer in again.layers] == [layer.get_config() for layer in model.layers]
    assert again.layers[1].weight_names[0] == "bidirectional/forward_lstm/lstm_cell/kernel:0"
    assert again.layers[3].weight_names == ["time_distributed/kernel:0", "time_distributed/bias:0"]


def test_recurrent_dropout_draws_one_mask_per_gate_as_tf_keras():
    """tf_keras forces implementation=1 with recurrent_dropout: gate k reads x*dp[k] and h*rdp[k]."""
    layer = LSTM(3, dropout=0.3, recurrent_dropout=0.5, return_sequences=True)
    layer.build_from_shape((None, 5, 4))
    _bias_random(layer)
    x = _x()
    backend.set_seed(7)
    y = layer(x, training=True)
    backend.set_seed(7)
    dp, rdp = layer.cell.dropout_masks(True, 3, 4, "float64")         # the same draws as the call
    assert dp.shape == (4, 3, 4) and rdp.shape == (4, 3, 3)
    assert not any(np.array_equal(rdp[0], rdp[k]) for k in (1, 2, 3))
    (w, u, b), n = layer.get_weights(), 3
    h = c = np.zeros((3, n))
    for t in range(5):                                                 # tf_keras's LSTMCell, implementation=1
        pre = [(x[:, t] * dp[k]) @ w[:, k * n:(k + 1) * n] + b[k * n:(k + 1) * n]
               + (h * rdp[k]) @ u[:, k * n:(k + 1) * n] for k in range(4)]
        i, f, o = (1 / (1 + np.exp(-pre[k])) for k in (0, 1, 3))
        c = f * c + i * np.tanh(pre[2])
        h = o * np.tanh(c)
        np.testing.assert_allclose(y[:, t], h, rtol=1e-10)
    gru, rnn = GRU(3, dropout=0.2, recurrent_dropout=0.2).cell, LSTM(3, dropout=0.5).cell
    assert [m.shape for m in gru.dropout_masks(True, 2, 4, "float64")] == [(3, 2, 4), (3, 2, 3)]
    dp_alone, no_rdp = rnn.dropout_masks(True, 2, 4, "float64")        # dropout alone: implementation=2,
    assert dp_alone.shape == (1, 2, 4) and no_rdp is None              # one input mask for all gates


# ------------------------------------------------------------------ initial_state as Keras tensors, refused cases
def test_symbolic_initial_state_with_array_inputs_is_refused_by_name():
    h = layers.Input(shape=(4,))
    with pytest.raises(TypeError, match="initial_state holds Keras tensors"):
        layers.LSTM(4)(np.zeros((2, 3, 5), "float32"), initial_state=[h, h])


@pytest.mark.parametrize("widths", [[4], [4, 7], [4, 4, 4]], ids=["one state", "wrong width", "three states"])
def test_symbolic_initial_state_must_match_the_cell_states_when_the_model_is_built(widths):
    x = layers.Input(shape=(None, 5))
    states = [layers.Input(shape=(w,)) for w in widths]
    with pytest.raises(ValueError, match=r"states of widths \[4, 4\], but initial_state has"):
        layers.LSTM(4)(x, initial_state=states)


def test_constants_and_a_bidirectional_initial_state_are_refused_by_name():
    x, h = layers.Input(shape=(None, 5)), layers.Input(shape=(4,))
    with pytest.raises(ValueError, match="minikeras has no constants"):
        layers.LSTM(4)(x, constants=h)
    with pytest.raises(ValueError, match="minikeras has no initial_state for Bidirectional"):
        layers.Bidirectional(layers.LSTM(4))(x, initial_state=[h, h, h, h])



def test_bidirectional_of_a_layer_that_is_not_recurrent_is_refused_by_name():
    with pytest.raises(ValueError, match="Bidirectional wraps a recurrent layer.*its layer is Dense.*TimeDistributed"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(ValueError, match="its backward_layer is Dense"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.Dense(3))


@pytest.mark.parametrize("laid_out", [False, True], ids=["column-blocks", "laid-out-per-gate"])
def test_per_gate_products_written_in_place_equal_the_plain_products(laid_out):
    # recurrent dropout's four (B, u) x (u, u) products, at the imdb_lstm size where they are split
    # into column blocks (step_product), or laid out per gate once per batch (lay_out_gates), and
    # written into one (B, 4u) array
    from minikeras.layers.rnn_ops import (StepOuterProducts, lay_out_gates, masked_product, masked_product_backward,
                                          side_by_side, transposed)
    gen = np.random.default_rng(0)
    h, kernel = gen.normal(size=(32, 128)).astype("float32"), gen.normal(size=(128, 512)).astype("float32")
    masks = (gen.random((4, 32, 128)) > 0.2).astype("float32") / np.float32(0.8)
    gate_kernels = lay_out_gates(side_by_side(kernel, 4), 32) if laid_out else None
    gate_kernels_t = lay_out_gates(transposed(kernel).reshape(4, 128, 128), 32) if laid_out else None
    if laid_out:
        assert gate_kernels.shape == gate_kernels_t.shape == (4, 2, 128, 64)  # 32x128x64: one BLAS thread each
    hm, product = masked_product(h, masks, kernel, gate_kernels)
    expected = np.concatenate([(h * masks[k]) @ kernel[:, 128 * k:128 * (k + 1)] for k in range(4)], axis=1)
    np.testing.assert_allclose(product, expected, rtol=1e-5, atol=1e-4)
    d = gen.normal(size=(32, 512)).astype("float32")
    outer = StepOuterProducts()
    dh = masked_product_backward(hm, masks, transposed(kernel), d, outer, gate_kernels_t=gate_kernels_t)
    expected_dh = sum((d[:, 128 * k:128 * (k + 1)] @ kernel[:, 128 * k:128 * (k + 1)].T) * masks[k] for k in range(4))
    np.testing.assert_allclose(dh, expected_dh, rtol=1e-5, atol=1e-4)
    d_kernel = np.zeros_like(kernel)
    outer.add_to(d_kernel)
    expected_dk = np.concatenate([hm[k].T @ d[:, 128 * k:128 * (k + 1)] for k in range(4)], axis=1)
    np.testing.assert_allclose(d_kernel, expected_dk, rtol=1e-5, atol=1e-4)
    _, shared = masked_product(h, None, kernel, gate_kernels)         # no dropout: all gates read h
    np.testing.assert_allclose(shared, h @ kernel, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("units, rows, parts", [(128, 32, 2), (127, 32, 1), (128, 4096, 1), (6, 2, 1)])
def test_gates_are_split_only_into_parts_wide_enough_for_blas(units, rows, parts):
    # imdb_lstm's 32x128 @ 128x128 products split in 2 column parts of 64 (one BLAS thread each);
    # a prime width, a large product, or a small one stay whole
    from minikeras.layers.rnn_ops import lay_out_gates
    matrices = np.arange(4 * units * units, dtype="float32").reshape(4, units, units)
    laid_out = lay_out_gates(matrices, rows)
    assert laid_out.shape == (4, parts, units, units // parts)
    np.testing.assert_array_equal(laid_out.transpose(0, 2, 1, 3).reshape(matrices.shape), matrices)


@pytest.mark.parametrize("make", [lambda: LSTM(4, dropout=0.2, recurrent_dropout=0.3, return_sequences=True),
                                  lambda: GRU(4, dropout=0.2, recurrent_dropout=0.3, return_sequences=True),
                                  lambda: GRU(4, reset_after=False, recurrent_dropout=0.3, return_sequences=True),
                                  lambda: LSTM(4, return_sequences=True)],
                         ids=["LSTM", "GRU", "GRU-reset-before", "LSTM-no-dropout"])
def test_a_layer_with_its_gates_split_in_parts_computes_the_same(make, monkeypatch):
    # each gate's 4 columns in 2 parts of 2 (as imdb_lstm's 128 in 2 of 64): a part put in the wrong
    # columns would change the outputs or the gradients
    from minikeras.layers import rnn_ops
    gen = np.random.default_rng(3)
    x, g = gen.normal(size=(3, 5, 2)).astype("float32"), gen.normal(size=(3, 5, 4)).astype("float32")
    results = []
    for one_thread_size in (rnn_ops.ONE_THREAD_SIZE, 24):               # whole, then 2 parts per gate
        monkeypatch.setattr(rnn_ops, "ONE_THREAD_SIZE", one_thread_size)
        backend.set_seed(7)
        layer = make()
        layer.build_from_shape((None, 5, 2))
        assert layer.cell.start_forward(3).shape[1] == (1 if one_thread_size > 24 else 2)
        y = layer.call(x, training=True)
        results.append([y, layer.backward(g)] + list(layer.grads))
    for whole, split in zip(*results):
        np.testing.assert_allclose(split, whole, rtol=1e-6, atol=1e-7)


def test_penalties_of_layers_inside_rnns_and_wrappers_count_in_the_loss():
    # tf_keras 2.21 on the same model: losses [4.0, 1.0, 0.2, 0.2], evaluate() on zero data 5.4
    from minikeras import backend, regularizers
    from minikeras.models import Model
    backend.set_floatx("float32")
    x = layers.Input((3, 4))
    h = TimeDistributed(Dense(2, kernel_initializer="ones", kernel_regularizer=regularizers.l2(0.5)))(x)
    y = SimpleRNN(2, kernel_initializer="ones", kernel_regularizer=regularizers.l2(0.25))(h)
    z = Bidirectional(SimpleRNN(1, kernel_initializer="ones", kernel_regularizer=regularizers.l2(0.1)))(h)
    model = Model(x, [y, z])
    model.compile("sgd", "mse")
    np.testing.assert_allclose(model.losses, [4.0, 1.0, 0.2, 0.2], rtol=1e-6)
    loss = model.evaluate(np.zeros((2, 3, 4)), [np.zeros((2, 2)), np.zeros((2, 2))], verbose=0)[0]
    assert loss == pytest.approx(5.4, rel=1e-6)


def test_freezing_the_layer_inside_an_rnn_or_a_wrapper_freezes_its_weights():
    # tf_keras 2.21: trainable weights 0, 0, 3 and 3 in the model; fit moves only the backward RNN
    from minikeras.models import Model
    x = layers.Input((3, 4))
    rnn, td, bi = SimpleRNN(2, return_sequences=True), TimeDistributed(Dense(2)), Bidirectional(SimpleRNN(1))
    model = Model(x, bi(td(rnn(x))))
    rnn.cell.trainable, td.layer.trainable, bi.forward_layer.trainable = False, False, False
    assert [len(layer.trainable_weights) for layer in (rnn, td, bi, model)] == [0, 0, 3, 3]
    model.compile("sgd", "mse")
    before = dict(zip(model.weight_names, [w.copy() for w in model.get_weights()]))
    model.fit(np.ones((4, 3, 4)), np.ones((4, 2)), verbose=0)
    moved = [name for name, w in zip(model.weight_names, model.get_weights()) if not np.allclose(w, before[name])]
    assert moved and all("/backward_" in name for name in moved) and len(moved) == 3
