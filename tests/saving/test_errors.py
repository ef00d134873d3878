"""Bad input: every error is clear, raised before any weight changes, and nothing is ever evaluated."""
import io
import json
import os
import sys

import h5py
import numpy as np
import pytest

from minikeras import backend as K
from minikeras.layers import Dense
from minikeras.models import Sequential, load_model, model_from_json
from tests.saving import helpers


@pytest.fixture
def saved(tmp_path):
    """A trained model, its model file and its weights file."""
    model, x, _ = helpers.trained()
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "w.h5")
    return model, tmp_path / "m.h5", tmp_path / "w.h5"


def _unchanged(model, before):
    return all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before))


def _edit(path, fn):
    with h5py.File(path, "r+") as f:
        fn(f)


# --------------------------------------------------------------------------- not a (Keras) file
def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        load_model(tmp_path / "nope.h5")


def test_not_an_hdf5_file(tmp_path, saved):
    model = saved[0]
    (tmp_path / "x.h5").write_bytes(b"\x80\x04\x95 this could be a pickle; it is never unpickled")
    before = model.get_weights()
    for call in (lambda: load_model(tmp_path / "x.h5"), lambda: model.load_weights(tmp_path / "x.h5")):
        with pytest.raises(ValueError, match="not an HDF5 file"):
            call()
    assert _unchanged(model, before)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9, 0.99])
def test_truncated_file(tmp_path, saved, fraction):
    model, path, weights_path = saved
    for source in (path, weights_path):
        data = source.read_bytes()
        (tmp_path / "t.h5").write_bytes(data[:int(len(data) * fraction)])
        before = model.get_weights()
        with pytest.raises(ValueError, match="truncated or corrupt|not an HDF5"):
            model.load_weights(tmp_path / "t.h5")
        assert _unchanged(model, before)
        with pytest.raises(ValueError, match="truncated or corrupt|not an HDF5"):
            load_model(tmp_path / "t.h5")


def test_hdf5_but_not_keras(tmp_path, saved):
    model = saved[0]
    with h5py.File(tmp_path / "d.h5", "w") as f:
        f.create_dataset("data", data=np.arange(3))
    with pytest.raises(ValueError, match="no model_config"):
        load_model(tmp_path / "d.h5")
    with pytest.raises(ValueError, match="not a Keras 2 weights or model file"):
        model.load_weights(tmp_path / "d.h5")


def test_model_file_without_weights_group(saved):
    _edit(saved[1], lambda f: f.__delitem__("model_weights"))
    with pytest.raises(ValueError, match="no 'model_weights' group"):
        load_model(saved[1])


def test_weights_file_given_to_load_model(saved):
    with pytest.raises(ValueError, match="weights file.*load_weights"):
        load_model(saved[2])


def test_keras_3_weights_file_is_named(tmp_path, saved):
    with h5py.File(tmp_path / "k3.weights.h5", "w") as f:  # KERAS_BEHAVIOUR.md 4.5
        f.create_group("layers/dense/vars").create_dataset("0", data=np.zeros((5, 8)))
        f.create_group("vars")
    with pytest.raises(ValueError, match="Keras 3"):
        saved[0].load_weights(tmp_path / "k3.weights.h5")


def test_invalid_json_config(saved):
    _edit(saved[1], lambda f: f.attrs.__setitem__("model_config", b"{not json"))
    with pytest.raises(ValueError, match="model_config attribute is not valid JSON"):
        load_model(saved[1])
    with pytest.raises(ValueError, match="not valid JSON"):
        model_from_json("[1, 2")


# --------------------------------------------------------------------------- unknown names, no code execution
def _layer(config, name):
    return next(layer for layer in config["config"]["layers"] if layer["config"]["name"] == name)


def _set_config(path, edit):
    def fn(f):
        config = json.loads(f.attrs["model_config"])
        edit(config)
        f.attrs["model_config"] = json.dumps(config).encode()
    _edit(path, fn)


