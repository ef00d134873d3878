"""ModelCheckpoint: which files are saved, and the messages, equal tf_keras 2.21's on the same logs.

TF_KERAS was recorded by driving tf_keras 2.21's own ``tf_keras.callbacks.ModelCheckpoint`` with
``tests.callbacks.stubs.drive_epochs`` on a stub model whose ``save``/``save_weights`` only record
their calls (so both libraries are judged on *what* they decide to save, under which name): run

    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/venv/bin/python -m tests.callbacks.test_model_checkpoint

which prints the table. The end-to-end tests with real saving are at the bottom.
"""
import os
import warnings

import numpy as np
import pytest

from minikeras.callbacks.model_checkpoint import ModelCheckpoint
from tests.callbacks.stubs import StubModel, run_captured, tk_callbacks, tk_stub_model
from tests.tolerance import assert_close

NAN = float("nan")
SEQUENCES = {
    "A": [1.0, 0.8, 0.8, 0.7, 0.75, 0.71],
    "F32": [np.float32(0.53125), np.float32(0.36), np.float32(0.41)],
    "ACC": [0.5, 0.6, 0.6, 0.65, 0.64],
    "NAN": [NAN, 0.9, NAN, 0.8],
}

# name: (constructor kwargs, sequence, batches per epoch); the monitor is kwargs.get('monitor', 'val_loss').
SCENARIOS = {
    "every_epoch_pattern": ({"filepath": "w.{epoch:02d}-{val_loss:.2f}.hdf5", "verbose": 1}, "A", 0),
    "numpy_values_in_the_name": ({"filepath": "w.{epoch:02d}-{val_loss:.2f}.hdf5"}, "F32", 0),
    "best_only_verbose": ({"filepath": "best.hdf5", "save_best_only": True, "verbose": 1}, "A", 0),
    "best_only_pattern": ({"filepath": "b{epoch}.h5", "save_best_only": True}, "A", 0),
    "auto_val_acc_is_max": ({"filepath": "a.h5", "monitor": "val_acc", "save_best_only": True, "verbose": 1},
                            "ACC", 0),
    "auto_fmeasure_is_max": ({"filepath": "f.h5", "monitor": "fmeasure_x", "save_best_only": True}, "ACC", 0),
    "auto_acc_gap_is_max": ({"filepath": "g.h5", "monitor": "acc_gap", "save_best_only": True}, "ACC", 0),
    "explicit_min": ({"filepath": "m.h5", "monitor": "val_acc", "mode": "min", "save_best_only": True}, "ACC", 0),
    "unknown_mode_falls_back": ({"filepath": "u.h5", "mode": "bogus", "save_best_only": True}, "A", 0),
    "period_2": ({"filepath": "p{epoch}.h5", "period": 2, "verbose": 1}, "A", 0),
    "period_2_best_only": ({"filepath": "pb{epoch}.h5", "period": 2, "save_best_only": True, "verbose": 1},
                           "A", 0),
    "weights_only": ({"filepath": "w{epoch}.h5", "save_weights_only": True}, "A", 0),
    "weights_only_best": ({"filepath": "wb.h5", "save_weights_only": True, "save_best_only": True}, "A", 0),
    "initial_value_threshold": ({"filepath": "t.h5", "save_best_only": True, "initial_value_threshold": 0.75,
                                 "verbose": 1}, "A", 0),
    "missing_monitor_best_only": ({"filepath": "x.h5", "monitor": "val_mse", "save_best_only": True,
                                   "verbose": 1}, "A", 0),
    "missing_monitor_not_needed": ({"filepath": "y{epoch}.h5", "monitor": "val_mse"}, "A", 0),
    "nan_never_improves": ({"filepath": "n.h5", "save_best_only": True, "verbose": 1}, "NAN", 0),
    "save_freq_3_batches": ({"filepath": "s{epoch}-{batch}.h5", "save_freq": 3, "verbose": 1}, "A", 4),
    "save_freq_ignores_period": ({"filepath": "q{epoch}-{batch}.h5", "save_freq": 5, "period": 3}, "A", 2),
}


