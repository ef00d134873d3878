"""Crash safety (issue 10): a training process SIGKILLed at any moment - in a checkpoint, an HDF5
save, a CSV write or a backup - leaves every file complete (the previous or the new version) or
absent, never half-written; a full disk gives a clear error and leaves the previous files intact.

The kills are real: a child process trains, the test kills it with SIGKILL (which cannot be caught
or cleaned up after) at several delays after the child reports that training began, then inspects
what is on disk. A killed write leaves its *temporary* file behind (``.<name>.<random>.tmp`` beside
the target); the target itself is always whole. Delays (seconds after ``on_train_begin``):

* checkpoint + CSV (a 1.5M-parameter model, ``ModelCheckpoint`` every epoch, weights every 4th):
  0, 0.1, 0.2, 0.35, 0.6;
* CSV alone (a tiny model, one batch per epoch, so the log's write and fsync dominate): 0.02, 0.1, 0.25;
* ``model.save`` then ``save_weights`` in a loop, each save with different values: 0.02, 0.1, 0.25;
* ``BackupAndRestore(save_freq=1)``: right after the backup of step 3, and inside the writes of the
  backups of steps 9 and 14 (pause points), each then restarted with the same command and compared
  bit for bit with an uninterrupted run.

Kills at fixed delays land wherever the child happens to be, so they sample many moments but
cannot promise to hit a write. Every scenario therefore also kills one child at a *pause point*:
the child's ``os.replace`` (the last step of every atomic write) is wrapped so that, at the chosen
write, it prints ``paused`` and waits; the test kills it there. That kill lands inside a write on
every run and every machine (the temporary file is complete, the target not yet replaced), so the
case that matters is checked deterministically, never by timing luck. The module takes ~10 s.
"""
import csv
import errno
import io
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from minikeras import backend
from minikeras.callbacks import BackupAndRestore, CSVLogger, LambdaCallback, ModelCheckpoint
from minikeras.callbacks import csv_logger as csv_logger_module
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential, load_model
from minikeras.saving import hdf5

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMP = re.compile(r"^\.(?P<target>.+)\.[^.]+\.tmp$")   # atomic_path's temporary files


# Prepended to a child's code by ``spawn(..., pause=(target, n))``: the n-th ``os.replace`` onto a file
# named ``target`` prints 'paused' and waits to be killed, with the write's temporary file complete.
_PAUSE_POINT = """
import os as _os, time as _time
_replace, _seen = _os.replace, [0]
def _paused_replace(src, dst, *args, **kwargs):
    if _os.path.basename(_os.fspath(dst)) == {target!r}:
        _seen[0] += 1
        if _seen[0] == {n}:
            print('paused', flush=True)
            _time.sleep(600)
    return _replace(src, dst, *args, **kwargs)
_os.replace = _paused_replace
"""


def spawn(code, *args, pause=None):
    """Starts ``python -c code args`` with minikeras importable; its stdout is a pipe.

    Args:
        pause: optional ``(file name, n)``: the child stops before the n-th ``os.replace`` onto that
            name (the end of an atomic write) and prints ``paused``; see the module docstring.
    """
    if pause is not None:
        code = _PAUSE_POINT.format(target=pause[0], n=pause[1]) + code
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=ROOT))


def kill_after_ready(child, delay, marker="ready"):
    """Waits for the child's ``marker`` line, sleeps ``delay`` seconds, then SIGKILLs it."""
    try:
        for line in child.stdout:
            if line.strip() == marker:
                break
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, "the child finished before it was killed: raise its epochs"


def split_leftovers(folder):
    """Returns (targets, leftovers): the real files, and temporary files of writes that were killed."""
    names = sorted(os.listdir(folder))
    leftovers = [name for name in names if TEMP.match(name)]
    return [name for name in names if name not in leftovers], leftovers


def kill_at_delays(tmp_path, code, delays, pauses, check, argument=lambda folder: folder):
    """Kills ``code`` once per delay and once per pause point; calls ``check(folder, targets, leftovers)``.

    Args:
        delays: seconds after the child's ``ready`` line (they land wherever the child happens to be).
        pauses: ``(file name, n)`` pause points (see :func:`spawn`): each kill lands inside that write,
            so each must leave exactly one temporary file of that name, and the target not replaced.

    Returns:
        list of ``(delay or pause, targets, leftovers)``, the outcomes.
    """
    outcomes = []
    for i, delay in enumerate(delays):
        folder = tmp_path / f"kill_{i}_after_{delay}"
        folder.mkdir()
        kill_after_ready(spawn(code, argument(folder)), delay)
        targets, leftovers = split_leftovers(folder)
        check(folder, targets, leftovers)
        outcomes.append((delay, targets, leftovers))
    for i, pause in enumerate(pauses):
        folder = tmp_path / f"kill_in_write_{i}"
        folder.mkdir()
        kill_after_ready(spawn(code, argument(folder), pause=pause), 0, marker="paused")
        targets, leftovers = split_leftovers(folder)
        assert [TEMP.match(name)["target"] for name in leftovers] == [pause[0]], (pause, targets, leftovers)
        check(folder, targets, leftovers)
        outcomes.append((pause, targets, leftovers))
    return outcomes


