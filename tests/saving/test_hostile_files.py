"""Loading hostile files (issue 10): a file whose config names an unknown class or carries code, a
JSON config with extra keys or entries of the wrong type, a truncated file - each gives a clear
ValueError, and nothing in the file is ever executed, unpickled or unmarshalled.

Configs are data: minikeras looks every class and function up by name in its own tables (or in
``custom_objects``), so a name such as ``"os.system"`` or a payload of marshalled bytecode is only
ever a string in an error message. To prove it, every test here runs with ``pickle.load(s)`` and
``marshal.load(s)`` replaced by functions that fail the test, and checks that the payloads' side
effect (creating a marker file) never happened.
"""
import base64
import json
import marshal
import os
import pickle
import shutil
import sys

import h5py
import numpy as np
import pytest

from minikeras import backend
from minikeras.callbacks import BackupAndRestore, ModelCheckpoint
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential, load_model, model_from_json


class Payload:
    """Pickling this gives bytes whose unpickling would run ``touch <marker>`` (a ``__reduce__`` attack)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "code_was_run"


@pytest.fixture(autouse=True)
def no_unpickling(monkeypatch):
    """``pickle``/``marshal`` loading fails the test - except Python's own import system reading ``.pyc``."""
    def guard(real):
        def refuse(*args, **kwargs):
            if sys._getframe(1).f_globals.get("__name__", "").startswith(("importlib", "_frozen_importlib")):
                return real(*args, **kwargs)
            raise AssertionError("minikeras unpickled or unmarshalled data from a file")
        return refuse
    for module, name in ((pickle, "loads"), (pickle, "load"), (marshal, "loads"), (marshal, "load")):
        monkeypatch.setattr(module, name, guard(getattr(module, name)))


def test_the_guard_notices_unpickling(payloads, marker):
    with pytest.raises(AssertionError, match="unpickled"):
        pickle.loads(payloads[1])
    with pytest.raises(AssertionError, match="unmarshalled"):
        marshal.loads(base64.b64decode(payloads[0]))
    assert not marker.exists()


@pytest.fixture
def payloads(marker):
    """``(marshalled function as tf_keras writes a Lambda's, pickle bytes)``, both creating ``marker``."""
    code = compile(f"open({str(marker)!r}, 'w').close()", "<payload>", "exec")
    return base64.b64encode(marshal.dumps(code)).decode("ascii"), pickle.dumps(Payload(marker))