def logs_for(kwargs, seq):
    return [{"loss": 0.5, kwargs.get("monitor", "val_loss"): v} for v in SEQUENCES[seq]]


def run(cls, name, model):
    kwargs, seq, batches = SCENARIOS[name]
    logs = logs_for(kwargs, seq)
    if kwargs.get("monitor") == "val_mse":
        logs = logs_for({}, seq)       # the monitor is missing from these logs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        callback = cls(**kwargs)
        model, printed = run_captured(callback, logs, model=model, batches=batches)
    return {"saved": [[kind, path] for kind, path, overwrite in model.saved if overwrite],
            "best": str(callback.best), "printed": printed}


# Recorded from tf_keras 2.21 with the command in the module docstring.
TF_KERAS = {'every_epoch_pattern': {'saved': [['save', 'w.01-1.00.hdf5'], ['save', 'w.02-0.80.hdf5'],
                                   ['save', 'w.03-0.80.hdf5'], ['save', 'w.04-0.70.hdf5'],
                                   ['save', 'w.05-0.75.hdf5'], ['save', 'w.06-0.71.hdf5']],
                         'best': 'inf',
                         'printed': '\n'
                                    'Epoch 1: saving model to w.01-1.00.hdf5\n'
                                    '\n'
                                    'Epoch 2: saving model to w.02-0.80.hdf5\n'
                                    '\n'
                                    'Epoch 3: saving model to w.03-0.80.hdf5\n'
                                    '\n'
                                    'Epoch 4: saving model to w.04-0.70.hdf5\n'
                                    '\n'
                                    'Epoch 5: saving model to w.05-0.75.hdf5\n'
                                    '\n'
                                    'Epoch 6: saving model to w.06-0.71.hdf5\n'},
 'numpy_values_in_the_name': {'saved': [['save', 'w.01-0.53.hdf5'], ['save', 'w.02-0.36.hdf5'],
                                        ['save', 'w.03-0.41.hdf5']],
                              'best': 'inf',
                              'printed': ''},
 'best_only_verbose': {'saved': [['save', 'best.hdf5'], ['save', 'best.hdf5'], ['save', 'best.hdf5']],
                       'best': '0.7',
                       'printed': '\n'
                                  'Epoch 1: val_loss improved from inf to 1.00000, saving model to '
                                  'best.hdf5\n'
                                  '\n'
                                  'Epoch 2: val_loss improved from 1.00000 to 0.80000, saving model to '
                                  'best.hdf5\n'
                                  '\n'
                                  'Epoch 3: val_loss did not improve from 0.80000\n'
                                  '\n'
                                  'Epoch 4: val_loss improved from 0.80000 to 0.70000, saving model to '
                                  'best.hdf5\n'
                                  '\n'
                                  'Epoch 5: val_loss did not improve from 0.70000\n'
                                  '\n'
                                  'Epoch 6: val_loss did not improve from 0.70000\n'},
 'best_only_pattern': {'saved': [['save', 'b1.h5'], ['save', 'b2.h5'], ['save', 'b4.h5']],
                       'best': '0.7',
                       'printed': ''},
 'auto_val_acc_is_max': {'saved': [['save', 'a.h5'], ['save', 'a.h5'], ['save', 'a.h5']],
                         'best': '0.65',
                         'printed': '\n'
                                    'Epoch 1: val_acc improved from -inf to 0.50000, saving model to a.h5\n'
                                    '\n'
                                    'Epoch 2: val_acc improved from 0.50000 to 0.60000, saving model to '
                                    'a.h5\n'
                                    '\n'
                                    'Epoch 3: val_acc did not improve from 0.60000\n'
                                    '\n'
                                    'Epoch 4: val_acc improved from 0.60000 to 0.65000, saving model to '
                                    'a.h5\n'
                                    '\n'
                                    'Epoch 5: val_acc did not improve from 0.65000\n'},
 'auto_fmeasure_is_max': {'saved': [['save', 'f.h5'], ['save', 'f.h5'], ['save', 'f.h5']],
                          'best': '0.65',
                          'printed': ''},
 'auto_acc_gap_is_max': {'saved': [['save', 'g.h5'], ['save', 'g.h5'], ['save', 'g.h5']],
                         'best': '0.65',
                         'printed': ''},
 'explicit_min': {'saved': [['save', 'm.h5']], 'best': '0.5', 'printed': ''},
 'unknown_mode_falls_back': {'saved': [['save', 'u.h5'], ['save', 'u.h5'], ['save', 'u.h5']],
                             'best': '0.7',
                             'printed': ''},
 'period_2': {'saved': [['save', 'p2.h5'], ['save', 'p4.h5'], ['save', 'p6.h5']],
              'best': 'inf',
              'printed': '\n'
                         'Epoch 2: saving model to p2.h5\n'
                         '\n'
                         'Epoch 4: saving model to p4.h5\n'
                         '\n'
                         'Epoch 6: saving model to p6.h5\n'},
 'period_2_best_only': {'saved': [['save', 'pb2.h5'], ['save', 'pb4.h5']],
                        'best': '0.7',
                        'printed': '\n'
                                   'Epoch 2: val_loss improved from inf to 0.80000, saving model to pb2.h5\n'
                                   '\n'
                                   'Epoch 4: val_loss improved from 0.80000 to 0.70000, saving model to '
                                   'pb4.h5\n'
                                   '\n'
                                   'Epoch 6: val_loss did not improve from 0.70000\n'},
 'weights_only': {'saved': [['save_weights', 'w1.h5'], ['save_weights', 'w2.h5'], ['save_weights', 'w3.h5'],
                            ['save_weights', 'w4.h5'], ['save_weights', 'w5.h5'], ['save_weights', 'w6.h5']],
                  'best': 'inf',
                  'printed': ''},
 'weights_only_best': {'saved': [['save_weights', 'wb.h5'], ['save_weights', 'wb.h5'],
                                 ['save_weights', 'wb.h5']],
                       'best': '0.7',
                       'printed': ''},
 'initial_value_threshold': {'saved': [['save', 't.h5']],
                             'best': '0.7',
                             'printed': '\n'
                                        'Epoch 1: val_loss did not improve from 0.75000\n'
                                        '\n'
                                        'Epoch 2: val_loss did not improve from 0.75000\n'
                                        '\n'
                                        'Epoch 3: val_loss did not improve from 0.75000\n'
                                        '\n'
                                        'Epoch 4: val_loss improved from 0.75000 to 0.70000, saving model to '
                                        't.h5\n'
                                        '\n'
                                        'Epoch 5: val_loss did not improve from 0.70000\n'
                                        '\n'
                                        'Epoch 6: val_loss did not improve from 0.70000\n'},
 'missing_monitor_best_only': {'saved': [], 'best': 'inf', 'printed': ''},
 'missing_monitor_not_needed': {'saved': [['save', 'y1.h5'], ['save', 'y2.h5'], ['save', 'y3.h5'],
                                          ['save', 'y4.h5'], ['save', 'y5.h5'], ['save', 'y6.h5']],
                                'best': 'inf',
                                'printed': ''},
 'nan_never_improves': {'saved': [['save', 'n.h5'], ['save', 'n.h5']],
                        'best': '0.8',
                        'printed': '\n'
                                   'Epoch 1: val_loss did not improve from inf\n'
                                   '\n'
                                   'Epoch 2: val_loss improved from inf to 0.90000, saving model to n.h5\n'
                                   '\n'
                                   'Epoch 3: val_loss did not improve from 0.90000\n'
                                   '\n'
                                   'Epoch 4: val_loss improved from 0.90000 to 0.80000, saving model to '
                                   'n.h5\n'},
 'save_freq_3_batches': {'saved': [['save', 's1-3.h5'], ['save', 's2-2.h5'], ['save', 's3-1.h5'],
                                   ['save', 's3-4.h5'], ['save', 's4-3.h5'], ['save', 's5-2.h5'],
                                   ['save', 's6-1.h5'], ['save', 's6-4.h5']],
                         'best': 'inf',
                         'printed': '\n'
                                    'Epoch 1: saving model to s1-3.h5\n'
                                    '\n'
                                    'Epoch 2: saving model to s2-2.h5\n'
                                    '\n'
                                    'Epoch 3: saving model to s3-1.h5\n'
                                    '\n'
                                    'Epoch 3: saving model to s3-4.h5\n'
                                    '\n'
                                    'Epoch 4: saving model to s4-3.h5\n'
                                    '\n'
                                    'Epoch 5: saving model to s5-2.h5\n'
                                    '\n'
                                    'Epoch 6: saving model to s6-1.h5\n'
                                    '\n'
                                    'Epoch 6: saving model to s6-4.h5\n'},
 'save_freq_ignores_period': {'saved': [['save', 'q3-1.h5'], ['save', 'q5-2.h5']],
                              'best': 'inf',
                              'printed': ''}}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_saves_and_messages_match_tf_keras(name):
    assert run(ModelCheckpoint, name, StubModel()) == TF_KERAS[name]