def read_csv_log(path):
    """Parses a CSVLogger file; asserts it is the header plus whole rows for epochs 0, 1, ..., n-1."""
    with open(path, newline="") as f:
        text = f.read()
    assert text.endswith("\r\n"), "the log ends in the middle of a row"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    for i, row in enumerate(rows[1:]):
        assert row[0] == str(i) and len(row) == 5 and np.isfinite(float(row[2])) and row[3:] == ["NA", "NA"]
    return len(rows) - 1


# --------------------------------------------------------------------------- checkpoint + CSV, killed
_CHECKPOINTING = """
import sys
import numpy as np
from minikeras import backend
from minikeras.callbacks import CSVLogger, LambdaCallback, ModelCheckpoint
from minikeras.layers import Dense
from minikeras.models import Sequential
folder = sys.argv[1]
backend.set_seed(0)
model = Sequential([Dense(700, input_dim=700, activation='relu'), Dense(700, activation='relu'),
                    Dense(700, activation='relu'), Dense(3, activation='softmax')])
model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
x = np.random.default_rng(0).random((16, 700), dtype=np.float32)
y = np.eye(3, dtype=np.float32)[np.arange(16) % 3]
model.fit(x, y, batch_size=16, epochs=10000, verbose=0, callbacks=[
    ModelCheckpoint(folder + '/last.h5'),
    ModelCheckpoint(folder + '/weights-{epoch:04d}.h5', save_weights_only=True, period=4),
    CSVLogger(folder + '/log.csv'),
    LambdaCallback(on_train_begin=lambda logs: print('ready', flush=True))])
"""
OURS = re.compile(r"^(last\.h5|log\.csv|weights-\d{4}\.h5)$")


def small_twin():
    return Sequential([Dense(700, input_dim=700, activation="relu"), Dense(700, activation="relu"),
                       Dense(700, activation="relu"), Dense(3, activation="softmax")])


def test_sigkill_during_checkpoints_and_csv_writes_leaves_whole_files(tmp_path):
    def check(folder, targets, leftovers):
        assert all(OURS.match(TEMP.match(name)["target"]) for name in leftovers)
        assert all(OURS.match(name) for name in targets)
        epochs_logged = read_csv_log(folder / "log.csv") if "log.csv" in targets else 0
        if "last.h5" in targets:
            model = load_model(folder / "last.h5")                 # whole: loads with its optimizer state
            assert model.optimizer.iterations in (epochs_logged, epochs_logged + 1)   # 1 step per epoch
        else:
            assert epochs_logged == 0
        for name in targets:
            if name.startswith("weights-"):                          # every 4th epoch (1-based)
                small_twin().load_weights(folder / name)
                assert int(name[8:12]) % 4 == 0 and int(name[8:12]) <= epochs_logged + 1

    kill_at_delays(tmp_path, _CHECKPOINTING, (0.0, 0.1, 0.2, 0.35, 0.6),
                   (("last.h5", 1), ("last.h5", 3), ("log.csv", 2), ("weights-0004.h5", 1)), check)


# --------------------------------------------------------------------------- CSV alone, killed
_LOGGING = """
import sys
import numpy as np
from minikeras.callbacks import CSVLogger, LambdaCallback
from minikeras.layers import Dense
from minikeras.models import Sequential
model = Sequential([Dense(3, input_dim=4, activation='softmax')])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
x, y = np.ones((2, 4), np.float32), np.eye(3, dtype=np.float32)[[0, 1]]
model.fit(x, y, epochs=100000, verbose=0, callbacks=[
    LambdaCallback(on_train_begin=lambda logs: print('ready', flush=True)), CSVLogger(sys.argv[1])])
"""


def test_sigkill_during_csv_writes_leaves_the_log_readable_up_to_the_last_full_epoch(tmp_path):
    def check(folder, targets, leftovers):
        assert all(TEMP.match(name)["target"] == "log.csv" for name in leftovers)
        if targets:
            assert targets == ["log.csv"] and read_csv_log(folder / "log.csv") >= 1

    kill_at_delays(tmp_path, _LOGGING, (0.02, 0.1, 0.25), (("log.csv", 1), ("log.csv", 5)), check,
                   argument=lambda folder: folder / "log.csv")


