"""A write that fails or is killed part-way leaves the previous file intact and loadable."""
import os
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

from minikeras.models import load_model
from minikeras.saving import hdf5
from minikeras.utils import io_utils
from tests.saving import helpers


def _fail_on_call(monkeypatch, n):
    """Makes the n-th ``hdf5.write_datasets`` call (one per layer group) raise, as a full disk would."""
    real, calls = hdf5.write_datasets, []

    def failing(group, weights):
        calls.append(1)
        if len(calls) == n:
            raise OSError(28, "No space left on device")
        return real(group, weights)
    monkeypatch.setattr(hdf5, "write_datasets", failing)


@pytest.mark.parametrize("n", [1, 3, 5])
@pytest.mark.parametrize("method", ["save", "save_weights"])
def test_raising_inside_the_writer_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch, method, n):
    old, x, _ = helpers.trained(seed=1)
    new, _, _ = helpers.trained(seed=2)
    path = tmp_path / "m.h5"
    getattr(old, method)(path)
    _fail_on_call(monkeypatch, n)
    with pytest.raises(OSError, match="No space left"):
        getattr(new, method)(path)
    assert os.listdir(tmp_path) == ["m.h5"]  # the temporary file was removed
    reloaded = helpers.mlp()
    reloaded.load_weights(path)
    assert np.array_equal(reloaded.predict(x), old.predict(x))
    if method == "save":
        assert np.array_equal(load_model(path).predict(x), old.predict(x))


def test_unserializable_config_fails_before_touching_the_disk(tmp_path):
    model, _, _ = helpers.trained()
    model.save(tmp_path / "m.h5")
    before = (tmp_path / "m.h5").read_bytes()
    model.layers[0].get_config = lambda: {"name": "dense", "units": object()}
    with pytest.raises(TypeError, match="Cannot write"):
        model.save(tmp_path / "m.h5")
    assert (tmp_path / "m.h5").read_bytes() == before and os.listdir(tmp_path) == ["m.h5"]


def test_new_files_get_the_usual_permissions(tmp_path):
    model, _, _ = helpers.trained()
    umask = os.umask(0o022)
    try:
        model.save(tmp_path / "m.h5")
        assert stat.S_IMODE(os.stat(tmp_path / "m.h5").st_mode) == 0o644
        os.chmod(tmp_path / "m.h5", 0o640)
        model.save(tmp_path / "m.h5")  # an existing file keeps its permissions, as with open(..., 'w')
        assert stat.S_IMODE(os.stat(tmp_path / "m.h5").st_mode) == 0o640
    finally:
        os.umask(umask)


# A child process saves a ~100 MB model (weights + RMSprop slots) and is SIGKILLed part-way.
_CHILD = """
import sys
import numpy as np
from minikeras.layers import Dense
from minikeras.models import Sequential
model = Sequential([Dense(1400, input_dim=1400)] + [Dense(1400) for _ in range(6)])
for layer in model.layers:
    layer.kernel[...] = 7.0
model.compile(optimizer='rmsprop', loss='mse')
print('ready', flush=True)
model.save(sys.argv[1])
print('done', flush=True)
"""


def _kill_during_save(path, delay):
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=helpers.ROOT))
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_sigkill_during_a_large_save_leaves_old_or_new_file(tmp_path):
    old, x, _ = helpers.trained()
    path = tmp_path / "m.h5"
    outcomes = []
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.4, 0.8):
        old.save(path)
        _kill_during_save(path, delay)
        loaded = load_model(path, compile=False)  # never raises: the file is complete, old or new
        if loaded.input_shape == (None, 5):
            assert np.array_equal(loaded.predict(x), old.predict(x))
            outcomes.append("old")
        else:
            assert all((layer.kernel == 7.0).all() for layer in loaded.layers)
            outcomes.append("new")
        leftovers = [name for name in os.listdir(tmp_path) if name != "m.h5"]
        if leftovers:  # SIGKILL cannot be caught: a killed write leaves its temporary file, never the target
            assert all(io_utils.TEMP_PATTERN.match(name) for name in leftovers)
            outcomes[-1] += " (killed mid-write)"
            for name in leftovers:
                os.remove(tmp_path / name)
    # at least one kill landed while the temporary file was being written: the interesting case happened
    assert "old (killed mid-write)" in outcomes, outcomes


def test_sigkill_during_a_first_save_leaves_no_file_or_a_complete_one(tmp_path):
    path = tmp_path / "m.h5"
    for delay in (0.02, 0.1):
        _kill_during_save(path, delay)
        if path.exists():
            assert all((layer.kernel == 7.0).all() for layer in load_model(path, compile=False).layers)
            path.unlink()