@pytest.mark.tf_keras
def test_live_tf_keras_matches_recording():
    assert record_tf_keras() == TF_KERAS


# --------------------------------------------------------------------------- arguments, one by one
def test_defaults_are_the_seed_documents():
    cb = ModelCheckpoint("w.h5")
    assert (cb.filepath, cb.monitor, cb.verbose, cb.save_best_only, cb.save_weights_only, cb.mode, cb.period,
            cb.save_freq, cb.best) == ("w.h5", "val_loss", 0, False, False, "min", 1, "epoch", np.inf)


def test_seed_positional_order_ends_with_period():
    cb = ModelCheckpoint("w.h5", "val_acc", 1, True, True, "max", 3)
    assert (cb.monitor, cb.verbose, cb.save_best_only, cb.save_weights_only, cb.mode, cb.period) == \
        ("val_acc", 1, True, True, "max", 3)


def test_missing_format_key_is_a_key_error_naming_it_before_anything_is_written():
    model = StubModel()
    cb = ModelCheckpoint("ckpt/weights.{epoch:02d}-{val_los:.2f}.hdf5")
    with pytest.raises(KeyError) as info:
        run_captured(cb, [{"loss": 0.5, "val_loss": 0.4}], model=model)
    message = str(info.value)
    assert 'Failed to format this callback filepath: "ckpt/weights.{epoch:02d}-{val_los:.2f}.hdf5"' in message
    assert "{val_los}" in message and "available keys: loss, val_loss, epoch" in message
    assert model.saved == [] and not os.path.exists("ckpt")