# --------------------------------------------------------------------------- model.save in a loop, killed
_SAVING = """
import sys
import numpy as np
from minikeras.layers import Dense
from minikeras.models import Sequential
model = Sequential([Dense(600, input_dim=600), Dense(600), Dense(600)])
model.compile(optimizer='adam', loss='mse')
print('ready', flush=True)
for i in range(1, 100000):
    for layer in model.layers:
        layer.kernel[...] = i
        layer.bias[...] = i
    model.save(sys.argv[1] + '/model.h5')
    model.save_weights(sys.argv[1] + '/weights.h5')
"""


def test_sigkill_during_save_loops_leaves_one_whole_version(tmp_path):
    def check(folder, targets, leftovers):
        assert {TEMP.match(name)["target"] for name in leftovers} <= {"model.h5", "weights.h5"}
        versions = {}
        if "model.h5" in targets:
            weights = load_model(folder / "model.h5", compile=False).get_weights()
            versions["model.h5"] = {float(v) for w in weights for v in np.unique(w)}
        if "weights.h5" in targets:
            twin = Sequential([Dense(600, input_dim=600), Dense(600), Dense(600)])
            twin.load_weights(folder / "weights.h5")
            versions["weights.h5"] = {float(v) for w in twin.get_weights() for v in np.unique(w)}
        for name, values in versions.items():
            assert len(values) == 1, f"{name} mixes versions {values}"   # every array from the same save
        if len(versions) == 2:   # each loop saves model.h5 then weights.h5: the model is as new or 1 newer
            assert min(versions["model.h5"]) - min(versions["weights.h5"]) in (0, 1)

    kill_at_delays(tmp_path, _SAVING, (0.02, 0.1, 0.25), (("model.h5", 2), ("weights.h5", 2)), check)


# --------------------------------------------------------------------------- BackupAndRestore, killed mid-backup
_RESUMABLE = """
import sys
import numpy as np
from minikeras import backend
from minikeras.callbacks import BackupAndRestore, LambdaCallback
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential
folder, out = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
x = rng.random((64, 400), dtype=np.float32)
y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 64)]
backend.set_seed(3)
model = Sequential([Dense(400, input_dim=400, activation='relu'), Dropout(0.2), Dense(400, activation='relu'),
                    Dense(3, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy')
history = model.fit(x, y, batch_size=16, epochs=8, verbose=0, callbacks=[
    LambdaCallback(on_train_begin=lambda logs: print('ready', flush=True)),
    BackupAndRestore(folder, save_freq=1),
    LambdaCallback(on_train_begin=lambda logs: print(model.optimizer.iterations, flush=True),   # restored
                   on_train_batch_end=lambda batch, logs: print('step', model.optimizer.iterations, flush=True))])
np.savez(out, *model.get_weights())
"""


def _npz(path):
    with np.load(path) as f:
        return [f[f"arr_{i}"] for i in range(len(f.files))]


def test_sigkill_during_backups_then_restart_is_bit_identical(tmp_path):
    reference = spawn(_RESUMABLE, tmp_path / "ref_backup", tmp_path / "ref.npz")
    assert reference.communicate(timeout=120)[0].split()[:2] == ["ready", "0"]
    # Killed right after the backup of step 3 was written, and inside the writes of backups 9 and 14
    # (at the pause point: the new backup's temporary file is complete, the old backup still in place).
    for step, pause in ((3, None), (9, ("training_state.h5", 9)), (14, ("training_state.h5", 14))):
        backup = tmp_path / f"backup_{step}"
        child = spawn(_RESUMABLE, backup, tmp_path / "never.npz", pause=pause)
        kill_after_ready(child, 0, marker=f"step {step}" if pause is None else "paused")
        targets, leftovers = split_leftovers(backup)
        assert targets == ["training_state.h5"]
        assert [TEMP.match(name)["target"] for name in leftovers] == ([] if pause is None else ["training_state.h5"])
        restarted = spawn(_RESUMABLE, backup, tmp_path / f"resumed_{step}.npz")
        lines = restarted.communicate(timeout=120)[0].split("\n")
        assert restarted.returncode == 0 and lines[0] == "ready"
        assert int(lines[1]) == (step if pause is None else step - 1)   # resumed from the last whole backup
        for a, b in zip(_npz(tmp_path / f"resumed_{step}.npz"), _npz(tmp_path / "ref.npz"), strict=True):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
        assert os.listdir(backup) == []    # the end of fit removed the backup and any killed write's temp


# --------------------------------------------------------------------------- a full disk
def _disk_full_on_call(monkeypatch, module, name, n):
    """Makes the ``n``-th call of ``module.name`` raise ``OSError(ENOSPC)``."""
    real, calls = getattr(module, name), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, failing)


