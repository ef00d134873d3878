"""Recurrent layers against real Keras 2 (tf_keras 2.21): forward, gradients, and a 3-epoch fit.

Both sides start from the same weights (copied from tf_keras) and see the same batches
(``shuffle=False``); float32 results must agree to float32 precision. Skipped when tf_keras is
not installed.
"""
import os

import numpy as np
import pytest

import minikeras
from minikeras import layers as mk
from minikeras.models import Sequential

pytestmark = pytest.mark.tf_keras

RTOL = 5e-5  # float32 sums in another order, compounded over the steps (measured worst: 8e-6)


@pytest.fixture(scope="module")
def tk():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed")


@pytest.fixture(scope="module")
def tf(tk):
    import tensorflow
    return tensorflow


def max_rel(a, b):
    """Normwise relative difference ``max|a - b| / max|b|`` (elementwise ratios blow up near zero)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), 1e-12))


def _mask(batch, steps, seed):
    mask = np.random.default_rng(seed).random((batch, steps)) > 0.3
    mask[:, -1] = True
    return mask


LAYER_CASES = {
    "simple_rnn": ("SimpleRNN", {"units": 4}),
    "simple_rnn_relu_backwards": ("SimpleRNN", {"units": 4, "activation": "relu", "go_backwards": True}),
    "lstm": ("LSTM", {"units": 4, "return_sequences": True}),
    "lstm_state_backwards": ("LSTM", {"units": 4, "return_state": True, "go_backwards": True}),
    "lstm_hard_sigmoid": ("LSTM", {"units": 4, "recurrent_activation": "hard_sigmoid", "unit_forget_bias": False}),
    "gru": ("GRU", {"units": 4, "return_sequences": True}),
    "gru_reset_before": ("GRU", {"units": 4, "reset_after": False, "return_state": True}),
}


@pytest.mark.parametrize("case", sorted(LAYER_CASES))
@pytest.mark.parametrize("masked", [False, True], ids=["nomask", "mask"])
def test_layer_forward_and_gradients_match_tf_keras(tk, tf, case, masked):
    class_name, kwargs = LAYER_CASES[case]
    gen = np.random.default_rng(0)
    x = gen.normal(size=(3, 6, 5)).astype("float32")
    mask = _mask(3, 6, 1) if masked else None
    theirs = getattr(tk.layers, class_name)(**kwargs)
    theirs.build((None, 6, 5))
    theirs.set_weights([w + 0.1 * gen.normal(size=w.shape).astype("float32") for w in theirs.get_weights()])
    ours = getattr(mk, class_name)(**kwargs)
    ours.build_from_shape((None, 6, 5))
    ours.set_weights(theirs.get_weights())
    assert [n.split("/", 1)[1] for n in ours.weight_names] == [w.name for w in theirs.weights]  # eager: no scope

    x_t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_t)
        out_t = theirs(x_t, mask=None if mask is None else tf.constant(mask))
        out_t = out_t if isinstance(out_t, list) else [out_t]
        rs = [gen.normal(size=o.shape).astype("float32") for o in out_t]
        loss = sum(tf.reduce_sum(o * r) for o, r in zip(out_t, rs))
    grads_t = tape.gradient(loss, [x_t] + theirs.trainable_weights)

    out = ours.call(x, mask=mask)
    out = out if isinstance(out, list) else [out]
    for o, o_t in zip(out, out_t):
        assert max_rel(o, o_t.numpy()) < RTOL
    dx = ours.backward(rs if len(rs) > 1 else rs[0])
    assert max_rel(dx, grads_t[0].numpy()) < RTOL
    for g, g_t in zip(ours.grads, grads_t[1:]):
        assert max_rel(g, g_t.numpy()) < RTOL


def _models(tk, name):
    """The same architecture in tf_keras and minikeras, and data for it."""
    gen = np.random.default_rng(3)
    if name == "embedding_masked_rnns":
        x = gen.integers(1, 30, size=(48, 7)).astype("float32")
        x[gen.random(x.shape) < 0.3] = 0                               # padding id 0 -> masked steps
        y = gen.normal(size=(48, 1)).astype("float32")

        def make(lib):
            return [lib.Embedding(30, 6, mask_zero=True, input_length=7), lib.LSTM(5, return_sequences=True),
                    lib.SimpleRNN(4, go_backwards=True), lib.Dense(1)]
    else:  # bidirectional_gru_time_distributed
        x = gen.normal(size=(48, 7, 3)).astype("float32")
        y = gen.normal(size=(48, 7, 2)).astype("float32")

        def make(lib):
            return [lib.Bidirectional(lib.GRU(4, return_sequences=True), input_shape=(7, 3)),
                    lib.TimeDistributed(lib.Dense(2))]
    theirs = tk.Sequential(make(tk.layers))
    minikeras.backend.reset_uids()
    ours = Sequential(make(mk))
    if not ours.built:
        ours.build((None,) + x.shape[1:])
    ours.set_weights(theirs.get_weights())
    return theirs, ours, x, y


FIT_CASES = ["embedding_masked_rnns", "bidirectional_gru_time_distributed"]


@pytest.mark.parametrize("name", FIT_CASES)
def test_three_epoch_fit_matches_tf_keras(tk, name):
    """3 epochs of 8 Adam steps; losses and final weights to float32 precision."""
    theirs, ours, x, y = _models(tk, name)
    theirs.compile(optimizer=tk.optimizers.Adam(0.01), loss="mse", run_eagerly=True)  # no tracing: faster here
    ours.compile(optimizer=minikeras.optimizers.Adam(0.01), loss="mse")
    np.testing.assert_allclose(ours.predict(x), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    h_t = theirs.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0).history["loss"]
    h = ours.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0).history["loss"]
    assert max_rel(h, h_t) < 1e-4
    for w, w_t in zip(ours.get_weights(), theirs.get_weights()):
        assert max_rel(w, w_t) < 1e-4


def _sequence_model(lib):
    return [lib.Embedding(30, 6, mask_zero=True, input_length=7),
            lib.Bidirectional(lib.LSTM(5, return_sequences=True), merge_mode="sum"),
            lib.GRU(4, reset_after=False, return_sequences=True), lib.TimeDistributed(lib.Dense(2)),
            lib.SimpleRNN(3), lib.Dense(1)]


def test_h5_files_open_both_ways(tk, tmp_path):
    """Weights under tf_keras's names (bidirectional/forward_lstm/lstm_cell/kernel:0), configs both ways."""
    x = np.random.default_rng(0).integers(0, 30, size=(8, 7)).astype("float32")
    minikeras.backend.reset_uids()
    ours = Sequential(_sequence_model(mk))
    ours.compile(optimizer="adam", loss="mse")
    ours.save(tmp_path / "ours.h5")
    theirs = tk.models.load_model(tmp_path / "ours.h5")
    assert [w.name for w in theirs.weights] == [n for layer in ours.layers for n in layer.weight_names]
    assert "bidirectional/forward_lstm/lstm_cell/kernel:0" in [w.name for w in theirs.weights]
    assert max_rel(theirs.predict(x, verbose=0), ours.predict(x)) < 1e-6
    theirs = tk.Sequential(_sequence_model(tk.layers))
    theirs.build((None, 7))
    theirs.save(tmp_path / "theirs.h5")
    again = minikeras.models.load_model(tmp_path / "theirs.h5")
    assert max_rel(again.predict(x), theirs.predict(x, verbose=0)) < 1e-6
    assert again.layers[2].get_config()["reset_after"] is False


