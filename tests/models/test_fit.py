"""fit / evaluate / predict end to end: epoch means, validation, weights, resuming, stopping, errors."""
import warnings

import numpy as np
import pytest

import minikeras
from minikeras import backend
from minikeras.callbacks import Callback, LambdaCallback
from minikeras.layers import Activation, Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD


def frozen_mae_model():
    """Dense(1) with zero weights and lr=0: the loss of a sample is |y|, and it never changes."""
    model = Sequential([Dense(1, input_dim=2, kernel_initializer="zeros")])
    model.compile(optimizer=SGD(learning_rate=0.0), loss="mae")
    return model


X10 = np.zeros((10, 2), "float32")
Y10 = np.arange(10, dtype="float32")


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    # batches 4/4/2 with per-sample losses 0..9: sample mean 4.5, mean of batch means 5.1667
    h = frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=1, verbose=0, shuffle=False)
    assert h.history["loss"] == [pytest.approx(4.5)]


def test_batch_logs_are_running_means():
    seen = []
    cb = LambdaCallback(on_batch_end=lambda b, logs: seen.append(logs["loss"]))
    frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=1, verbose=0, shuffle=False, callbacks=[cb])
    assert seen == pytest.approx([1.5, 3.5, 4.5])  # means of 0..3, 0..7, 0..9


def test_sample_weight_divides_by_the_number_of_samples():
    w = np.array([1.0] * 9 + [10.0])
    h = frozen_mae_model().fit(X10, Y10, sample_weight=w, batch_size=5, epochs=1, verbose=0, shuffle=False)
    assert h.history["loss"] == [pytest.approx(12.6)]  # sum(w*l)/N, as tf_keras


def test_class_weight_equals_the_matching_sample_weight():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype("float32")
    labels = rng.integers(0, 2, 40)
    y = np.eye(2, dtype="float32")[labels]
    results = []
    for kwargs in ({"class_weight": {0: 1.0, 1: 3.0}}, {"sample_weight": np.where(labels == 1, 3.0, 1.0)}):
        backend.set_seed(1)
        model = Sequential([Dense(2, input_dim=3, activation="softmax")])
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
        results.append(model.fit(x, y, epochs=2, verbose=0, shuffle=False, **kwargs).history["loss"])
    assert results[0] == results[1]
    with pytest.raises(ValueError, match="class_weight has no weight for class"):
        model.fit(x, y, class_weight={0: 1.0}, verbose=0)


def test_validation_split_takes_the_last_rows_before_shuffling():
    h = frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=1, verbose=0, validation_split=0.35)
    assert h.history["loss"] == [pytest.approx(2.5)]      # rows 0..5
    assert h.history["val_loss"] == [pytest.approx(7.5)]  # rows 6..9


def test_validation_data_wins_over_split_and_validation_freq():
    h = frozen_mae_model().fit(X10, Y10, epochs=4, verbose=0, validation_split=0.5,
                               validation_data=(X10[:2], Y10[:2]), validation_freq=2)
    assert h.history["val_loss"] == [pytest.approx(0.5)] * 2  # epochs 2 and 4 only
    assert len(h.history["loss"]) == 4
    h = frozen_mae_model().fit(X10, Y10, epochs=3, verbose=0, validation_data=(X10, Y10), validation_freq=[1, 3])
    assert len(h.history["val_loss"]) == 2


def test_initial_epoch_numbers_epochs_absolutely():
    model = frozen_mae_model()
    seen = []
    h = model.fit(X10, Y10, epochs=4, initial_epoch=2, verbose=0,
                  callbacks=[LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(e))])
    assert h.epoch == [2, 3] and seen == [2, 3]
    assert model.history is h


def test_stop_training_in_a_batch_still_validates_and_ends_the_epoch():
    class StopAfterFirstBatch(Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = True

        def on_train_end(self, logs=None):
            self.end_logs = dict(logs)

    cb = StopAfterFirstBatch()
    h = frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=5, verbose=0, shuffle=False,
                               validation_data=(X10, Y10), callbacks=[cb])
    assert h.epoch == [0]
    assert h.history["loss"] == [pytest.approx(1.5)]  # only batch 0 ran
    assert h.history["val_loss"] == [pytest.approx(4.5)]
    assert cb.end_logs == {"loss": pytest.approx(1.5), "val_loss": pytest.approx(4.5)}


