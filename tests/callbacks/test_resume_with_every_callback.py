"""Issue 14, items 3 and 5: a run with EarlyStopping, ReduceLROnPlateau, ModelCheckpoint(save_best_only),
CSVLogger(append=True) and BackupAndRestore(save_freq=3), SIGKILLed at 12 deterministic points - batch
ends, epoch ends before and after the CSV row (the row is then written but the backup not yet),
epoch begins, inside the atomic writes (``os.replace``) and in the middle of a CSV append (a torn row)
- and then run again with the same command ends bit-identical to the uninterrupted run: weights,
History (the epochs the resumed run logs), the best checkpoint and every CSV byte.

The kills are real (``SIGKILL`` sent by the child to itself at the chosen point, after ``os.fork``),
so no ``finally`` runs. Each child returns nothing; the resumed run runs in the test process.
"""
import os
import signal

import numpy as np
import pytest

from minikeras import backend
from minikeras.callbacks import (BackupAndRestore, Callback, CSVLogger, EarlyStopping, ModelCheckpoint,
                                 ReduceLROnPlateau)
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

RNG = np.random.default_rng(3)
X = RNG.normal(size=(32, 5)).astype("float32")
Y = (X @ RNG.normal(size=(5, 1)) + 0.3 * RNG.normal(size=(32, 1))).astype("float32")
X_VAL, Y_VAL = X[:12] + 0.5, Y[:12]


class Killer(Callback):
    """SIGKILLs this process at ``(hook, epoch, batch)``."""

    def __init__(self, point):
        super().__init__()
        self.point, self.epoch = point, None

    def _maybe(self, hook, batch=None):
        if self.point == (hook, self.epoch, batch):
            os.kill(os.getpid(), signal.SIGKILL)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self._maybe("epoch_begin")

    def on_train_batch_end(self, batch, logs=None):
        self._maybe("batch_end", batch)

    def on_epoch_end(self, epoch, logs=None):
        self._maybe("epoch_end")


def run(folder, before=None, after=None):
    """The same command every time; ``before``/``after``: a kill point for a Killer placed before the
    callbacks / after the CSVLogger (BackupAndRestore writes after both)."""
    backend.clear_session()
    backend.set_seed(0)
    model = Sequential([Dense(6, input_dim=5, activation="tanh"), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=0.2, momentum=0.5), loss="mse")
    callbacks = [Killer(before),
                 EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
                 ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
                 ModelCheckpoint(os.path.join(folder, "best.h5"), save_best_only=True, save_weights_only=True),
                 CSVLogger(os.path.join(folder, "log.csv"), append=True),
                 Killer(after),
                 BackupAndRestore(os.path.join(folder, "backup"), save_freq=3)]
    history = model.fit(X, Y, batch_size=8, epochs=14, verbose=0, validation_data=(X_VAL, Y_VAL),
                        callbacks=callbacks)
    return model, history


def killed_child(folder, before=None, after=None, replace_call=None, write_call=None):
    """Runs ``run`` in a forked child that SIGKILLs itself at the point; returns once it is dead."""
    pid = os.fork()
    if pid == 0:   # the child: never returns to pytest
        try:
            if replace_call is not None or write_call is not None:
                _kill_inside(replace_call, write_call)
            run(folder, before, after)
        finally:
            os._exit(3)       # the point was never reached
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the kill point was not reached"


def _kill_inside(replace_call, write_call):
    """In the child: SIGKILL at the n-th ``os.replace`` (inside an atomic write, the temp file complete)
    or in the middle of the n-th ``os.write`` (half the bytes of a CSV row written)."""
    real_replace, real_write, count = os.replace, os.write, {"replace": 0, "write": 0}

    def replace(*args, **kwargs):
        count["replace"] += 1
        if count["replace"] == replace_call:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(*args, **kwargs)

    def write(fd, data):
        count["write"] += 1
        if count["write"] == write_call:
            real_write(fd, bytes(data[:len(data) // 2]))
            os.kill(os.getpid(), signal.SIGKILL)
        return real_write(fd, data)

    os.replace, os.write = replace, write


def outcome(folder, model, history):
    best = Sequential([Dense(6, input_dim=5, activation="tanh"), Dense(1)])
    best.load_weights(os.path.join(folder, "best.h5"))
    with open(os.path.join(folder, "log.csv"), "rb") as f:
        csv_bytes = f.read()
    return ([w.tobytes() for w in model.get_weights()], history.epoch, history.history,
            [w.tobytes() for w in best.get_weights()], csv_bytes)


POINTS = [
    {"before": ("batch_end", 0, 1)},
    {"before": ("batch_end", 0, 3)},          # the epoch's last batch
    {"before": ("epoch_end", 1, None)},       # before the CSV row of epoch 1
    {"after": ("epoch_end", 2, None)},        # CSV row of epoch 2 written, its backup not yet (item 3)
    {"after": ("epoch_end", 4, None)},
    {"before": ("epoch_begin", 3, None)},
    {"before": ("batch_end", 3, 2)},
    {"after": ("batch_end", 5, 0)},
    {"replace_call": 3},                      # inside an atomic write (backup or checkpoint)
    {"replace_call": 8},
    {"replace_call": 11},
    {"write_call": 4},                        # a CSV row torn in the middle
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("reference"))
    model, history = run(folder)
    return outcome(folder, model, history)


def test_the_reference_run_exercises_every_callback(reference):
    _, epochs, logs, _, csv_bytes = reference
    assert len(epochs) < 14                                     # EarlyStopping stopped it
    assert len(set(np.round(logs["lr"], 6))) >= 2               # ReduceLROnPlateau reduced the rate
    assert csv_bytes.count(b"\r\n") == len(epochs) + 1


@pytest.mark.parametrize("point", POINTS, ids=[str(p) for p in POINTS])
def test_killed_and_resumed_run_ends_bit_identical(point, tmp_path, reference):
    folder = str(tmp_path)
    killed_child(folder, **point)
    model, history = run(folder)
    weights, epochs, logs, best, csv_bytes = outcome(folder, model, history)
    ref_weights, ref_epochs, ref_logs, ref_best, ref_csv = reference
    assert weights == ref_weights
    assert best == ref_best
    assert csv_bytes == ref_csv
    assert epochs == ref_epochs[len(ref_epochs) - len(epochs):]        # History: the epochs run after resuming
    for key, values in logs.items():
        assert np.array_equal(values, ref_logs[key][len(ref_epochs) - len(epochs):]), key
    assert not os.listdir(os.path.join(folder, "backup"))              # backup and killed temps removed