def test_unknown_layer_class_names_it_and_custom_objects(saved):
    _set_config(saved[1], lambda c: _layer(c, "dropout").update(class_name="MyDropout"))
    with pytest.raises(ValueError, match=r"'MyDropout'.*custom_objects"):
        load_model(saved[1])


def test_unknown_model_class_and_functional(saved):
    _set_config(saved[1], lambda c: c.update(class_name="MyModel"))
    with pytest.raises(ValueError, match=r"'MyModel'.*custom_objects"):
        load_model(saved[1])
    _set_config(saved[1], lambda c: c.update(class_name="Functional"))  # a Sequential config: no input_layers
    with pytest.raises(ValueError, match="needs the lists 'input_layers' and 'output_layers'"):
        load_model(saved[1])


def test_code_in_a_config_is_never_run(tmp_path, saved):
    marker = tmp_path / "pwned"
    code = f"__import__('os').system('touch {marker}')"
    _set_config(saved[1], lambda c: _layer(c, "dense")["config"].update(activation=code))
    with pytest.raises(ValueError, match=r"Unknown activation.*custom_objects"):
        load_model(saved[1])
    with pytest.raises(ValueError, match="Unknown model class"):
        model_from_json(json.dumps({"class_name": code, "config": {}}))
    assert not marker.exists()


def test_unsupported_keras_feature_is_named(saved):
    _set_config(saved[1], lambda c: _layer(c, "dense")["config"].update(lora_rank=4))
    with pytest.raises(ValueError, match="lora_rank.*does not implement"):
        load_model(saved[1])


def test_constraint_in_a_keras_config_is_loaded(saved):
    _set_config(saved[1], lambda c: _layer(c, "dense")["config"].update(
        kernel_constraint={"class_name": "MaxNorm", "config": {"max_value": 2}}))
    dense = next(layer for layer in load_model(saved[1]).layers if layer.name == "dense")
    assert dense.kernel_constraint.get_config() == {"max_value": 2, "axis": 0}


def test_unknown_loss_points_to_custom_objects_and_compile_false(saved):
    def fn(f):
        training = json.loads(f.attrs["training_config"])
        training["loss"] = "my_loss"
        f.attrs["training_config"] = json.dumps(training).encode()
    _edit(saved[1], fn)
    with pytest.raises(ValueError, match=r"loss 'my_loss'.*custom_objects.*compile=False"):
        load_model(saved[1])
    assert load_model(saved[1], compile=False).optimizer is None


# --------------------------------------------------------------------------- mismatches: nothing half-loaded
def test_shape_mismatch_changes_nothing(saved):
    K.set_seed(0)
    model = Sequential([Dense(8, input_dim=5), Dense(4), Dense(3)])  # 2nd Dense: 4 units, not 3 ... and 3 layers
    before = model.get_weights()
    with pytest.raises(ValueError, match="2 layers with weights.*3"):
        model.load_weights(saved[2])
    model = Sequential([Dense(8, input_dim=5, activation="relu"), Dense(4)])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"'dense_1/kernel:0'.*\(8, 4\).*\(8, 3\).*Nothing was loaded"):
        model.load_weights(saved[2])
    assert _unchanged(model, before)  # the first layer matched, but was not set either


def test_weight_count_mismatch_changes_nothing(saved):
    model = Sequential([Dense(8, input_dim=5, use_bias=False), Dense(3)])
    before = model.get_weights()
    with pytest.raises(ValueError, match="has 1 weights but the file's layer 'dense' has 2"):
        model.load_weights(saved[2])
    assert _unchanged(model, before)


def test_file_whose_weights_disagree_with_its_config(saved):
    _set_config(saved[1], lambda c: _layer(c, "dense_1")["config"].update(units=4))
    with pytest.raises(ValueError, match="shape"):
        load_model(saved[1])