def test_steps_per_epoch_runs_on_across_passes_and_warns_when_data_runs_out():
    # tf_keras 2.21 repeats the arrays `epochs - initial_epoch` times and keeps consuming them
    seen = []
    cb = LambdaCallback(on_batch_begin=lambda b, logs: seen.append(logs["size"]))
    h = frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=3, steps_per_epoch=2, verbose=0,
                               shuffle=False, callbacks=[cb])
    assert seen == [4, 4, 2, 4, 4, 2]  # pass 1: 4,4,2 then pass 2 begins in epoch 2
    assert h.epoch == [0, 1, 2]
    seen.clear()
    with pytest.warns(UserWarning, match="ran out of data"):
        h = frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=2, steps_per_epoch=4, verbose=0,
                                   shuffle=False, callbacks=[cb])
    assert seen == [4, 4, 2, 4, 4, 2]  # 2 passes = 6 batches; epoch 2 stops after 2 of its 4
    assert h.epoch == [0, 1]


def test_fit_is_bit_reproducible_with_a_seed():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 64)]

    def run():
        minikeras.utils.set_random_seed(42)
        model = Sequential([Dense(8, input_dim=5, activation="relu"), minikeras.layers.Dropout(0.3),
                            Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        h = model.fit(x, y, batch_size=8, epochs=3, verbose=0, validation_split=0.25)
        return model.get_weights(), h.history

    (w1, h1), (w2, h2) = run(), run()
    assert h1 == h2
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)


def test_shuffle_batch_keeps_blocks_together():
    sums, seen = [], [0]

    def on_batch_end(batch, logs):
        seen[0] += logs["size"]
        sums.append(round(logs["loss"] * seen[0]))  # running mean * samples seen = cumulative sum

    backend.set_seed(0)
    frozen_mae_model().fit(X10, Y10, batch_size=4, epochs=1, verbose=0, shuffle="batch",
                           callbacks=[LambdaCallback(on_batch_end=on_batch_end)])
    block_sums = np.diff([0] + sums).tolist()
    assert sorted(block_sums[:2]) == [6, 22]  # blocks {0..3} and {4..7}, in either order
    assert block_sums[2] == 17                 # the short last block {8, 9} stays last


def test_evaluate_predict_and_single_batch_methods():
    model = frozen_mae_model()
    assert model.evaluate(X10, Y10, verbose=0) == pytest.approx(4.5)
    assert model.evaluate(X10, Y10, verbose=0, return_dict=True) == {"loss": pytest.approx(4.5)}
    np.testing.assert_array_equal(model.predict(X10), np.zeros((10, 1), "float32"))
    assert model.train_on_batch(X10[:4], Y10[:4]) == pytest.approx(1.5)
    assert model.test_on_batch(X10[4:], Y10[4:]) == pytest.approx(6.5)
    assert model.predict_on_batch(X10[:3]).shape == (3, 1)


def test_metrics_names_and_log_keys():
    model = Sequential([Dense(3, input_dim=4, activation="softmax")])

    def mean_pred(y_true, y_pred):
        return backend.mean(y_pred)

    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["acc", "mse", mean_pred])
    assert model.metrics_names == ["loss", "acc", "mse", "mean_pred"]
    x = np.random.default_rng(0).normal(size=(12, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[np.arange(12) % 3]
    h = model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y))
    assert list(h.history) == ["loss", "acc", "mse", "mean_pred", "val_loss", "val_acc", "val_mse", "val_mean_pred"]
    assert h.history["mean_pred"][0] == pytest.approx(1 / 3, rel=1e-5)  # softmax rows sum to 1
    loss, acc, mse, mp = model.evaluate(x, y, verbose=0)
    assert 0.0 <= acc <= 1.0 and mp == pytest.approx(1 / 3, rel=1e-5)


def test_saturated_softmax_loss_is_computed_from_logits_like_tf_keras():
    # tf_keras 2.21: Dense(softmax) with logits (1000, 0), true class 1 -> fit/evaluate loss 1000.0
    model = Sequential([Dense(2, input_dim=1, activation="softmax", use_bias=False)])
    model.set_weights([np.array([[1000.0, 0.0]], "float32")])
    model.compile(optimizer=SGD(learning_rate=0.0), loss="categorical_crossentropy")
    x, y = np.ones((1, 1), "float32"), np.array([[0.0, 1.0]], "float32")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1000.0)
    assert model.fit(x, y, verbose=0).history["loss"] == [pytest.approx(1000.0)]


def test_separate_activation_layer_is_fused_too():
    model = Sequential([Dense(2, input_dim=1, use_bias=False), Activation("softmax")])
    model.set_weights([np.array([[1000.0, 0.0]], "float32")])
    model.compile(optimizer=SGD(learning_rate=0.0), loss="categorical_crossentropy")
    assert model.evaluate(np.ones((1, 1)), np.array([[0.0, 1.0]]), verbose=0) == pytest.approx(1000.0)


