import os

import pytest

from minikeras.utils.io_utils import atomic_path, check_writable_dir


def test_success_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with atomic_path(target) as tmp:
        with open(tmp, "w") as f:
            f.write("new")
        assert target.read_text() == "old"  # not visible before the rename
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_failure_keeps_old_file_and_removes_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(OSError):
        with atomic_path(target) as tmp:
            with open(tmp, "w") as f:
                f.write("partial")
            raise OSError(28, "No space left on device")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_check_writable_dir_creates_folders_and_rejects_bad_paths(tmp_path):
    check_writable_dir(tmp_path / "new" / "deeper" / "f.h5")
    assert (tmp_path / "new" / "deeper").is_dir()
    with pytest.raises(ValueError, match="is a folder"):
        check_writable_dir(tmp_path / "new", "filepath")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="filepath"):
        check_writable_dir(tmp_path / "file" / "sub" / "w.h5")


# --------------------------------------------------------------------------- issue 14: symlinks, temp names, stale temps
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from minikeras.utils import io_utils  # noqa: E402


def _model():
    from minikeras.layers import Dense
    from minikeras.models import Sequential
    model = Sequential([Dense(2, input_dim=3)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_writes_go_through_symlinks_to_the_final_target(tmp_path):
    """run/w.h5 -> storage/w.h5 (and a link to a link): the target is written, the links stay."""
    from minikeras.callbacks import BackupAndRestore, CSVLogger, ModelCheckpoint
    storage, run = tmp_path / "storage", tmp_path / "run"
    storage.mkdir()
    run.mkdir()
    (storage / "w.h5").write_bytes(b"old")
    (run / "hop.h5").symlink_to(storage / "w.h5")
    (run / "w.h5").symlink_to(run / "hop.h5")
    (run / "m.h5").symlink_to(storage / "m.h5")                 # dangling: created through the link
    (run / "best.h5").symlink_to(storage / "best.h5")
    (run / "log.csv").symlink_to(storage / "log.csv")
    model = _model()
    model.save_weights(str(run / "w.h5"))
    model.save(str(run / "m.h5"))
    model.fit(np.ones((4, 3)), np.ones((4, 2)), epochs=2, verbose=0, callbacks=[
        ModelCheckpoint(str(run / "best.h5"), monitor="loss", save_best_only=True),
        CSVLogger(str(run / "log.csv")), BackupAndRestore(str(run / "backup"))])
    for name in ("w.h5", "hop.h5", "m.h5", "best.h5", "log.csv"):
        assert (run / name).is_symlink(), name
    assert sorted(os.listdir(storage)) == ["best.h5", "log.csv", "m.h5", "w.h5"]
    assert (storage / "w.h5").read_bytes()[:4] == b"\x89HDF"
    assert (storage / "log.csv").read_bytes().count(b"\r\n") == 3


def test_temp_names_are_short_whatever_the_target_name(tmp_path):
    target = tmp_path / ("x" * 255)
    with io_utils.atomic_path(target) as tmp:
        assert len(os.path.basename(tmp)) <= 40 and io_utils.TEMP_PATTERN.match(os.path.basename(tmp))
        with open(tmp, "w") as f:
            f.write("ok")
    assert target.read_text() == "ok"


def test_an_impossible_name_is_refused_before_anything(tmp_path):
    with pytest.raises(ValueError, match="bytes long"):
        io_utils.check_name_fits(tmp_path / ("x" * 256))
    with pytest.raises(ValueError, match="bytes long"):
        check_writable_dir(tmp_path / ("x" * 256) / "w.h5")
    assert os.listdir(tmp_path) == []


def _leave_a_killed_temp(folder, target_name):
    """A child process starts an atomic write of ``target_name`` and dies (SIGKILL) inside it."""
    code = ("import os, signal, sys; from minikeras.utils.io_utils import atomic_path\n"
            "with atomic_path(os.path.join(sys.argv[1], sys.argv[2])) as tmp:\n"
            "    open(tmp, 'wb').write(b'x' * 1000); os.kill(os.getpid(), signal.SIGKILL)\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", code, str(folder), target_name], env=dict(os.environ, PYTHONPATH=root))


def test_the_next_write_removes_stale_temps_of_killed_writes_and_only_those(tmp_path):
    _leave_a_killed_temp(tmp_path, "w.h5")
    _leave_a_killed_temp(tmp_path, "other.h5")
    stale = sorted(os.listdir(tmp_path))
    assert len(stale) == 2 and all(io_utils.TEMP_PATTERN.match(name) for name in stale)
    (tmp_path / ".mk00000000.1.abcdefgh.tmp.keep").write_text("not ours: another pattern")
    (tmp_path / "notes.tmp").write_text("not ours")
    time.sleep(0.01)
    with io_utils.atomic_path(tmp_path / "w.h5") as tmp:
        with open(tmp, "w") as f:
            f.write("new")
    left = sorted(os.listdir(tmp_path))
    assert "w.h5" in left and "notes.tmp" in left and ".mk00000000.1.abcdefgh.tmp.keep" in left
    assert len([name for name in left if io_utils.TEMP_PATTERN.match(name)]) == 1   # other.h5's stays
    assert io_utils.stale_temp_files(tmp_path / "other.h5")


def test_a_live_writer_s_temp_is_not_stale(tmp_path):
    with io_utils.atomic_path(tmp_path / "w.h5") as tmp:
        assert io_utils.stale_temp_files(tmp_path / "w.h5") == []
        with open(tmp, "w") as f:
            f.write("x")
