"""BackupAndRestore: an interrupted fit resumes where it stopped and ends bit-identical."""
import json
import os
import signal
import subprocess
import sys

import h5py
import numpy as np
import pytest

from minikeras import backend
from minikeras.callbacks import BackupAndRestore, Callback, LearningRateScheduler
from minikeras.callbacks.training_state import STATE_FILE
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential
from minikeras.optimizers import SGD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RNG = np.random.default_rng(0)
X = RNG.normal(size=(50, 4)).astype("float32")
Y = np.eye(3, dtype="float32")[RNG.integers(0, 3, 50)]


class Interrupt(Callback):
    """Raises before training batch ``batch`` of epoch ``epoch`` (``batch=None``: at the epoch's start)."""

    def __init__(self, epoch, batch=None):
        super().__init__()
        self.at, self.epoch = (epoch, batch), None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        if self.at == (epoch, None):
            raise RuntimeError("Interrupting!")

    def on_train_batch_begin(self, batch, logs=None):
        if self.at == (self.epoch, batch):
            raise RuntimeError("Interrupting!")


def run(backup_dir, interrupt=None, save_freq="epoch", dropout_seed=None, epochs=6, extra=(), **kwargs):
    """The 'same command' every time: seed, build, compile, fit (40 training rows: 5 batches of 8)."""
    backend.clear_session()
    backend.set_seed(1)
    model = Sequential([Dense(8, input_dim=4, activation="relu"), Dropout(0.3, seed=dropout_seed),
                        Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    callbacks = [BackupAndRestore(backup_dir, save_freq=save_freq, **kwargs),
                 LearningRateScheduler(lambda epoch, lr: lr * 0.9), *extra]
    if interrupt:
        callbacks.append(Interrupt(*interrupt))
    history = model.fit(X, Y, batch_size=8, epochs=epochs, verbose=0, validation_split=0.2, callbacks=callbacks)
    return model, history


def assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        assert wa.dtype == wb.dtype and wa.tobytes() == wb.tobytes()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run (BackupAndRestore draws no random numbers, so one serves every save_freq)."""
    return run(tmp_path_factory.mktemp("reference"))


@pytest.mark.parametrize("save_freq, interrupt, resumed_epochs", [
    ("epoch", (3,), [3, 4, 5]),          # killed at the start of epoch 3: epochs 0-2 backed up
    ("epoch", (3, 2), [3, 4, 5]),        # killed in epoch 3: its partial work is redone
    ("epoch", (0, 3), [0, 1, 2, 3, 4, 5]),  # nothing backed up yet: starts from scratch
    (3, (2, 4), [2, 3, 4, 5]),           # every 3 batches across epochs: resumes mid-epoch 2
    (5, (3, 1), [3, 4, 5]),              # backed up after epoch 2's last batch: resumes at epoch 3
    (7, (4, 0), [2, 3, 4, 5]),           # backups after batches 7, 14, 21 (counted from 1 across epochs):
    (7, (4, 1), [4, 5]),                 # the 14th is batch 3 of epoch 2, the 21st batch 0 of epoch 4
])
@pytest.mark.parametrize("dropout_seed", [None, 5])
def test_interrupted_run_resumes_and_ends_bit_identical(tmp_path, reference, save_freq, interrupt, resumed_epochs,
                                                        dropout_seed):
    ref_model, ref_history = reference if dropout_seed is None else run(tmp_path / "ref", dropout_seed=dropout_seed)
    with pytest.raises(RuntimeError, match="Interrupting!"):
        run(tmp_path / "backup", interrupt, save_freq, dropout_seed)
    model, history = run(tmp_path / "backup", None, save_freq, dropout_seed)
    assert history.epoch == resumed_epochs
    assert_same_weights(model, ref_model)
    first = resumed_epochs[0]
    assert history.history == {key: values[first:] for key, values in ref_history.history.items()}
    assert os.listdir(tmp_path / "backup") == []   # deleted at the end; the folder stays, as in tf_keras


def test_optimizer_state_and_learning_rate_are_restored(tmp_path, reference):
    with pytest.raises(RuntimeError):
        run(tmp_path, (4,))
    with h5py.File(tmp_path / STATE_FILE) as f:
        state = json.loads(f.attrs["state"])
        assert state["epoch"] == 4 and state["step"] == 0
        assert f["optimizer_weights/0"][()] == 4 * 5            # Adam's iterations after 4 epochs
        assert len(f["optimizer_weights"]) == 1 + 2 * 4          # iterations, m and v of 4 weights
        assert state["learning_rate"] == pytest.approx(0.001 * 0.9 ** 4, rel=1e-6)   # the scheduler's, float32
        assert state["learning_rate"] == float(np.float32(state["learning_rate"]))
    model, _ = run(tmp_path)
    assert model.optimizer.iterations == reference[0].optimizer.iterations == 30
    assert model.optimizer.learning_rate.numpy() == reference[0].optimizer.learning_rate.numpy()
    for a, b in zip(model.optimizer.get_weights(), reference[0].optimizer.get_weights(), strict=True):
        assert np.array_equal(a, b)


# Recorded from tf_keras 2.21 by running tf_keras_docstring_example(tf_keras, dir) below (the example
# of tf_keras's BackupAndRestore docstring; x scaled down so that SGD does not overflow, y given the
# output's shape): interrupted at the start of epoch 4, the second fit runs epochs [4..9]:
TK_RESUMED_EPOCHS = [4, 5, 6, 7, 8, 9]
TK_ITERATIONS_AFTER = 50          # model.optimizer.iterations after the second fit
TK_FOLDER_AFTER = []              # os.listdir(backup_dir) after it: the folder stays, empty


def tf_keras_docstring_example(keras, backup_dir):
    class Interrupting(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 4:
                raise RuntimeError("Interrupting!")

    callback = keras.callbacks.BackupAndRestore(backup_dir=backup_dir)
    model = keras.models.Sequential([keras.layers.Dense(10, input_dim=20)])
    model.compile(keras.optimizers.SGD(), loss="mse")
    x, y = np.arange(100).reshape(5, 20) / 100, np.zeros((5, 10))   # docstring: arange(100), zeros(5)
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=10, batch_size=1, callbacks=[callback, Interrupting()], verbose=0)
    history = model.fit(x, y, epochs=10, batch_size=1, callbacks=[callback], verbose=0)
    return history.epoch, int(np.asarray(model.optimizer.iterations)), os.listdir(backup_dir)


def test_tf_keras_docstring_example(tmp_path):
    import minikeras
    assert tf_keras_docstring_example(minikeras, str(tmp_path / "backup")) == \
        (TK_RESUMED_EPOCHS, TK_ITERATIONS_AFTER, TK_FOLDER_AFTER)


def test_tf_keras_docstring_example_live(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    assert tf_keras_docstring_example(tf_keras, str(tmp_path / "backup")) == \
        (TK_RESUMED_EPOCHS, TK_ITERATIONS_AFTER, TK_FOLDER_AFTER)


def test_without_a_backup_fit_starts_at_initial_epoch(tmp_path):
    model = Sequential([Dense(1, input_dim=4)])
    model.compile(optimizer=SGD(), loss="mse")
    history = model.fit(X, Y[:, 0], epochs=4, initial_epoch=2, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
    assert history.epoch == [2, 3]


def test_delete_checkpoint_false_keeps_the_backup_and_a_rerun_trains_nothing(tmp_path, reference):
    model, history = run(tmp_path, delete_checkpoint=False)
    assert os.listdir(tmp_path) == [STATE_FILE]
    again, history = run(tmp_path, delete_checkpoint=False)
    assert history.epoch == [] and history.history == {}
    assert_same_weights(again, reference[0])


def test_a_backup_of_another_model_is_refused_before_any_change(tmp_path):
    with pytest.raises(RuntimeError):
        run(tmp_path, (2,))
    model = Sequential([Dense(5, input_dim=4), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    before = model.get_weights()
    with pytest.raises(ValueError, match="another model.*Delete it"):
        model.fit(X, Y, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    model = Sequential([Dense(8, input_dim=4, activation="relu"), Dropout(0.3), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")   # Adam's slots do not fit SGD
    with pytest.raises(ValueError, match="another optimizer"):
        model.fit(X, Y, verbose=0, callbacks=[BackupAndRestore(tmp_path)])


def test_a_foreign_file_in_backup_dir_is_refused(tmp_path):
    with h5py.File(tmp_path / STATE_FILE, "w") as f:
        f.attrs["state"] = json.dumps({"format": "something else"})
    with pytest.raises(ValueError, match="not a BackupAndRestore backup"):
        run(tmp_path)
    (tmp_path / STATE_FILE).write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        run(tmp_path)


def test_a_mid_epoch_backup_needs_the_same_save_freq(tmp_path):
    with pytest.raises(RuntimeError):
        run(tmp_path, (2, 4), save_freq=3)
    with pytest.raises(ValueError, match="same save_freq"):
        run(tmp_path)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"backup_dir": None}, TypeError, "backup_dir"),
    ({"backup_dir": ""}, TypeError, "backup_dir"),
    ({"save_freq": 0}, ValueError, "save_freq"),
    ({"save_freq": False}, ValueError, "save_freq"),
    ({"save_freq": -1}, ValueError, "save_freq"),
    ({"save_freq": "batch"}, ValueError, "save_freq"),
    ({"save_freq": 2.5}, ValueError, "save_freq"),
    ({"save_before_preemption": True}, ValueError, "save_before_preemption"),
])
def test_bad_arguments(tmp_path, kwargs, error, words):
    with pytest.raises(error, match=words):
        BackupAndRestore(**{"backup_dir": tmp_path, **kwargs})


def test_backup_dir_inside_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ValueError, match="backup_dir.*is a file"):
        BackupAndRestore(tmp_path / "afile" / "backup")


# --------------------------------------------------------------------------- a real kill, a real restart
_SCRIPT = """
import sys
import time
import numpy as np
from minikeras import backend
from minikeras.callbacks import BackupAndRestore, LambdaCallback, LearningRateScheduler
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential

backup_dir, out, save_freq = sys.argv[1], sys.argv[2], sys.argv[3]
rng = np.random.default_rng(0)
x = rng.normal(size=(600, 10)).astype('float32')
y = np.eye(3, dtype='float32')[rng.integers(0, 3, 600)]
backend.set_seed(7)
model = Sequential([Dense(32, input_dim=10, activation='relu'), Dropout(0.25), Dense(3, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
def say(epoch, logs):
    print('epoch', epoch, flush=True)
    time.sleep(0.1)   # the parent's SIGKILL lands here, in the epoch it was meant for

history = model.fit(x, y, batch_size=16, epochs=6, verbose=0, validation_split=0.1, callbacks=[
    BackupAndRestore(backup_dir, save_freq=save_freq if save_freq == 'epoch' else int(save_freq)),
    LearningRateScheduler(lambda epoch, lr: lr * 0.9), LambdaCallback(on_epoch_begin=say)])
np.savez(out, *model.get_weights())
print('done', history.epoch, flush=True)
"""


def _start(tmp_path, save_freq, out):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    return subprocess.Popen([sys.executable, str(script), str(tmp_path / "backup"), str(out), str(save_freq)],
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=ROOT))


def _run_to_end(tmp_path, save_freq, out):
    child = _start(tmp_path, save_freq, out)
    lines = child.communicate(timeout=120)[0].split("\n")
    assert child.returncode == 0
    return [int(line.split()[1]) for line in lines if line.startswith("epoch")]


def _weights(path):
    with np.load(path) as f:
        return [f[f"arr_{i}"] for i in range(len(f.files))]


@pytest.fixture(scope="module")
def child_reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("child_reference")
    _run_to_end(folder, "epoch", folder / "ref.npz")
    return _weights(folder / "ref.npz")


@pytest.mark.parametrize("save_freq, kill_in_epoch", [("epoch", 3), (7, 2)])
def test_sigkilled_process_restarted_with_the_same_command_ends_bit_identical(tmp_path, child_reference,
                                                                             save_freq, kill_in_epoch):
    child = _start(tmp_path, save_freq, tmp_path / "killed.npz")
    try:
        for line in child.stdout:
            if line.strip() == f"epoch {kill_in_epoch}":
                child.send_signal(signal.SIGKILL)    # while epoch `kill_in_epoch` is training
                break
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL and not (tmp_path / "killed.npz").exists()
    resumed = _run_to_end(tmp_path, save_freq, tmp_path / "resumed.npz")
    # 'epoch': epochs 0..k-1 were backed up; every 7 batches: the last backup was in epoch k-1 or k
    assert resumed[0] == kill_in_epoch if save_freq == "epoch" else resumed[0] in (kill_in_epoch - 1, kill_in_epoch)
    assert resumed == list(range(resumed[0], 6))
    for a, b in zip(_weights(tmp_path / "resumed.npz"), child_reference, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert os.listdir(tmp_path / "backup") == []


# --------------------------------------------------------------------------- issue 14: the whole backup checked first (item 6)
def _damage(path, how):
    with h5py.File(path, "r+") as f:
        state = json.loads(f.attrs["state"])
        if how == "string dataset":
            del f["model_weights/2"]
            f["model_weights/2"] = np.array([b"a"] * 8)
        elif how == "layer 99":
            state["random"]["layers"] = {"99": state["random"]["backend"]}
        elif how == "epoch 1.5":
            state["epoch"] = 1.5
        elif how == "nan learning rate":
            state["learning_rate"] = float("nan")
        elif how == "inf learning rate":
            state["learning_rate"] = float("inf")
        elif how == "bad EarlyStopping state":
            state["callbacks"] = [{"class": "EarlyStopping", "index": 0, "state": {"wait": "x"}}]
        elif how == "state of a missing callback":
            state["callbacks"] = [{"class": "CSVLogger", "index": 0, "state": {}}]
        f.attrs["state"] = json.dumps(state)


@pytest.mark.parametrize("how", ["string dataset", "layer 99", "epoch 1.5", "nan learning rate", "inf learning rate",
                                 "bad EarlyStopping state", "state of a missing callback"])
def test_a_damaged_backup_changes_nothing_before_its_error(tmp_path, how):
    from minikeras.callbacks import EarlyStopping
    with pytest.raises(RuntimeError):
        run(tmp_path, (2,))
    _damage(tmp_path / STATE_FILE, how)
    backend.clear_session()
    model = Sequential([Dense(8, input_dim=4, activation="relu"), Dropout(0.3), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(X, Y, epochs=1, verbose=0)                              # optimizer slots exist
    weights, slots, rate = model.get_weights(), model.optimizer.get_weights(), float(model.optimizer.learning_rate.numpy())
    with pytest.raises(ValueError, match="damaged|does not have"):
        model.fit(X, Y, verbose=0, callbacks=[EarlyStopping(monitor="loss"), BackupAndRestore(tmp_path)])
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights(), strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(slots, model.optimizer.get_weights(), strict=True))
    assert float(model.optimizer.learning_rate.numpy()) == rate


class Counter(Callback):
    """A user callback with state: counts epochs across an interruption."""

    def on_train_begin(self, logs=None):
        self.epochs_seen = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_seen += 1

    def get_state(self):
        return {"epochs_seen": self.epochs_seen, "curve": np.arange(self.epochs_seen, dtype="float32")}

    def set_state(self, state):
        self.epochs_seen = int(state["epochs_seen"])
        assert state["curve"].dtype == np.float32 and len(state["curve"]) == self.epochs_seen


def test_a_user_callback_state_is_backed_up_and_restored(tmp_path):
    counter = Counter()
    with pytest.raises(RuntimeError):
        run(tmp_path, (3,), extra=[counter])
    assert counter.epochs_seen == 3
    counter = Counter()
    run(tmp_path, extra=[counter])
    assert counter.epochs_seen == 6                                  # 3 before the interruption + 3 after