def test_missing_format_key_is_raised_even_when_the_monitor_would_not_improve():
    cb = ModelCheckpoint("{val_acc}.h5", save_best_only=True, initial_value_threshold=0.0)
    with pytest.raises(KeyError, match="val_acc"):
        run_captured(cb, [{"val_loss": 0.4}])


def test_positional_placeholder_is_a_clear_value_error():
    with pytest.raises(ValueError, match="named placeholders"):
        run_captured(ModelCheckpoint("w{}.h5"), [{"val_loss": 0.4}])


def test_a_log_key_named_epoch_does_not_clash():
    model, _ = run_captured(ModelCheckpoint("e{epoch}.h5"), [{"epoch": 99, "val_loss": 0.4}])
    assert model.saved == [("save", "e1.h5", True)]


@pytest.mark.parametrize("kwargs, match", [({"save_freq": "batch"}, "Unrecognized save_freq: 'batch'"),
                                           ({"save_freq": 0}, "save_freq"), ({"period": 0}, "period"),
                                           ({"period": 1.5}, "period")])
def test_bad_frequencies_are_value_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint("w.h5", **kwargs)


def test_unknown_mode_warns():
    with pytest.warns(UserWarning, match="ModelCheckpoint mode bogus is unknown, fallback to auto mode."):
        assert ModelCheckpoint("w.h5", monitor="val_acc", mode="bogus").mode == "max"


def test_missing_monitor_warns_and_does_not_save():
    with pytest.warns(RuntimeWarning, match="Can save best model only with val_acc available, skipping."):
        model, _ = run_captured(ModelCheckpoint("w.h5", monitor="val_acc", save_best_only=True), [{"loss": 1.0}])
    assert model.saved == []