def test_layers_build_when_the_input_shape_is_known():
    model = Sequential()
    model.add(Dense(4))
    assert not model.built
    model.add(Dense(2))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((3, 5)), np.ones((3, 2)), verbose=0)
    assert model.built and model.layers[0].kernel.shape == (5, 4)
    assert Sequential([Dense(3, input_dim=5)]).get_weights()[0].shape == (5, 3)


# --------------------------------------------------------------------------- bad input, before any work
def tiny_model():
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    return model


GOOD_X = np.ones((6, 3), "float32")
GOOD_Y = np.eye(2, dtype="float32")[[0, 1, 0, 1, 0, 1]]


@pytest.mark.parametrize("kwargs, error, words", [
    ({"x": np.ones((5, 3))}, ValueError, "same number of samples"),
    ({"x": np.ones((6, 4))}, ValueError, "expects inputs of shape"),
    ({"y": np.ones((6, 3))}, ValueError, "output has shape"),
    ({"y": np.array([0, 1, 0, 1, 0, 1])}, ValueError, "to_categorical"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": -3}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"validation_split": 1.0}, ValueError, "validation_split"),
    ({"validation_split": -0.1}, ValueError, "validation_split"),
    ({"x": np.array([["a", "b", "c"]] * 6)}, TypeError, "dtype"),
    ({"epochs": -1}, ValueError, "epochs"),
    ({"verbose": 3}, ValueError, "verbose"),
    ({"validation_data": (GOOD_X,)}, ValueError, "validation_data"),
    ({"validation_data": (np.ones((2, 5)), GOOD_Y[:2])}, ValueError, "expects inputs"),
    ({"callbacks": [print]}, TypeError, "Callback"),
    ({"shuffle": "yes"}, ValueError, "shuffle"),
])
def test_bad_fit_input_raises_before_training(kwargs, error, words):
    model = tiny_model()
    before = model.get_weights()
    calls = []
    args = {"x": GOOD_X, "y": GOOD_Y, "verbose": 0,
            "callbacks": [LambdaCallback(on_train_begin=lambda logs: calls.append(1))]}
    args.update(kwargs)
    with pytest.raises(error, match=words):
        model.fit(**args)
    assert calls == []
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("compile_kwargs, words", [
    ({"loss": "categorical_crossentropyy"}, "categorical_crossentropyy"),
    ({"loss": "mse", "optimizer": "rmsprob"}, "rmsprob"),
    ({"loss": "mse", "metrics": ["acuracy"]}, "acuracy"),
    ({}, "loss"),
])
def test_unknown_names_in_compile(compile_kwargs, words):
    with pytest.raises(ValueError, match=words):
        Sequential([Dense(1, input_dim=1)]).compile(**compile_kwargs)


def test_fit_before_compile_says_so():
    with pytest.raises(RuntimeError, match="compile"):
        Sequential([Dense(1, input_dim=1)]).fit(np.ones((2, 1)), np.ones((2, 1)))


def test_no_warnings_in_a_plain_fit():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny_model().fit(GOOD_X, GOOD_Y, verbose=0, validation_split=0.5)


def test_sparse_labels_reach_custom_metrics_as_a_column_like_tf_keras():
    def mean_abs_label_gap(y_true, y_pred):
        assert y_true.shape == (len(y_pred), 1)
        return backend.mean(backend.abs(y_pred - y_true), axis=-1)

    model = Sequential([Dense(3, input_dim=2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["Accuracy", mean_abs_label_gap])
    h = model.fit(np.ones((6, 2)), np.array([0, 1, 2, 0, 1, 2]), epochs=1, verbose=0)
    assert list(h.history) == ["loss", "Accuracy", "mean_abs_label_gap"]
    assert 0.0 <= h.history["Accuracy"][0] <= 1.0


def test_callbacks_get_keras_2_validation_data():
    """Keras 2.2.4 set callback.validation_data = [x_val, y_val, sample_weights]; old tutorials use it."""
    got = {}

    class Peek(Callback):
        def on_train_begin(self, logs=None):
            got["data"] = self.validation_data

    x_val, y_val = np.arange(4.0).reshape(2, 2), np.array([1.0, 2.0])
    model = frozen_mae_model()
    model.fit(X10, Y10, verbose=0, validation_data=(x_val, y_val), callbacks=[Peek()])
    np.testing.assert_array_equal(got["data"][0], x_val)
    np.testing.assert_array_equal(got["data"][1], y_val.reshape(2, 1))
    np.testing.assert_array_equal(got["data"][2], np.ones(2))
    model.fit(X10, Y10, verbose=0, callbacks=[Peek()])
    assert got["data"] is None


def test_fit_does_not_keep_its_shuffled_copy_alive():
    import gc
    import weakref
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    copies = []
    original = minikeras.models.batching.BatchStream._gather

    def spy(self, order):
        out = original(self, order)
        copies.append(weakref.ref(self._buffers[0]))
        return out

    minikeras.models.batching.BatchStream._gather = spy
    try:
        model.fit(GOOD_X, GOOD_Y, batch_size=2, epochs=2, verbose=0, shuffle=True)
    finally:
        minikeras.models.batching.BatchStream._gather = original
    gc.collect()
    assert copies and all(ref() is None for ref in copies)  # layers no longer hold a batch view of it


def test_sparse_labels_per_timestep_take_both_shapes_and_wrong_lengths_are_refused():
    """A (B, T, C) softmax output takes sparse labels shaped (B, T) or (B, T, 1), as tf_keras;
    labels for another number of steps are refused before training, naming both shapes."""
    from minikeras.layers import Input, TimeDistributed
    from minikeras.models import Model
    backend.reset_uids()
    inputs = Input((5, 3))
    model = Model(inputs, TimeDistributed(Dense(4, activation="softmax"))(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(6, 5, 3)).astype("float32")
    y = np.random.default_rng(1).integers(0, 4, size=(6, 5))
    flat = model.evaluate(x, y, verbose=0)
    column = model.evaluate(x, y[..., None], verbose=0)
    probs = model.predict(x, verbose=0)
    expected = -np.log(np.take_along_axis(probs, y[..., None], axis=-1)).mean()
    np.testing.assert_allclose(flat, column, rtol=1e-6)
    np.testing.assert_allclose(flat[0], expected, rtol=1e-5)
    np.testing.assert_allclose(flat[1], (probs.argmax(-1) == y).mean(), rtol=1e-6)
    with pytest.raises(ValueError, match=r"y has shape \(6, 4\).*\(None, 5\) or \(None, 5, 1\)"):
        model.fit(x, y[:, :4], verbose=0)


class _StopAtBatch(Callback):
    def __init__(self, how):
        super().__init__()
        self.how = how

    def on_train_batch_end(self, batch, logs=None):
        if batch == 5 and self.how == "raise":
            raise KeyboardInterrupt
        if batch == 5 and self.how == "stop_training":
            self.model.stop_training = True


@pytest.mark.parametrize("how", ["full passes", "steps_per_epoch across passes", "stop_training", "raise"])
def test_fit_frees_its_shuffled_copy_when_it_ends_without_waiting_for_the_cycle_collector(how):
    # addition_rnn.py calls fit 199 times: each call's data-sized shuffled copy must go at once
    import gc
    import tracemalloc
    x = np.random.default_rng(0).random((4000, 50)).astype("float32")          # 0.8 MB
    y = np.eye(2, dtype="float32")[np.arange(4000) % 2]
    model = Sequential([Dense(2, input_dim=50, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy")
    kwargs = {"steps_per_epoch across passes": dict(steps_per_epoch=40, epochs=3),
              "stop_training": dict(callbacks=[_StopAtBatch("stop_training")]),
              "raise": dict(callbacks=[_StopAtBatch("raise")])}.get(how, {})
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        for _ in range(5):
            try:
                model.fit(x, y, batch_size=64, verbose=0, **{"epochs": 1, **kwargs})
            except KeyboardInterrupt:
                pass
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    assert held < x.nbytes   # before: one shuffled copy of x and y per call (4.2 MB after 5 calls)


def test_steps_with_arrays_uses_the_first_batches_as_tf_keras():
    # tf_keras 2.21: predict(100 rows, batch_size=32, steps=1) -> (32, 1); steps=0 is refused
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x = np.arange(200, dtype="float32").reshape(100, 2) / 100
    y = np.ones((100, 1), "float32")
    out = model.predict(x, batch_size=32, steps=1)
    np.testing.assert_allclose(out, model.predict(x[:32], batch_size=32), rtol=1e-6)
    assert model.predict(x, batch_size=32, steps=10).shape == (100, 1)          # more steps than batches
    assert model.evaluate(x, y, batch_size=32, steps=2, verbose=0) == pytest.approx(
        model.evaluate(x[:64], y[:64], batch_size=32, verbose=0), rel=1e-6)
    with pytest.raises(ValueError, match="steps must be an int >= 1, got 0"):
        model.predict(x, steps=0)