@pytest.fixture
def saved(tmp_path):
    backend.clear_session()
    backend.set_seed(0)
    model = Sequential([Dense(4, input_dim=3, activation="relu"), Dropout(0.2), Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.ones((4, 3)), np.eye(2)[[0, 1, 0, 1]], verbose=0)
    model.save(tmp_path / "m.h5")
    return model, tmp_path / "m.h5"


def edited(path, name, edit):
    """A copy of ``path`` in which ``edit(h5py.File)`` changed something."""
    copy = path.with_name(name)
    shutil.copy(path, copy)
    with h5py.File(copy, "r+") as f:
        edit(f)
    return copy


def set_json(attribute, edit):
    def fn(f):
        value = json.loads(f.attrs[attribute])
        edit(value)
        f.attrs[attribute] = json.dumps(value).encode()
    return fn


def first_dense(config):
    return next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")


def tk_lambda_layer(marshalled):
    """A Lambda layer's config exactly as tf_keras 2.21 writes it into model_config (``lambda x: ...``)."""
    return {"class_name": "Lambda", "config": {
        "name": "lambda", "trainable": True, "dtype": "float32", "function": [marshalled, None, None],
        "function_type": "lambda", "module": "__main__", "output_shape": None, "output_shape_type": "raw",
        "output_shape_module": None, "arguments": {}}}


# --------------------------------------------------------------------------- unknown classes, code in configs
HOSTILE_MODEL_CONFIGS = {
    "Lambda layer with marshalled code": (lambda c, m, p: c["config"]["layers"].insert(2, tk_lambda_layer(m)),
                                          r"Lambda layer 'lambda' needs its function.*Python bytecode.*never loads "
                                          r"code.*custom_objects=\{'lambda'"),
    "unknown model class": (lambda c, m, p: c.update(class_name="EvilModel"), r"Unknown model class 'EvilModel'"),
    "code as the model class": (lambda c, m, p: c.update(class_name="__import__('os').system('touch x')"),
                                r"Unknown model class"),
    "functional model": (lambda c, m, p: c.update(class_name="Functional"), "needs the lists 'input_layers'"),
    "unknown layer class": (lambda c, m, p: first_dense(c).update(class_name="os.system"),
                            r"Unknown layer: 'os.system'"),
    "pickle as an activation": (lambda c, m, p: first_dense(c)["config"].update(activation=p.decode("latin1")),
                                r"Unknown activation function"),
    "marshalled function as an activation": (
        lambda c, m, p: first_dense(c)["config"].update(activation={"class_name": "function", "config": m}),
        r"Could not interpret activation"),
    "module path as an initializer": (
        lambda c, m, p: first_dense(c)["config"].update(kernel_initializer={"class_name": "__main__.Payload",
                                                                            "config": {}}),
        r"Unknown initializer: '__main__.Payload'"),
    "os.system as a regularizer": (
        lambda c, m, p: first_dense(c)["config"].update(kernel_regularizer={"class_name": "os.system",
                                                                            "config": {"command": "touch x"}}),
        r"Unknown regularizer class: 'os.system'"),
    "object dtype": (lambda c, m, p: first_dense(c)["config"].update(dtype="object"),
                     "dtype must be a NumPy number type"),
}


@pytest.mark.parametrize("case", HOSTILE_MODEL_CONFIGS, ids=list(HOSTILE_MODEL_CONFIGS))
def test_hostile_model_config_is_refused_and_never_run(saved, payloads, marker, case):
    edit, words = HOSTILE_MODEL_CONFIGS[case]
    path = edited(saved[1], "hostile.h5", set_json("model_config", lambda c: edit(c, *payloads)))
    for load in (lambda: load_model(path), lambda: load_model(path, compile=False),
                 lambda: model_from_json(h5py.File(path, "r").attrs["model_config"])):
        with pytest.raises(ValueError, match=words):
            load()
    assert not marker.exists()


HOSTILE_TRAINING_CONFIGS = {
    "pickle as the loss": (lambda t, m, p: t.update(loss=p.decode("latin1")), "unsupported loss"),
    "marshalled loss function": (lambda t, m, p: t.update(loss={"class_name": "function", "config": m}),
                                 "training_config"),
    "marshalled metric function": (
        lambda t, m, p: t.update(metrics=[[{"class_name": "MeanMetricWrapper", "config": {"name": "m", "fn": m}}]]),
        "unsupported metric"),
    "code as the optimizer class": (
        lambda t, m, p: t["optimizer_config"].update(class_name="__import__('os').system"), "unsupported optimizer"),
    "optimizer config that is a string": (lambda t, m, p: t.update(optimizer_config=m), "training_config"),
}


@pytest.mark.parametrize("case", HOSTILE_TRAINING_CONFIGS, ids=list(HOSTILE_TRAINING_CONFIGS))
def test_hostile_training_config_is_refused_and_never_run(saved, payloads, marker, case):
    edit, words = HOSTILE_TRAINING_CONFIGS[case]
    path = edited(saved[1], "hostile.h5", set_json("training_config", lambda t: edit(t, *payloads)))
    with pytest.raises(ValueError, match=f"{words}.*compile=False"):
        load_model(path)
    model = load_model(path, compile=False)     # the architecture and weights are still usable
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), saved[0].get_weights(), strict=True))
    assert not marker.exists()


