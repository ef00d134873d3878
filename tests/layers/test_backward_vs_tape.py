"""Every built-in layer's hand-written backward equals the autodiff tape's, to float32 precision.

The tape runs the layer's own ``call`` on tape tensors (``tape.record_call``) and walks it back;
the hand-written ``backward`` must give the same input gradient and weight gradients. A layer
class added to ``layers.LAYERS`` needs a recipe here (the last test says which are missing).
"""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers
from minikeras.backend import autodiff
from minikeras.layers import rnn_ops, tape

R = np.random.default_rng(0)
X2 = R.normal(size=(4, 5)).astype("float32")
X4 = R.normal(size=(2, 3, 4, 2)).astype("float32")

# class name -> list of (id, make the layer, input, call kwargs)
RECIPES = {
    "Layer": [("identity", lambda: layers.Layer(), X2, {})],
    "InputLayer": [("identity", lambda: layers.InputLayer(input_shape=(5,)), X2, {})],
    "Dense": [(act, lambda act=act: layers.Dense(3, activation=act, kernel_regularizer="l2",
                                                  bias_initializer="ones"), X2, {})
              for act in ["linear", "relu", "sigmoid", "softmax", "tanh", "elu", "selu", "softplus"]]
             + [("3d-input", lambda: layers.Dense(3), X4[..., 0], {}),
                ("no-bias+activity", lambda: layers.Dense(2, use_bias=False, activity_regularizer="l1"), X2, {})],
    "Activation": [(act, lambda act=act: layers.Activation(act), X2, {})
                   for act in ["relu", "sigmoid", "softmax", "tanh", "elu", "selu", "softplus", "softsign",
                               "hard_sigmoid", "exponential", "linear"]],
    "Dropout": [("train", lambda: layers.Dropout(0.4), X2, {"training": True}),
                ("noise_shape", lambda: layers.Dropout(0.5, noise_shape=(None, 1)), X2, {"training": True}),
                ("inference", lambda: layers.Dropout(0.4), X2, {})],
    "Flatten": [("4d", lambda: layers.Flatten(), X4, {})],
    "ActivityRegularization": [("l1_l2", lambda: layers.ActivityRegularization(l1=0.1, l2=0.2), X2, {})],
    "Lambda": [("k-ops", lambda: layers.Lambda(lambda x: K.concatenate([K.square(x), K.sigmoid(x)])), X2, {})],
}

X3 = R.normal(size=(2, 6, 3)).astype("float32")          # (batch, steps, channels)
X4C = R.normal(size=(2, 5, 5, 3)).astype("float32")      # (batch, rows, cols, channels)
PAIR = [R.normal(size=(4, 5)).astype("float32"), R.normal(size=(4, 5)).astype("float32")]
TRIPLE = PAIR + [R.normal(size=(4, 5)).astype("float32")]
IDS = R.integers(0, 7, size=(3, 4))
X_MASKED = X3.copy()
X_MASKED[:, 2] = 0.0                                      # one step masked out


def _merge(cls):
    return [("pair", lambda: cls(), PAIR, {})] + ([("three", lambda: cls(), TRIPLE, {})] if cls is not layers.Subtract else [])