def test_missing_folders_are_created_and_a_folder_path_is_refused(tmp_path):
    model, _ = run_captured(ModelCheckpoint("runs/{epoch}/w.h5"), [{"val_loss": 1.0}] * 2)
    assert [path for _, path, _ in model.saved] == ["runs/1/w.h5", "runs/2/w.h5"]
    assert os.path.isdir("runs/1") and os.path.isdir("runs/2")
    with pytest.raises(ValueError, match="is a folder"):
        run_captured(ModelCheckpoint("runs"), [{"val_loss": 1.0}])


def test_batch_saves_use_one_based_batch_not_the_batch_log_key():
    # minikeras's batch logs carry Keras 2.2.4's 0-based 'batch' and 'size'; {batch} is tf_keras's 1-based.
    model = StubModel()
    cb = ModelCheckpoint("b{epoch}-{batch}-{loss:.1f}.h5", save_freq=2)
    cb.set_model(model)
    cb.on_train_begin({})
    cb.on_epoch_begin(0, {})
    for batch in range(4):
        cb.on_train_batch_end(batch, {"batch": batch, "size": 8, "loss": 0.5})
    assert [path for _, path, _ in model.saved] == ["b1-2-0.5.h5", "b1-4-0.5.h5"]


def test_epoch_checkpoints_do_not_make_fit_call_batch_hooks():
    from minikeras.callbacks.callback_list import CallbackList
    assert not CallbackList([ModelCheckpoint("w.h5")])._batch_hooks["train"]
    assert CallbackList([ModelCheckpoint("w.h5", save_freq=3)])._batch_hooks["train"]


def test_filepath_may_be_a_path_object(tmp_path):
    model, _ = run_captured(ModelCheckpoint(tmp_path / "w{epoch}.h5"), [{"val_loss": 1.0}])
    assert model.saved == [("save", str(tmp_path / "w1.h5"), True)]


# --------------------------------------------------------------------------- end to end, real saving
def seed_data():
    """MNIST-shaped data with a learnable rule, and the seed model's initial weights (numpy, seed 0)."""
    rng = np.random.default_rng(0)
    teacher = rng.normal(size=(784, 10)).astype("float32")
    x = rng.random((640, 784), dtype=np.float32) - np.float32(0.5)
    y = np.eye(10, dtype="float32")[np.argmax(x @ teacher, axis=1)]
    kernel = rng.uniform(-0.05, 0.05, (784, 10)).astype("float32")
    return x[:512], y[:512], x[512:], y[512:], [kernel, np.zeros(10, "float32")]