@pytest.mark.parametrize("where", ["model_config", "training_config"])
def test_pickle_bytes_instead_of_a_json_attribute(saved, payloads, marker, where):
    path = edited(saved[1], "pickled.h5", lambda f: f.attrs.__setitem__(where, np.void(payloads[1])))
    with pytest.raises(ValueError, match=f"{where} attribute is not valid JSON"):
        load_model(path)
    assert not marker.exists()


def test_pickle_bytes_instead_of_weights(saved, payloads, marker):
    def swap(f):
        del f["model_weights/dense/dense/kernel:0"]
        f["model_weights/dense"].create_dataset("dense/kernel:0", data=np.void(payloads[1]))
    path = edited(saved[1], "pickled_weights.h5", swap)
    before = saved[0].get_weights()
    for load in (lambda: load_model(path), lambda: saved[0].load_weights(path)):
        with pytest.raises(ValueError, match="not numbers.*Nothing was loaded"):
            load()
    assert all(np.array_equal(a, b) for a, b in zip(before, saved[0].get_weights(), strict=True))
    assert not marker.exists()


# --------------------------------------------------------------------------- extra keys, wrong types
def test_extra_keys_where_keras_ignores_them_are_ignored(saved):
    """tf_keras 2.21 ignores unknown keys at the top, in the model's config and beside a layer's
    class_name (checked with tf_keras.models.model_from_json); so does minikeras."""
    def add_keys(config):
        config.update(keras_version="9.9", backend="tensorflow", foo=1)
        config["config"].update(build_input_shape=[None, 3], foo=[1, 2])
        first_dense(config).update(module="keras.layers", registered_name=None, foo={"a": 1})
    path = edited(saved[1], "extra.h5", set_json("model_config", add_keys))
    path = edited(path, "extra2.h5", set_json("training_config", lambda t: t.update(foo=1, bar=None)))
    model = load_model(path)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), saved[0].get_weights(), strict=True))
    assert model.metrics_names == ["loss", "accuracy"]


@pytest.mark.parametrize("edit, words", [
    (lambda c: first_dense(c)["config"].update(foo=1), r"Dense got unexpected keyword argument\(s\) \['foo'\]"),
    (lambda c: first_dense(c)["config"].update(units="4"), "units must be a positive int"),
    (lambda c: c["config"].update(layers=3), "list of 'layers'"),
    (lambda c: c.update(config="layers"), "list of 'layers'"),
    (lambda c: first_dense(c).update(config=[1, 2]), "A layer config must be a dict"),
    (lambda c: first_dense(c).update(class_name={"a": 1}), "A layer config must be a dict"),
    (lambda c: c.update(class_name=["Sequential"]), "must be a dict with 'class_name'"),
    (lambda c: c["config"]["layers"].append(7), "A layer config must be a dict"),
])
def test_json_config_keys_that_minikeras_cannot_use_are_named(saved, edit, words):
    """A key inside a layer's config is an argument of the layer: tf_keras 2.21 refuses unknown ones
    too (``TypeError: Error when deserializing class 'Dense'``); minikeras says which."""
    config = json.loads(saved[0].to_json())
    edit(config)
    with pytest.raises(ValueError, match=words):
        model_from_json(json.dumps(config))
    path = edited(saved[1], "bad.h5", set_json("model_config", edit))
    with pytest.raises(ValueError, match=words):
        load_model(path)


@pytest.mark.parametrize("text, words", [
    ("[" * 100000 + "]" * 100000, "not valid JSON"),       # a JSON bomb: too deep to parse
    ('{"class_name": "Sequential", "config": {"layers": [', "not valid JSON"),   # truncated JSON
    ("", "not valid JSON"),
    ("[1, 2, 3]", "must be a dict"),
    ('"Sequential"', "must be a dict"),
])
def test_malformed_json_strings(text, words):
    with pytest.raises(ValueError, match=words):
        model_from_json(text)


