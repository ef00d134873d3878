"""The functional API compared live with tf_keras 2.21 (skipped when tf_keras is not installed).

Each case builds the same graph in both packages (one script, ``k`` = the package), copies
tf_keras's initial weights into minikeras, trains with ``shuffle=False`` and compares history
keys exactly and values, predictions and weights to float32 precision: ``RTOL = 1e-5``.
"""
import os

import numpy as np
import pytest

import minikeras

tk = pytest.importorskip("tf_keras")
pytestmark = pytest.mark.tf_keras
RTOL, ATOL = 1e-5, 1e-6
RNG = np.random.default_rng(0)
XA, XB = RNG.normal(size=(20, 3)).astype("float32"), RNG.normal(size=(20, 3)).astype("float32")
Y1 = RNG.normal(size=(20, 1)).astype("float32")
Y2 = np.eye(2, dtype="float32")[RNG.integers(0, 2, 20)]


def two_outputs(k):
    """Two inputs, a layer shared by both, a concatenation, a skip connection, two outputs."""
    L = k.layers
    a, b = k.Input(shape=(3,), name="a"), k.Input(shape=(3,), name="b")
    shared = L.Dense(5, activation="relu", name="shared")
    h = L.Dense(4, activation="tanh", name="hidden")(L.concatenate([shared(a), shared(b)], name="concat"))
    o1 = L.Dense(1, name="out1")(h)
    o2 = L.Dense(2, activation="softmax", name="out2")(L.add([h, L.Dense(4, name="skip")(b)], name="plus"))
    return k.Model([a, b], [o1, o2], name="two")


def twins(build):
    """``(tf_keras model, minikeras model)`` with the same weights."""
    mt, mm = build(tk), build(minikeras)
    mm.set_weights(mt.get_weights())
    return mt, mm


def compile_both(mt, mm, lr=0.1, **kwargs):
    mt.compile(optimizer=tk.optimizers.SGD(lr), **kwargs)
    mm.compile(optimizer=minikeras.optimizers.SGD(lr), **kwargs)


def assert_same_history(ht, hm):
    assert list(hm.history) == list(ht.history)
    for key in ht.history:
        np.testing.assert_allclose(hm.history[key], ht.history[key], rtol=RTOL, atol=ATOL, err_msg=key)


def assert_same_arrays(a, b):
    for p, q in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
        np.testing.assert_allclose(q, p, rtol=RTOL, atol=ATOL)


def test_two_inputs_two_outputs_loss_weights_metrics_and_history_keys():
    mt, mm = twins(two_outputs)
    assert [layer.name for layer in mm.layers] == [layer.name for layer in mt.layers]
    compile_both(mt, mm, loss=["mse", "categorical_crossentropy"], loss_weights=[0.5, 2.0],
                 metrics=[["mae"], ["accuracy"]])
    fit = dict(batch_size=8, epochs=3, shuffle=False, verbose=0, validation_data=([XA, XB], [Y1, Y2]))
    assert_same_history(mt.fit([XA, XB], [Y1, Y2], **fit), mm.fit([XA, XB], [Y1, Y2], **fit))
    assert mm.metrics_names == mt.metrics_names == ["loss", "out1_loss", "out2_loss", "out1_mae", "out2_accuracy"]
    x, y = {"a": XA, "b": XB}, {"out1": Y1, "out2": Y2}
    np.testing.assert_allclose(mm.evaluate(x, y, verbose=0), mt.evaluate(x, y, verbose=0), rtol=RTOL)
    assert_same_arrays(mt.predict(x, verbose=0), mm.predict(x))


def test_dict_losses_per_output_sample_weights_and_early_stopping_on_an_output_loss():
    mt, mm = twins(two_outputs)
    compile_both(mt, mm, loss={"out1": "mae", "out2": "categorical_crossentropy"}, loss_weights={"out1": 2.0},
                 metrics={"out2": "accuracy"})
    w = {"out1": np.linspace(0.5, 1.5, 20).astype("float32"), "out2": np.ones(20, "float32")}
    histories = []
    for m, k in ((mt, tk), (mm, minikeras)):
        stop = k.callbacks.EarlyStopping(monitor="val_out1_loss", patience=0, min_delta=0.05)
        histories.append(m.fit([XA, XB], [Y1, Y2], sample_weight=w, batch_size=5, epochs=8, shuffle=False, verbose=0,
                               validation_data=([XA, XB], [Y1, Y2]), callbacks=[stop]))
    assert_same_history(*histories)
    assert len(histories[1].history["loss"]) < 8  # EarlyStopping on an output's loss did stop


def test_summary_text_with_connections():
    mt, mm = twins(two_outputs)
    lines_t, lines_m = [], []
    mt.summary(print_fn=lines_t.append)
    mm.summary(print_fn=lines_m.append)
    assert lines_m == lines_t