def _padded_ids(samples, steps, seed):
    """Sequences of ids 1..19 of random lengths, zero-padded at the end (mask_zero masks the padding)."""
    gen = np.random.default_rng(seed)
    ids = gen.integers(1, 20, size=(samples, steps))
    lengths = gen.integers(1, steps + 1, size=samples)
    ids[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    return ids.astype("float32")


def test_masked_timesteps_leave_the_loss_and_metrics_as_in_tf_keras(tk):
    """Embedding(mask_zero) -> LSTM(return_sequences) -> TimeDistributed(Dense): per-timestep loss.

    tf_keras weighs masked timesteps 0 and divides by the number of unmasked ones, per batch
    (``sum(w * l * m) / sum(m)``); the epoch's loss is the batch-size-weighted mean of the batch
    losses; metrics average over the unmasked timesteps of the epoch. 3 epochs from the same weights.
    """
    x = _padded_ids(10, 7, seed=3)
    y = np.random.default_rng(4).integers(0, 2, size=(10, 7, 1)).astype("float32")
    minikeras.backend.reset_uids()
    models = []
    for lib, Model in ((tk.layers, tk.models.Sequential), (mk, Sequential)):
        models.append(Model([lib.Embedding(20, 5, mask_zero=True, input_length=7), lib.LSTM(4, return_sequences=True),
                             lib.TimeDistributed(lib.Dense(1, activation="sigmoid"))]))
    theirs, ours = models
    theirs.build((None, 7))
    ours.build((None, 7))
    ours.set_weights(theirs.get_weights())
    theirs.compile(tk.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy", "mse"], run_eagerly=True)
    ours.compile(minikeras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy", "mse"])
    h_t = theirs.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    h = ours.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    for key in ("loss", "accuracy", "mse"):
        assert max_rel(h[key], h_t[key]) < 1e-5, (key, h[key], h_t[key])
    per_step, valid = _bce(ours.predict(x), y)[..., 0], x != 0         # (samples, steps) each
    loss = ours.evaluate(x, y, batch_size=10, verbose=0)[0]            # one batch: the plain masked mean
    np.testing.assert_allclose(loss, per_step[valid].mean(), rtol=1e-5)
    assert abs(loss - per_step.mean()) > 1e-3                          # the mask changes the number
    weights = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0, 1.0, 0.0, 2.0, 1.0], dtype="float32")
    e_t = theirs.evaluate(x, y, sample_weight=weights, batch_size=4, verbose=0)
    e = ours.evaluate(x, y, sample_weight=weights, batch_size=4, verbose=0)
    assert max_rel(e, e_t) < 1e-5, (e, e_t)                           # sample weights times the mask
    for w, w_t in zip(ours.get_weights(), theirs.get_weights()):
        assert max_rel(w, w_t) < 1e-4


def test_dense_and_dropout_pass_the_mask_to_the_loss_as_in_tf_keras(tk):
    """Dense on (B, T, u) and Dropout keep the mask (tf_keras's ``supports_masking``)."""
    x = _padded_ids(6, 5, seed=5)
    y = np.random.default_rng(6).normal(size=(6, 5, 2)).astype("float32")
    minikeras.backend.reset_uids()
    models = []
    for lib, Model in ((tk.layers, tk.models.Sequential), (mk, Sequential)):
        models.append(Model([lib.Embedding(20, 3, mask_zero=True, input_length=5), lib.GRU(4, return_sequences=True),
                             lib.Dropout(0.5), lib.Dense(2), lib.Activation("tanh")]))
        models[-1].build((None, 5))
        models[-1].compile("sgd", "mse", metrics=["mae"])
    models[1].set_weights(models[0].get_weights())
    e_t, e = (m.evaluate(x, y, batch_size=4, verbose=0) for m in models)
    assert max_rel(e, e_t) < 1e-5, (e, e_t)
    per_step = np.mean((models[1].predict(x) - y) ** 2, axis=-1)         # (samples, steps)
    assert abs(e[0] - per_step.mean()) > 1e-3                          # the masked mean differs


def _bce(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.mark.parametrize("label_shape", ["(B, T)", "(B, T, 1)"])
def test_mask_through_normalization_activation_noise_and_sparse_sequence_labels_as_in_tf_keras(tk, label_shape):
    """The mask passes BatchNormalization (whose batch statistics skip masked steps), LeakyReLU,
    GaussianNoise and LayerNormalization to a per-timestep sparse loss with (B, T) or (B, T, 1)
    labels; 3 epochs from the same weights: history, weights and moving statistics agree."""
    x = _padded_ids(12, 6, seed=9)
    y = np.random.default_rng(10).integers(0, 4, size=(12, 6) if label_shape == "(B, T)" else (12, 6, 1))
    minikeras.backend.reset_uids()
    models = []
    for lib, Model in ((tk.layers, tk.models.Sequential), (mk, Sequential)):
        models.append(Model([lib.Embedding(20, 5, mask_zero=True, input_length=6), lib.LSTM(6, return_sequences=True),
                             lib.BatchNormalization(momentum=0.5), lib.LeakyReLU(), lib.GaussianNoise(0.0),
                             lib.LayerNormalization(), lib.TimeDistributed(lib.Dense(4, activation="softmax"))]))
        models[-1].build((None, 6))
    theirs, ours = models
    ours.set_weights(theirs.get_weights())
    theirs.compile(tk.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"], run_eagerly=True)
    ours.compile(minikeras.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    h_t = theirs.fit(x, y, batch_size=5, epochs=3, shuffle=False, verbose=0).history
    h = ours.fit(x, y, batch_size=5, epochs=3, shuffle=False, verbose=0).history
    for key in ("loss", "accuracy"):
        assert max_rel(h[key], h_t[key]) < 1e-5, (key, h[key], h_t[key])
    for w, w_t in zip(ours.get_weights(), theirs.get_weights()):     # moving_mean/variance included
        assert max_rel(w, w_t) < 1e-4
    # The data make the mask matter: BatchNormalization's input statistics over the kept steps differ
    # from those over all steps, so a BatchNormalization that ignored the mask could not match above.
    lstm_out = ours.layers[1](ours.layers[0](x))                      # (B, T, 6)
    assert np.abs(lstm_out[x != 0].mean(axis=0) - lstm_out.mean(axis=(0, 1))).max() > 1e-3


def test_softmax_layer_with_a_mask_matches_tf_keras(tk, tf):
    """Softmax(axis) called with a mask: masked cells get the logit -1e9 (probability 0)."""
    x = np.random.default_rng(11).normal(size=(2, 3, 4)).astype("float32")
    mask = np.random.default_rng(12).random((2, 3, 4)) > 0.4
    for axis in (-1, 1):
        expected = tk.layers.Softmax(axis=axis)(x, mask=tf.constant(mask)).numpy()
        np.testing.assert_allclose(mk.Softmax(axis=axis)(x, mask=mask), expected, rtol=1e-6, atol=1e-7)


def _seq2seq(lib, latent=8, enc_tokens=5, dec_tokens=6):
    """Keras 2.2.4's lstm_seq2seq: the encoder's final states are the decoder's initial_state
    (Keras tensors), and the same decoder layers are reused for the step-by-step inference model."""
    layers, Model = lib.layers, lib.models.Model
    enc_in = layers.Input(shape=(None, enc_tokens))
    _, h, c = layers.LSTM(latent, return_state=True)(enc_in)
    dec_in = layers.Input(shape=(None, dec_tokens))
    dec_lstm = layers.LSTM(latent, return_sequences=True, return_state=True)
    dense = layers.Dense(dec_tokens, activation="softmax")
    out, _, _ = dec_lstm(dec_in, initial_state=[h, c])
    model = Model([enc_in, dec_in], dense(out))
    encoder = Model(enc_in, [h, c])
    h_in, c_in = layers.Input(shape=(latent,)), layers.Input(shape=(latent,))
    step_out, step_h, step_c = dec_lstm(dec_in, initial_state=[h_in, c_in])
    decoder = Model([dec_in, h_in, c_in], [dense(step_out), step_h, step_c])
    return model, encoder, decoder


def test_lstm_seq2seq_with_symbolic_initial_state_matches_tf_keras(tk, tmp_path):
    gen = np.random.default_rng(4)
    x_enc = gen.random((24, 7, 5)).astype("float32")
    x_dec = gen.random((24, 4, 6)).astype("float32")
    y = np.eye(6, dtype="float32")[gen.integers(0, 6, (24, 4))]
    theirs, their_encoder, their_decoder = _seq2seq(tk)
    ours, our_encoder, our_decoder = _seq2seq(minikeras)
    ours.set_weights(theirs.get_weights())
    for model in (theirs, ours):
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    fit = dict(batch_size=8, epochs=3, shuffle=False, validation_split=0.25, verbose=0)
    their_history = theirs.fit([x_enc, x_dec], y, **fit).history
    our_history = ours.fit([x_enc, x_dec], y, **fit).history
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5)
    # the encoder's weights learn only through the decoder's initial_state
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert max_rel(a, b) < 1e-4
    # the inference models share the trained layers: encode once, then one decoder step
    states = our_encoder.predict(x_enc[:3], verbose=0)
    np.testing.assert_allclose(states[0], their_encoder.predict(x_enc[:3], verbose=0)[0], rtol=1e-4, atol=1e-6)
    step = our_decoder.predict([x_dec[:3, :1]] + states, verbose=0)
    their_step = their_decoder.predict([x_dec[:3, :1]] + states, verbose=0)
    for a, b in zip(step, their_step):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    # saved as lstm_seq2seq saves it, and read back by lstm_seq2seq_restore's load_model
    ours.save(tmp_path / "s2s.h5")
    restored = minikeras.models.load_model(tmp_path / "s2s.h5")
    np.testing.assert_allclose(restored.predict([x_enc, x_dec], verbose=0), ours.predict([x_enc, x_dec], verbose=0),
                               rtol=1e-6)
    in_tf = tk.models.load_model(tmp_path / "s2s.h5")
    np.testing.assert_allclose(in_tf.predict([x_enc, x_dec], verbose=0), ours.predict([x_enc, x_dec], verbose=0),
                               rtol=1e-4, atol=1e-6)


LONG_CASES = {"simple_rnn": ("SimpleRNN", {}), "lstm": ("LSTM", {}), "gru": ("GRU", {}),
              "gru_reset_before": ("GRU", {"reset_after": False})}


@pytest.mark.parametrize("case", sorted(LONG_CASES))
def test_eighty_steps_forward_and_backprop_through_time_match_tf_keras(tk, tf, case):
    """imdb_lstm's sequence length: 80 steps of forward and of backpropagation through time,
    with masks. Float32 differences compound over the steps; measured worst normwise relative
    difference (output, dL/dx and every weight gradient): 3.0e-7, checked at 1e-5."""
    class_name, kwargs = LONG_CASES[case]
    gen = np.random.default_rng(8)
    x = gen.normal(size=(4, 80, 6)).astype("float32")
    mask = _mask(4, 80, 9)
    theirs = getattr(tk.layers, class_name)(16, return_sequences=True, **kwargs)
    theirs.build((None, 80, 6))
    ours = getattr(mk, class_name)(16, return_sequences=True, **kwargs)
    ours.build_from_shape((None, 80, 6))
    ours.set_weights(theirs.get_weights())
    r = gen.normal(size=(4, 80, 16)).astype("float32")
    x_t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_t)
        out_t = theirs(x_t, mask=tf.constant(mask))
        loss = tf.reduce_sum(out_t * r)
    grads_t = tape.gradient(loss, [x_t] + theirs.trainable_weights)
    out = ours.call(x, mask=mask)
    dx = ours.backward(r)
    worst = max([max_rel(out, out_t.numpy())] + [max_rel(a, b.numpy()) for a, b in zip([dx] + ours.grads, grads_t)])
    assert worst < 1e-5, worst


@pytest.mark.parametrize("case", sorted(LONG_CASES))
def test_dropout_at_imdb_lstm_size_matches_tf_keras_given_the_same_masks(tk, tf, case):
    """``dropout=0.2, recurrent_dropout=0.2`` at imdb_lstm's size (batch 32, 128 units, where each
    gate's products are laid out in 2 parts of 64): tf_keras's cell is handed minikeras's dropout
    masks, one per gate as tf_keras draws them, and the training-mode output and every gradient
    must agree over 40 steps. Measured worst normwise relative difference: 1.2e-6 (SimpleRNN),
    checked at 1e-5."""
    class_name, kwargs = LONG_CASES[case]
    gen = np.random.default_rng(9)
    x = gen.normal(size=(32, 40, 24)).astype("float32")
    r = gen.normal(size=(32, 40, 128)).astype("float32")
    theirs = getattr(tk.layers, class_name)(128, return_sequences=True, dropout=0.2, recurrent_dropout=0.2, **kwargs)
    theirs.build((None, 40, 24))
    ours = getattr(mk, class_name)(128, return_sequences=True, dropout=0.2, recurrent_dropout=0.2, **kwargs)
    ours.build_from_shape((None, 40, 24))
    ours.set_weights(theirs.get_weights())
    assert ours.cell.start_forward(32).shape[:2] == (ours.cell.gates, 2)   # the split layout is what runs
    minikeras.backend.set_seed(3)
    out = ours.call(x, training=True)
    dp, rdp = ours._dp, ours._rdp                                      # (G, B, D), (G, B, u)
    assert dp.shape[0] == rdp.shape[0] == ours.cell.gates
    single = class_name == "SimpleRNN"                                 # its cell takes one mask, not a list

    def masks(values):                                                 # (0 or 1.25: the same in float32)
        values = [tf.constant(m, tf.float32) for m in values]
        return lambda *args, **kw: values[0] if single else values
    theirs.cell.get_dropout_mask_for_cell = masks(dp)
    theirs.cell.get_recurrent_dropout_mask_for_cell = masks(rdp)
    x_t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_t)
        out_t = theirs(x_t, training=True)
        loss = tf.reduce_sum(out_t * r)
    grads_t = tape.gradient(loss, [x_t] + theirs.trainable_weights)
    dx = ours.backward(r)
    diffs = [max_rel(out, out_t.numpy())] + [max_rel(a, b.numpy()) for a, b in zip([dx] + ours.grads, grads_t)]
    assert len(diffs) == 2 + len(ours.grads) and max(diffs) < 1e-5, diffs