def test_a_model_config_that_is_not_text(saved):
    path = edited(saved[1], "ints.h5", lambda f: f.attrs.__setitem__("model_config", np.arange(3)))
    with pytest.raises(ValueError, match="must be a dict"):
        load_model(path)


# --------------------------------------------------------------------------- truncated files
@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.5, 0.95])
def test_truncated_checkpoint_and_backup_files(tmp_path, fraction):
    backend.set_seed(0)
    model = Sequential([Dense(4, input_dim=3), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((4, 3)), np.zeros((4, 2))
    model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "ckpt.h5"),
                                                    BackupAndRestore(tmp_path / "backup", delete_checkpoint=False)])
    for path in (tmp_path / "ckpt.h5", tmp_path / "backup" / "training_state.h5"):
        data = path.read_bytes()
        path.write_bytes(data[:int(len(data) * fraction)])
    with pytest.raises(ValueError, match="truncated or corrupt|not an HDF5 file"):
        load_model(tmp_path / "ckpt.h5")
    before = model.get_weights()
    with pytest.raises(ValueError, match="truncated or corrupt|not an HDF5 file"):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[BackupAndRestore(tmp_path / "backup")])
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


# --------------------------------------------------------------------------- hostile backups
def _with_state(path, edit):
    with h5py.File(path, "r+") as f:
        state = json.loads(f.attrs["state"])
        edit(state)
        f.attrs["state"] = json.dumps(state)