def _merge_model(merge):
    def build(k):
        a, b = k.Input(shape=(3,), name="a"), k.Input(shape=(3,), name="b")
        h = merge(k)([k.layers.Dense(3, name="da")(a), k.layers.Dense(3, name="db")(b)])
        return k.Model([a, b], k.layers.Dense(1, name="out")(h))
    return build


MERGES = {"Add": lambda k: k.layers.Add(name="m"), "Subtract": lambda k: k.layers.Subtract(name="m"),
          "Multiply": lambda k: k.layers.Multiply(name="m"), "Average": lambda k: k.layers.Average(name="m"),
          "Maximum": lambda k: k.layers.Maximum(name="m"), "Minimum": lambda k: k.layers.Minimum(name="m"),
          "Concatenate": lambda k: k.layers.Concatenate(name="m"),
          "Dot": lambda k: k.layers.Dot(axes=1, normalize=True, name="m")}


@pytest.mark.parametrize("name", list(MERGES))
def test_each_merge_layer_trains_as_in_tf_keras(name):
    mt, mm = twins(_merge_model(MERGES[name]))
    compile_both(mt, mm, loss="mse")
    fit = dict(batch_size=5, epochs=2, shuffle=False, verbose=0)
    assert_same_history(mt.fit([XA, XB], Y1, **fit), mm.fit([XA, XB], Y1, **fit))
    assert_same_arrays(mt.get_weights(), mm.get_weights())


def _nested(k, freeze=False):
    """A Sequential inside a functional model inside a Sequential."""
    L = k.layers
    inner = k.Sequential([L.Dense(4, activation="tanh", input_shape=(3,), name="i1"), L.Dense(3, name="i2")],
                         name="inner")
    x = k.Input((3,), name="e_in")
    enc = k.Model(x, L.Dense(3, activation="relu", name="e1")(inner(x)), name="enc")
    inner.trainable = not freeze
    return k.Sequential([enc, L.Dense(1, name="head")], name="outer")


@pytest.mark.parametrize("freeze", [False, True], ids=["trainable", "frozen sub-model"])
def test_nested_sequential_and_model_used_as_a_layer(freeze):
    mt, mm = twins(lambda k: _nested(k, freeze))
    assert len(mm.trainable_weights) == len(mt.trainable_weights) == (4 if freeze else 8)
    compile_both(mt, mm, lr=0.05, loss="mse")
    fit = dict(batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert_same_history(mt.fit(XA, Y1, **fit), mm.fit(XA, Y1, **fit))
    assert_same_arrays(mt.get_weights(), mm.get_weights())
    lines_t, lines_m = [], []
    mt.summary(print_fn=lines_t.append)
    mm.summary(print_fn=lines_m.append)
    assert lines_m == lines_t


def test_feature_extractor_of_a_trained_model():
    mt, mm = twins(two_outputs)
    compile_both(mt, mm, loss=["mse", "categorical_crossentropy"])
    fit = dict(batch_size=10, epochs=2, shuffle=False, verbose=0)
    mt.fit([XA, XB], [Y1, Y2], **fit), mm.fit([XA, XB], [Y1, Y2], **fit)
    ft = tk.Model(inputs=mt.input, outputs=mt.get_layer("hidden").output)
    fm = minikeras.Model(inputs=mm.input, outputs=mm.get_layer("hidden").output)
    assert_same_arrays(ft.predict([XA, XB], verbose=0), fm.predict([XA, XB]))


def test_save_load_both_ways(tmp_path):
    mt, mm = twins(two_outputs)
    compile_both(mt, mm, loss=["mse", "categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
    mm.fit([XA, XB], [Y1, Y2], epochs=1, verbose=0)
    mm.save(os.path.join(tmp_path, "mk.h5"))
    from_mk = tk.models.load_model(os.path.join(tmp_path, "mk.h5"))
    assert_same_arrays(mm.predict([XA, XB]), from_mk.predict([XA, XB], verbose=0))
    mt.fit([XA, XB], [Y1, Y2], epochs=1, verbose=0)
    mt.save(os.path.join(tmp_path, "tk.h5"))
    from_tk = minikeras.models.load_model(os.path.join(tmp_path, "tk.h5"))
    assert [layer.name for layer in from_tk.layers] == [layer.name for layer in mt.layers]
    assert_same_arrays(mt.predict([XA, XB], verbose=0), from_tk.predict([XA, XB]))
    fresh = two_outputs(minikeras)
    fresh.load_weights(os.path.join(tmp_path, "tk.h5"), by_name=True)
    assert_same_arrays(mt.predict([XA, XB], verbose=0), fresh.predict([XA, XB]))