def test_non_numeric_or_missing_dataset(saved):
    model = saved[0]
    before = model.get_weights()

    def strings(f):
        del f["dense_1/dense_1/bias:0"]
        f.create_dataset("dense_1/dense_1/bias:0", data=np.array([b"a", b"b", b"c"]))
    _edit(saved[2], strings)
    with pytest.raises(ValueError, match="not numbers"):
        model.load_weights(saved[2])
    _edit(saved[2], lambda f: f.__delitem__("dense_1/dense_1/bias:0"))
    with pytest.raises(ValueError, match="no such dataset"):
        model.load_weights(saved[2])
    assert _unchanged(model, before)


def test_skip_mismatch_needs_by_name(saved):
    with pytest.raises(ValueError, match="by_name=True"):
        saved[0].load_weights(saved[2], skip_mismatch=True)


# --------------------------------------------------------------------------- writing
def test_unbuilt_models_cannot_be_saved_or_loaded_into(tmp_path, saved):
    model = Sequential([Dense(3)])
    with pytest.raises(ValueError, match="no weights yet.*input_dim"):
        model.save(tmp_path / "u.h5")
    with pytest.raises(ValueError, match="no weights yet"):
        model.load_weights(saved[2])
    assert not (tmp_path / "u.h5").exists()


def test_bad_paths_and_arguments(tmp_path, saved):
    model = saved[0]
    with pytest.raises(TypeError, match="filepath must be a path"):
        model.save(123)
    with pytest.raises(ValueError, match="is a folder"):
        model.save(tmp_path)
    with pytest.raises(ValueError, match="save_format='h5'"):
        model.save(tmp_path / "m2", save_format="tf")
    with pytest.raises(TypeError, match="Unexpected keyword"):
        model.save_weights(tmp_path / "w2.h5", bogus=1)
    model.save(tmp_path / "m3.h5", options=None, signatures=None)  # Keras's SavedModel arguments: ignored
    assert not (tmp_path / "m2").exists() and (tmp_path / "m3.h5").exists()


def test_overwrite_false_without_a_terminal_raises_and_keeps_the_file(saved, monkeypatch):
    model, path, _ = saved
    before = path.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    for call in (lambda: model.save(path, overwrite=False), lambda: model.save_weights(path, overwrite=False)):
        with pytest.raises(FileExistsError, match="overwrite=True"):
            call()
    assert path.read_bytes() == before


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_overwrite_false_at_a_terminal_asks_like_keras(saved, monkeypatch, capsys):
    model, path, _ = saved
    before = path.read_bytes()
    model.layers[0].kernel[...] = 0
    monkeypatch.setattr(sys, "stdin", _Terminal())
    answers = iter(["maybe", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    model.save(path, overwrite=False)
    assert path.read_bytes() == before
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    model.save(path, overwrite=False)
    assert "[TIP] Next time specify overwrite=True!" in capsys.readouterr().out
    assert not load_model(path).layers[0].kernel.any()
    assert sorted(os.listdir(path.parent)) == ["m.h5", "w.h5"]  # no temporary files left


def test_an_open_h5py_file_and_a_custom_objects_list_are_refused_by_name(saved):
    model, path, _ = saved
    with h5py.File(path, "r") as f:
        with pytest.raises(TypeError, match=r"minikeras has no saving or loading through an open h5py.File.*"
                                            r"f.filename"):
            load_model(f)
    with pytest.raises(TypeError, match=r"custom_objects must be a dict \{name: class or function\}.*got list"):
        load_model(path, custom_objects=[Dense])
    with pytest.raises(TypeError, match="custom_objects must be a dict"):
        model_from_json(model.to_json(), custom_objects=("Dense",))


def test_model_from_config_rebuilds_the_architecture(saved):
    from minikeras.models import model_from_config
    model, _, _ = saved
    rebuilt = model_from_config({"class_name": "Sequential", "config": model.get_config()})
    assert [type(layer) for layer in rebuilt.layers] == [type(layer) for layer in model.layers]
    assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in model.get_weights()]
    with pytest.raises(TypeError, match="got a list"):
        model_from_config([model.get_config()])
