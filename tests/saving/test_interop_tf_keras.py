"""Live interoperability with real Keras 2 (tf_keras 2.21): files go both ways.

Skipped when tf_keras is not installed (``pip install -e .[conformance]`` brings it).
"""
import os

import numpy as np
import pytest

from minikeras import backend as K
from minikeras import optimizers
from minikeras.models import load_model
from tests.saving import helpers
from tests.tolerance import assert_close
from tests.saving.record_tf_keras import layout, real_tf_keras_file

pytestmark = pytest.mark.tf_keras


@pytest.fixture(scope="module")
def tk():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed; "
                                                  "pip install -e .[conformance] to run the interop tests")


def _max_rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def test_minikeras_model_loads_in_tf_keras(tk, tmp_path):
    model, x, _ = helpers.trained()  # Dense / Dropout / Dense / Activation, RMSprop, 2 epochs
    model.save(tmp_path / "m.h5")
    theirs = tk.models.load_model(tmp_path / "m.h5")
    assert [type(layer).__name__ for layer in theirs.layers] == ["Dense", "Dropout", "Dense", "Activation"]
    assert _max_rel(theirs.predict(x, verbose=0), model.predict(x)) < 1e-6
    opt = theirs.optimizer
    assert type(opt) is tk.optimizers.RMSprop  # the current optimizer (same formula), not the legacy one
    assert np.float32(opt.learning_rate.numpy()) == K.get_value(model.optimizer.lr)
    assert (opt.rho, opt.epsilon, opt.momentum, opt.centered) == (0.9, 1e-7, 0.0, False)
    assert theirs.loss.__name__ == "categorical_crossentropy"
    assert int(opt.iterations.numpy()) == model.optimizer.iterations == 8
    ours = model.optimizer.get_weights()[1:]
    assert all(np.array_equal(v.numpy(), w) for v, w in zip(opt.variables[1:], ours))


@pytest.mark.parametrize("make", [
    lambda: optimizers.RMSprop(learning_rate=0.01),
    lambda: optimizers.Adam(learning_rate=0.01, amsgrad=True),
    lambda: optimizers.SGD(learning_rate=0.1),
    lambda: optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    lambda: optimizers.Adagrad(learning_rate=0.05),
    lambda: optimizers.Adamax(learning_rate=0.01),
    lambda: optimizers.SGD(lr=0.05, decay=1e-2, momentum=0.9),  # decay: tf_keras's legacy SGD
], ids=["RMSprop", "Adam-amsgrad", "SGD", "SGD-nesterov", "Adagrad", "Adamax", "SGD-decay"])
def test_tf_keras_continues_a_minikeras_file_as_minikeras_does(tk, tmp_path, make):
    model, x, y = helpers.trained(optimizer=make(), dropout=False)
    model.save(tmp_path / "m.h5")
    theirs = tk.models.load_model(tmp_path / "m.h5")
    history = theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    ours = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    assert _max_rel(history["loss"], ours["loss"]) < 1e-5
    assert _max_rel(theirs.get_weights()[0], model.get_weights()[0]) < 1e-4


def test_tf_keras_model_file_loads_here(tk, tmp_path):
    x, y = helpers.data()
    tk.backend.clear_session()
    tk.utils.set_random_seed(3)
    theirs = tk.Sequential([tk.layers.Dense(8, input_dim=5, activation="relu"), tk.layers.Dropout(0.3),
                            tk.layers.Dense(3), tk.layers.Activation("softmax")])
    theirs.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy", "mse"])
    theirs.fit(x, y, batch_size=16, epochs=2, verbose=0)
    theirs.save(tmp_path / "tk.h5")
    theirs.save_weights(tmp_path / "tk_w.h5")
    model = load_model(tmp_path / "tk.h5")
    assert _max_rel(model.predict(x), theirs.predict(x, verbose=0)) < 1e-6
    assert type(model.optimizer) is optimizers.Adam and model.optimizer.iterations == 8
    assert model.compiled_metrics == ["accuracy", "mse"]
    theirs_m = {v.name[len("Adam/m/"):]: v.numpy() for v in theirs.optimizer.variables  # 'Adam/m/dense/kernel:0'
                if v.name.startswith("Adam/m/")}
    ours_m = dict(zip(["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"],
                      model.optimizer.get_weights()[1:5]))  # slot-major: all m first
    assert sorted(theirs_m) == sorted(ours_m)
    assert all(np.array_equal(theirs_m[name], value) for name, value in ours_m.items())
    other = helpers.mlp(dropout=True)
    other.load_weights(tmp_path / "tk_w.h5")
    assert _max_rel(other.predict(x), theirs.predict(x, verbose=0)) < 1e-6


def test_tf_keras_model_file_continues_here_as_in_tf_keras(tk, tmp_path):
    x, y = helpers.data()
    theirs = real_tf_keras_file(tmp_path / "tk.h5")  # Dense/Dense/Activation, RMSprop(0.01), 1 epoch
    model = load_model(tmp_path / "tk.h5")
    expected = theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    assert _max_rel(history["loss"], expected["loss"]) < 1e-5
    assert_close(history["accuracy"], expected["accuracy"], what="accuracy vs tf_keras")


def test_recorded_tf_keras_file_is_what_tf_keras_writes_and_reads(tk, tmp_path):
    real_tf_keras_file(tmp_path / "real.h5")
    helpers.write_tk_file(tmp_path / "fake.h5")
    assert layout(tmp_path / "real.h5") == layout(tmp_path / "fake.h5")
    theirs = tk.models.load_model(tmp_path / "fake.h5")
    x, y = helpers.data()
    assert _max_rel(theirs.predict(x[:4], verbose=0), helpers.TK_PREDICTIONS) < 1e-6
    history = theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    assert _max_rel(history["loss"], helpers.TK_CONTINUED["loss"]) < 1e-6