@pytest.mark.parametrize("edit, words", [
    (lambda s: s["random"].update(backend={"bit_generator": "MT19937", "state": {"key": [1], "pos": 0}}), "damaged"),
    (lambda s: s.update(epoch=-3), "damaged"),
    (lambda s: s.update(step="__import__('os')"), "damaged"),
    (lambda s: s.pop("random"), "damaged"),
    (lambda s: s["random"].update(python=[3, {"__array__": [1, 2], "dtype": "O"}, None]), "damaged"),
    (lambda s: s.update(format="pickle"), "not a BackupAndRestore backup"),
])
def test_a_damaged_or_hostile_backup_is_refused_before_any_change(tmp_path, marker, edit, words):
    backend.set_seed(0)
    model = Sequential([Dense(4, input_dim=3), Dropout(0.5), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((8, 3)), np.zeros((8, 2))
    model.fit(x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(tmp_path, delete_checkpoint=False)])
    _with_state(tmp_path / "training_state.h5", edit)
    before, rng_state = model.get_weights(), backend.rng().bit_generator.state
    with pytest.raises(ValueError, match=words):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    assert backend.rng().bit_generator.state == rng_state and model.optimizer.iterations == 2
    assert not marker.exists()


def test_a_pickle_in_place_of_the_backup_state(tmp_path, payloads, marker):
    with h5py.File(tmp_path / "training_state.h5", "w") as f:
        f.attrs["state"] = np.void(payloads[1])
    model = Sequential([Dense(2, input_dim=3)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="not a BackupAndRestore backup"):
        model.fit(np.ones((2, 3)), np.zeros((2, 2)), verbose=0, callbacks=[BackupAndRestore(tmp_path)])
    assert not marker.exists()


# --------------------------------------------------------------------------- issue 14, items 9, 10, 15
def _kernel_path(f):
    found = []
    f["model_weights"].visit(lambda name: found.append(name) if name.endswith("kernel:0") else None)
    return "model_weights/" + found[0]


def _replace(f, path, make):
    del f[path]
    make(f, path)


def _peak_mib(call):
    """Runs ``call()``; returns (peak traced memory in MiB, the exception it raised or None)."""
    import tracemalloc
    tracemalloc.start()
    error = None
    try:
        call()
    except Exception as e:   # noqa: BLE001 - returned to the test, which checks it
        error = e
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 2**20, error


BOMBS = {
    # a small file declaring a 20000 x 20000 gzip-compressed kernel (1.6 GB once read)
    "compressed kernel": lambda f, p: f.create_dataset(p, shape=(20000, 20000), dtype="f4", chunks=(1000, 1000),
                                                       compression="gzip"),
    "declared 50000 x 40000": lambda f, p: f.create_dataset(p, shape=(50000, 40000), dtype="f4", chunks=True),
}


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_a_memory_bomb_kernel_is_refused_before_it_is_read(saved, bomb):
    model, path = saved
    bad = edited(path, "bomb.h5", lambda f: _replace(f, _kernel_path(f), BOMBS[bomb]))
    assert os.path.getsize(bad) < 2**20
    for load in (lambda: load_model(bad), lambda: model.load_weights(bad)):
        peak, error = _peak_mib(load)
        assert isinstance(error, ValueError) and "shape" in str(error) and "kernel" in str(error)
        assert peak < 50                      # MiB: the 1.6 GB kernel was never read


def test_an_8_gb_optimizer_slot_is_not_read(saved):
    model, path = saved
    bad = tmp_path_copy(path, "slot.h5")
    with h5py.File(bad, "r+") as f:
        group = f["optimizer_weights"]
        name = group.attrs["weight_names"][1]
        name = name.decode() if isinstance(name, bytes) else name
        del group[name]
        group.create_dataset(name, shape=(50000, 40000), dtype="f4", chunks=True)
    with pytest.warns(UserWarning, match="freshly initialized optimizer"):
        peak, error = _peak_mib(lambda: load_model(bad))
    assert error is None and peak < 50        # MiB: the 8 GB slot was never read


def tmp_path_copy(path, name):
    copy = path.with_name(name)
    shutil.copy(path, copy)
    return copy


def _other_file(tmp_path):
    other = tmp_path / "secret.h5"
    with h5py.File(other, "w") as f:
        f["data"] = np.full((3, 4), 7.0, "float32")
    raw = tmp_path / "secret.bin"
    raw.write_bytes(np.full((3, 4), 7.0, "float32").tobytes())
    return other, raw


def _virtual(f, p, other):
    layout = h5py.VirtualLayout(shape=(3, 4), dtype="f4")
    layout[:] = h5py.VirtualSource(str(other), "data", shape=(3, 4))
    f.create_virtual_dataset(p, layout)


@pytest.mark.parametrize("kind, words", [("external link", "external link"), ("external storage", "external files"),
                                         ("virtual dataset", "virtual dataset")])
def test_data_outside_the_file_is_refused(saved, tmp_path, kind, words):
    model, path = saved
    other, raw = _other_file(tmp_path)
    makers = {
        "external link": lambda f, p: f.__setitem__(p, h5py.ExternalLink(str(other), "data")),
        "external storage": lambda f, p: f.create_dataset(p, shape=(3, 4), dtype="f4",
                                                          external=[(str(raw), 0, 48)]),
        "virtual dataset": lambda f, p: _virtual(f, p, other),
    }
    bad = edited(path, "outside.h5", lambda f: _replace(f, _kernel_path(f), makers[kind]))
    before = model.get_weights()
    for load in (lambda: load_model(bad), lambda: model.load_weights(bad)):
        with pytest.raises(ValueError, match=words):
            load()
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_folder_or_a_fifo_given_as_model_file_is_named_precisely(tmp_path):
    with pytest.raises(ValueError, match="is a folder, not a file"):
        load_model(tmp_path)
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        load_model(fifo)


def test_a_config_declaring_a_huge_dense_layer_is_refused_before_building(saved):
    _, path = saved

    def huge(config):
        first_dense(config)["config"]["units"] = 40000
        for layer in config["config"]["layers"]:
            if "batch_input_shape" in layer["config"]:
                layer["config"]["batch_input_shape"] = [None, 25000]
    bad = edited(path, "huge.h5", set_json("model_config", huge))
    peak, error = _peak_mib(lambda: load_model(bad))
    assert isinstance(error, ValueError) and "40000" in str(error) and "25000" in str(error)
    assert peak < 50