RECIPES.update({
    **{cls.__name__: _merge(cls) for cls in (layers.Add, layers.Subtract, layers.Multiply, layers.Average,
                                               layers.Maximum, layers.Minimum)},
    "Concatenate": [("last", lambda: layers.Concatenate(), [X3, X3[..., :2]], {}),
                    ("axis1", lambda: layers.Concatenate(axis=1), [X3, X3[:, :2]], {})],
    "Dot": [("axes1", lambda: layers.Dot(axes=1), PAIR, {}),
            ("normalize", lambda: layers.Dot(axes=1, normalize=True), PAIR, {}),
            ("3d", lambda: layers.Dot(axes=(2, 2)), [X3, X3[:, :4]], {})],
    "Conv1D": [("valid", lambda: layers.Conv1D(4, 3, activation="relu"), X3, {}),
               ("same-strided", lambda: layers.Conv1D(2, 3, strides=2, padding="same"), X3, {}),
               ("causal-dilated", lambda: layers.Conv1D(2, 2, padding="causal", dilation_rate=2), X3, {})],
    "Conv2D": [("valid", lambda: layers.Conv2D(4, 3, activation="tanh"), X4C, {}),
               ("same-strided", lambda: layers.Conv2D(2, (2, 3), strides=2, padding="same"), X4C, {})],
    "Conv2DTranspose": [("valid", lambda: layers.Conv2DTranspose(2, 3), X4C, {}),
                        ("same-strided", lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same"), X4C, {}),
                        ("dilated", lambda: layers.Conv2DTranspose(2, 2, dilation_rate=2), X4C, {}),
                        ("valid-strided", lambda: layers.Conv2DTranspose(3, (3, 2), strides=(2, 3)), X4C, {})],
    "DepthwiseConv2D": [("valid", lambda: layers.DepthwiseConv2D(3, depth_multiplier=2), X4C, {}),
                        ("same", lambda: layers.DepthwiseConv2D(2, padding="same"), X4C, {})],
    "SeparableConv2D": [("valid", lambda: layers.SeparableConv2D(4, 3), X4C, {}),
                        ("same", lambda: layers.SeparableConv2D(2, 2, padding="same", depth_multiplier=2), X4C, {})],
    "MaxPooling1D": [("2", lambda: layers.MaxPooling1D(2), X3, {}),
                     ("same", lambda: layers.MaxPooling1D(3, strides=2, padding="same"), X3, {})],
    "MaxPooling2D": [("2", lambda: layers.MaxPooling2D(2), X4C, {}),
                     ("same", lambda: layers.MaxPooling2D(3, strides=2, padding="same"), X4C, {})],
    "AveragePooling1D": [("2", lambda: layers.AveragePooling1D(2), X3, {}),
                         ("same", lambda: layers.AveragePooling1D(3, strides=2, padding="same"), X3, {})],
    "AveragePooling2D": [("2", lambda: layers.AveragePooling2D(2), X4C, {}),
                         ("same", lambda: layers.AveragePooling2D(3, strides=2, padding="same"), X4C, {})],
    "GlobalAveragePooling1D": [("3d", lambda: layers.GlobalAveragePooling1D(), X3, {})],
    "GlobalAveragePooling2D": [("4d", lambda: layers.GlobalAveragePooling2D(), X4C, {})],
    "GlobalMaxPooling1D": [("3d", lambda: layers.GlobalMaxPooling1D(), X3, {})],
    "GlobalMaxPooling2D": [("4d", lambda: layers.GlobalMaxPooling2D(), X4C, {})],
    "BatchNormalization": [("train", lambda: layers.BatchNormalization(), X4C, {"training": True}),
                           ("inference", lambda: layers.BatchNormalization(), X4C, {}),
                           ("axis1-no-scale", lambda: layers.BatchNormalization(axis=1, scale=False), X3,
                            {"training": True})],
    "LayerNormalization": [("last", lambda: layers.LayerNormalization(), X3, {}),
                           ("axes", lambda: layers.LayerNormalization(axis=[1, 2], center=False), X3, {})],
    "Reshape": [("infer", lambda: layers.Reshape((-1, 2)), X3, {})],
    "Permute": [("21", lambda: layers.Permute((2, 1)), X3, {})],
    "RepeatVector": [("3", lambda: layers.RepeatVector(3), X2, {})],
    "ZeroPadding1D": [("1-2", lambda: layers.ZeroPadding1D((1, 2)), X3, {})],
    "ZeroPadding2D": [("mixed", lambda: layers.ZeroPadding2D(((1, 0), (2, 1))), X4C, {})],
    "Cropping1D": [("1-2", lambda: layers.Cropping1D((1, 2)), X3, {})],
    "Cropping2D": [("mixed", lambda: layers.Cropping2D(((1, 0), (2, 1))), X4C, {})],
    "UpSampling1D": [("2", lambda: layers.UpSampling1D(2), X3, {})],
    "UpSampling2D": [("nearest", lambda: layers.UpSampling2D((2, 3)), X4C, {})],
    # noise layers in training mode: K.set_seed(3) before each pass makes both draw the same noise
    "GaussianNoise": [("train", lambda: layers.GaussianNoise(0.5), X2, {"training": True}),
                      ("inference", lambda: layers.GaussianNoise(0.5), X2, {})],
    "GaussianDropout": [("train", lambda: layers.GaussianDropout(0.3), X2, {"training": True}),
                        ("inference", lambda: layers.GaussianDropout(0.3), X2, {})],
    "AlphaDropout": [("train", lambda: layers.AlphaDropout(0.3), X2, {"training": True}),
                     ("inference", lambda: layers.AlphaDropout(0.3), X2, {})],
    "SpatialDropout1D": [("train", lambda: layers.SpatialDropout1D(0.5), X3, {"training": True})],
    "SpatialDropout2D": [("train", lambda: layers.SpatialDropout2D(0.5), X4C, {"training": True})],
    "LeakyReLU": [("0.3", lambda: layers.LeakyReLU(), X2, {})],
    "PReLU": [("per-unit", lambda: layers.PReLU(alpha_initializer="ones"), X2, {}),
              ("shared", lambda: layers.PReLU(alpha_initializer="ones", shared_axes=[1, 2]), X4C, {})],
    "ELU": [("0.7", lambda: layers.ELU(0.7), X2, {})],
    "ThresholdedReLU": [("0.2", lambda: layers.ThresholdedReLU(0.2), X2, {})],
    "ReLU": [("plain", lambda: layers.ReLU(), X2, {}),
             ("capped-leaky", lambda: layers.ReLU(max_value=0.5, negative_slope=0.1, threshold=-0.2), X2, {})],
    "Softmax": [("last", lambda: layers.Softmax(), X2, {}),
                ("axis1", lambda: layers.Softmax(axis=1), X3, {})],
    "Embedding": [("ids", lambda: layers.Embedding(7, 3), IDS, {})],
    "Masking": [("zero-step", lambda: layers.Masking(), X_MASKED, {})],
    "TimeDistributed": [("dense", lambda: layers.TimeDistributed(layers.Dense(2)), X3, {})],
})

R_STATES = np.random.default_rng(1)                                        # (R's draws above stay as they were)
H0, C0 = R_STATES.normal(size=(2, 3)).astype("float32"), R_STATES.normal(size=(2, 3)).astype("float32")
STEP_MASK = np.array([[1, 1, 0, 1, 1, 0], [0, 1, 1, 1, 0, 1]], dtype=bool)   # (batch, steps)
MASKED = {"mask": STEP_MASK}
DROPOUT = {"dropout": 0.3, "recurrent_dropout": 0.4}                      # tf_keras: one mask per gate


def _recurrent(cls, **common):
    """Each recurrent layer with masks, go_backwards, return_state, dropout and an initial state."""
    def make(**kw):
        return lambda: cls(3, **common, **kw)
    return [("last", make(), X3, {}),
            ("sequences-masked", make(return_sequences=True), X3, MASKED),
            ("backwards-state-masked", make(go_backwards=True, return_state=True), X3, MASKED),
            ("dropout", make(return_sequences=True, **DROPOUT), X3, {"training": True, **MASKED}),
            ("dropout-inputs-only", make(dropout=0.5), X3, {"training": True}),
            ("initial-state", make(return_sequences=True), [X3, H0, C0][:2 + (cls is layers.LSTM)], {})]


def _bidirectional(inner, merge_mode):
    return lambda: layers.Bidirectional(inner(), merge_mode=merge_mode)


RECIPES.update({
    "SimpleRNN": _recurrent(layers.SimpleRNN),
    "LSTM": _recurrent(layers.LSTM) + [("hard-sigmoid-no-bias", lambda: layers.LSTM(
        3, recurrent_activation="hard_sigmoid", use_bias=False, return_sequences=True), X3, MASKED)],
    "GRU": _recurrent(layers.GRU) + [(f"reset-before-{case}", make, x, kw)
                                     for case, make, x, kw in _recurrent(layers.GRU, reset_after=False)],
    "RNN": [("lstm-cell", lambda: layers.RNN(layers.LSTMCell(3), return_sequences=True), X3, MASKED),
            ("gru-cell-state", lambda: layers.RNN(layers.GRUCell(3), return_state=True, go_backwards=True), X3, {})],
    "Bidirectional": [(mode, _bidirectional(lambda: layers.GRU(3, return_sequences=True), mode), X3, MASKED)
                      for mode in ("concat", "sum", "mul", "ave")]
                     + [("none", _bidirectional(lambda: layers.SimpleRNN(3, return_sequences=True), None), X3, MASKED),
                        ("lstm-state", _bidirectional(lambda: layers.LSTM(3, return_state=True), "concat"), X3, {}),
                        ("dropout", _bidirectional(lambda: layers.LSTM(3, **DROPOUT), "sum"), X3, {"training": True})],
})

#: Recurrent cells have no backward of their own (RNN steps them): their hand-written
#: ``step_backward`` is compared with the tape by ``test_cell_step_backward_equals_the_tape``.
CELLS = {"SimpleRNNCell": lambda: layers.SimpleRNNCell(3), "LSTMCell": lambda: layers.LSTMCell(3),
         "GRUCell": lambda: layers.GRUCell(3), "GRUCell-reset-before": lambda: layers.GRUCell(3, reset_after=False),
         "LSTMCell-hard-sigmoid": lambda: layers.LSTMCell(3, recurrent_activation="hard_sigmoid")}


def _normal_like(out):
    return [_normal_like(o) for o in out] if isinstance(out, list) else R.normal(size=np.shape(out)).astype("float32")


CASES = [(name, case_id, make, x, kwargs) for name, recipes in RECIPES.items()
         for case_id, make, x, kwargs in recipes]


@pytest.mark.parametrize("name, case_id, make, x, kwargs", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_hand_written_backward_equals_the_tape(name, case_id, make, x, kwargs):
    layer = make()
    out = layer(x, **kwargs)                      # builds the weights
    g = _normal_like(out)                         # one gradient per output (a list for return_state)
    training = kwargs.get("training", False)

    K.set_seed(3)
    layer(x, **kwargs)
    hand_dx = layer.backward(g)
    hand = [np.array(d) for d in layer.grads]

    K.set_seed(3)
    call_kwargs = {k: v for k, v in kwargs.items() if k != "training"}    # mask=...
    if tape.call_arguments(type(layer))[0]:
        call_kwargs["training"] = training
    out = tape.record_call(layer, x, **call_kwargs)
    if layer.activity_regularizer is not None:    # d(l1(out) / batch)/d(out), added before either backward
        g = g + layer.activity_regularizer.gradient(out) / len(x)
    tape_dx = tape.tape_backward(layer, g)

    if hand_dx is None:                           # integer inputs (Embedding's ids): no gradient
        hand_dx = np.zeros_like(tape_dx)
    hand_dx, tape_dx = (d if isinstance(d, list) else [d] for d in (hand_dx, tape_dx))
    assert len(hand_dx) == len(tape_dx)
    for a, b in zip(hand_dx, tape_dx):          # one gradient per input (a list for merge layers)
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert len(hand) == len(layer.grads) == len(layer.trainable_weights)
    for a, b in zip(hand, layer.grads):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("split", [False, True], ids=["whole", "split-in-parts"])
@pytest.mark.parametrize("recurrent_dropout", [0.0, 0.5])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_cell_step_backward_equals_the_tape(name, recurrent_dropout, split, monkeypatch):
    """One step of a cell, with or without per-gate recurrent dropout masks: ``step_backward`` vs the tape.

    ``split`` lowers the one-thread product size so that each gate's 3 columns are laid out in 3
    parts of 1 (``lay_out_gates``), as imdb_lstm's gates are in 2 parts of 64."""
    if split:
        monkeypatch.setattr(rnn_ops, "ONE_THREAD_SIZE", 6)
        assert CELLS[name]().units == 3 and rnn_ops.lay_out_gates(np.zeros((1, 3, 3)), rows=2).shape[1] == 3
    cell = CELLS[name]()
    cell.recurrent_dropout = recurrent_dropout
    cell.build_from_shape((None, 4))
    n_states = len(cell.state_size)
    x, states = R_STATES.normal(size=(2, 4)).astype("float32"), [H0, C0][:n_states]
    K.set_seed(1)
    _, rdp = cell.dropout_masks(True, 2, 4, "float32")                 # (G, B, u), or None
    assert (rdp is not None) == bool(recurrent_dropout)
    g_out, *g_states = [R_STATES.normal(size=(2, 3)).astype("float32") for _ in range(1 + n_states)]
    xw = cell.project_inputs(x[:, None])[:, 0]                         # (B, G*u)
    _, _, cache = cell.step(xw, states, rdp, cell.start_forward(2))  # the per-gate blocked products
    grads = cell.start_backward(2)
    d_xw, d_states = cell.step_backward(g_out, g_states, cache, rdp, grads)
    grads["recurrent_steps"].add_to(grads["recurrent_kernel"])

    weights = [autodiff.Tensor(w) for w in cell.trainable_weights]
    leaves = [autodiff.Tensor(xw)] + [autodiff.Tensor(s) for s in states]
    saved = cell.recurrent_kernel, cell.bias
    cell.recurrent_kernel, cell.bias = weights[1], weights[2]
    try:
        h, new_states, _ = cell.step(leaves[0], leaves[1:], rdp)
    finally:
        cell.recurrent_kernel, cell.bias = saved
    loss = np.sum(h * g_out) + sum(np.sum(s * g) for s, g in zip(new_states, g_states))
    tape_grads = autodiff.gradients(loss, leaves + weights[1:])
    for hand, taped in zip([d_xw] + d_states + [grads["recurrent_kernel"]], tape_grads):
        np.testing.assert_allclose(hand, taped, rtol=1e-5, atol=1e-6)
    if name.startswith("GRUCell") and cell.reset_after:                # the state bias row
        np.testing.assert_allclose(grads["bias"][1], tape_grads[-1][1], rtol=1e-5, atol=1e-6)


def test_every_built_in_layer_has_a_recipe():
    missing = sorted(set(layers.LAYERS) - set(RECIPES) - {name.split("-")[0] for name in CELLS})
    assert missing == [], f"add these layers to RECIPES (or, being cells, to CELLS): {missing}"