def _model():
    backend.clear_session()
    backend.set_seed(0)
    model = Sequential([Dense(8, input_dim=4, activation="relu"), Dropout(0.2), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


X = np.random.default_rng(1).random((40, 4), dtype=np.float32)
Y = np.eye(3, dtype=np.float32)[np.arange(40) % 3]


def test_disk_full_during_a_checkpoint_is_clear_and_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    model = _model()
    epoch_weights = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: epoch_weights.append(model.get_weights()))
    # one write_datasets call per layer group (3 layers + top level) and the optimizer: 5 per save
    _disk_full_on_call(monkeypatch, hdf5, "write_datasets", 5 + 3)
    with pytest.raises(OSError, match=r"No space left on device while writing '.*ckpt\.h5'.*unchanged") as info:
        model.fit(X, Y, epochs=5, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "ckpt.h5"), record])
    assert info.value.errno == errno.ENOSPC
    assert sorted(os.listdir(tmp_path)) == ["ckpt.h5"]                    # no temporary file left
    saved = load_model(tmp_path / "ckpt.h5")
    assert saved.optimizer.iterations == 2                                 # epoch 1's checkpoint (2 steps)
    for a, b in zip(saved.get_weights(), epoch_weights[0], strict=True):
        assert np.array_equal(a, b)


def test_disk_full_while_writing_the_csv_keeps_the_previous_rows(tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    real_open = open

    class HalfWrittenFile(io.BufferedIOBase):
        """Writes half the bytes, then fails as a full disk does."""

        def __init__(self, name, mode):
            super().__init__()
            self.f = real_open(name, mode)

        def write(self, data):
            self.f.write(data[:len(data) // 2])
            self.f.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self):
            self.f.close()
            super().close()

    calls = []

    def fake_open(name, mode="r", *args, **kwargs):
        if "w" in mode:
            calls.append(name)
            if len(calls) == 3:
                return HalfWrittenFile(name, mode)
        return real_open(name, mode, *args, **kwargs)

    monkeypatch.setattr(csv_logger_module, "open", fake_open, raising=False)
    with pytest.raises(OSError, match="No space left on device while writing .*log.csv") as info:
        _model().fit(X, Y, epochs=5, verbose=0, callbacks=[CSVLogger(path)])
    assert info.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == ["log.csv"] and read_csv_log(path) == 2    # epochs 0 and 1, whole


def _fit(model, epochs, callback):
    return lambda: model.fit(X, Y, epochs=epochs, verbose=0, callbacks=[callback])


@pytest.mark.parametrize("target", ["model.save", "save_weights", "ModelCheckpoint", "CSVLogger", "BackupAndRestore"])
def test_disk_full_at_fsync_leaves_the_previous_file(tmp_path, monkeypatch, target):
    """Disk full reported when the data is flushed (``fsync``), after every byte was handed over:
    the second write fails clearly and the first one's file is still there, byte for byte."""
    model, path = _model(), tmp_path / "file"
    first, second = {
        "model.save": (lambda: model.save(path), lambda: model.save(path)),
        "save_weights": (lambda: model.save_weights(path), lambda: model.save_weights(path)),
        "ModelCheckpoint": (_fit(model, 1, ModelCheckpoint(path)), _fit(model, 1, ModelCheckpoint(path))),
        "CSVLogger": (_fit(model, 2, CSVLogger(path)), _fit(model, 2, CSVLogger(path, append=True))),
        "BackupAndRestore": (_fit(model, 2, BackupAndRestore(tmp_path, delete_checkpoint=False)),
                             _fit(model, 4, BackupAndRestore(tmp_path))),    # resumes at epoch 2, backs up
    }[target]
    first()
    if target == "BackupAndRestore":
        path = tmp_path / "training_state.h5"
    before = path.read_bytes()
    _disk_full_on_call(monkeypatch, os, "fsync", 1)
    with pytest.raises(OSError, match=f"No space left on device while writing '.*{path.name}'") as info:
        second()
    assert info.value.errno == errno.ENOSPC
    assert path.read_bytes() == before and os.listdir(tmp_path) == [path.name]


def test_disk_full_during_a_backup_then_restart_resumes_from_the_previous_backup(tmp_path, monkeypatch):
    def run():
        model = _model()
        history = model.fit(X, Y, batch_size=8, epochs=5, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
        return model, history

    reference, _ = run()
    with monkeypatch.context() as patch:
        _disk_full_on_call(patch, os, "fsync", 4)                         # the 4th backup: after epoch 3
        with pytest.raises(OSError, match="No space left on device"):
            run()
    assert os.listdir(tmp_path) == ["training_state.h5"]
    model, history = run()
    assert history.epoch == [3, 4]
    for a, b in zip(model.get_weights(), reference.get_weights(), strict=True):
        assert a.tobytes() == b.tobytes()