def seed_model(keras):
    """The seed document's ModelCheckpoint example model, as written (``keras`` = the library)."""
    model = keras.models.Sequential()
    model.add(keras.layers.Dense(10, input_dim=784, kernel_initializer='uniform'))
    model.add(keras.layers.Activation('softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='rmsprop')
    return model


# tf_keras 2.21 on the same run (seed_model, weights from seed_data, batch_size=128, shuffle=False,
# epochs=6, validation_data=(X_test, Y_test), ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5'));
# sorted(os.listdir()) and history.history['val_loss'] were (record_fit_tf_keras() below):
TF_KERAS_FIT_NAMES = ['weights.01-2.31.hdf5', 'weights.02-2.29.hdf5', 'weights.03-2.28.hdf5',
                      'weights.04-2.27.hdf5', 'weights.05-2.26.hdf5', 'weights.06-2.25.hdf5']
TF_KERAS_FIT_VAL_LOSS = [2.3077476024627686, 2.2927279472351074, 2.28010892868042, 2.268742084503174,
                         2.258169651031494, 2.248164653778076]


def test_seed_filename_pattern_gives_tf_keras_names(tmp_path):
    import minikeras
    x_train, y_train, X_test, Y_test, weights = seed_data()
    model = seed_model(minikeras)
    model.set_weights(weights)
    h = model.fit(x_train, y_train, batch_size=128, epochs=6, verbose=0, shuffle=False,
                  validation_data=(X_test, Y_test),
                  callbacks=[ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5')])
    assert_close(h.history["val_loss"], TF_KERAS_FIT_VAL_LOSS, what="val_loss vs tf_keras")
    assert sorted(os.listdir(tmp_path)) == TF_KERAS_FIT_NAMES


def test_seed_example_runs_as_written_and_keeps_the_best_model(tmp_path, capsys):
    import minikeras
    from minikeras.callbacks.callback import Callback
    from minikeras.models import load_model
    x_train, y_train, X_test, Y_test, weights = seed_data()
    path = str(tmp_path / "weights.hdf5")    # the seed's '/tmp/weights.hdf5', in a private folder
    model = seed_model(minikeras)
    snapshots = []

    class Snapshot(Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append(self.model.get_weights())

    checkpointer = ModelCheckpoint(filepath=path, verbose=1, save_best_only=True)
    model.fit(x_train, y_train, batch_size=128, epochs=20, verbose=0,
              validation_data=(X_test, Y_test), callbacks=[checkpointer, Snapshot()])
    val_loss = model.history.history["val_loss"]
    best_epoch = int(np.argmin(val_loss))
    lines = capsys.readouterr().out.split("\n")[1::2]
    assert lines[0] == f"Epoch 1: val_loss improved from inf to {val_loss[0]:.5f}, saving model to {path}"
    assert len(lines) == 20 and all(line.startswith(f"Epoch {i + 1}: val_loss ") for i, line in enumerate(lines))
    assert checkpointer.best == val_loss[best_epoch]
    saved = load_model(path)
    for got, expected in zip(saved.get_weights(), snapshots[best_epoch]):
        np.testing.assert_array_equal(got, expected)


def test_save_weights_only_and_period_in_fit(tmp_path):
    import minikeras
    x_train, y_train, X_test, Y_test, weights = seed_data()
    model = seed_model(minikeras)
    model.fit(x_train, y_train, batch_size=128, epochs=4, verbose=0, shuffle=False,
              callbacks=[ModelCheckpoint("w{epoch}.h5", save_weights_only=True, period=2),
                         ModelCheckpoint("b{epoch}-{batch}.h5", save_freq=3)])
    assert sorted(os.listdir(tmp_path)) == ["b1-3.h5", "b2-2.h5", "b3-1.h5", "b3-4.h5", "b4-3.h5", "w2.h5", "w4.h5"]
    fresh = seed_model(minikeras)
    fresh.load_weights("w4.h5")
    for got, expected in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, expected)


def record_fit_tf_keras():
    """Returns (file names, val_loss) of the seed-pattern run with tf_keras (in the current folder)."""
    tk_callbacks()
    import tf_keras
    x_train, y_train, X_test, Y_test, weights = seed_data()
    model = seed_model(tf_keras)
    model.set_weights(weights)
    h = model.fit(x_train, y_train, batch_size=128, epochs=6, verbose=0, shuffle=False,
                  validation_data=(X_test, Y_test),
                  callbacks=[tf_keras.callbacks.ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5')])
    return sorted(os.listdir()), h.history["val_loss"]


@pytest.mark.tf_keras
def test_live_tf_keras_fit_names(tmp_path):
    names, val_loss = record_fit_tf_keras()
    assert names == TF_KERAS_FIT_NAMES
    assert_close(val_loss, TF_KERAS_FIT_VAL_LOSS, what="tf_keras val_loss now vs recorded")  # another CPU's BLAS


def record_tf_keras():
    """Returns the TF_KERAS table, computed with tf_keras's own ModelCheckpoint."""
    callbacks = tk_callbacks()
    return {name: run(callbacks.ModelCheckpoint, name, tk_stub_model()) for name in SCENARIOS}


if __name__ == "__main__":
    import pprint
    import tempfile
    os.chdir(tempfile.mkdtemp())
    pprint.pprint(record_tf_keras(), width=110, compact=True, sort_dicts=False)
    os.chdir(tempfile.mkdtemp())
    pprint.pprint(record_fit_tf_keras(), width=110, compact=True)
