"""Every new layer against tf_keras, live: forward, gradients, a 3-epoch fit, and HDF5 files both ways.

Runs when tf_keras is importable (marker ``tf_keras``), skipped otherwise. TensorFlow runs in one
subprocess (``tf_oracle.py``) fed with minikeras's inputs and weights. Tolerances (float32):
forward and gradients ``rtol 1e-5, atol 1e-5``; the fit's losses ``rtol 1e-5`` and final weights
``atol 1e-5`` after 3 epochs (4 batches each) of SGD from identical weights.
"""
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import minikeras
from minikeras import saving
from minikeras.layers import LAYERS

from .conformance_cases import CASES, build_fit_model

pytestmark = [pytest.mark.tf_keras,
              pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None,
                                 reason="tf_keras is not installed (pip install -e '.[conformance]')")]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _random_weights(layer, rng):
    weights = []
    for name, w in zip(layer.weight_names, layer.weights):
        if "moving_variance" in name:
            weights.append(rng.uniform(0.5, 1.5, w.shape))
        elif "gamma" in name:
            weights.append(1 + 0.3 * rng.normal(size=w.shape))
        else:
            weights.append(0.5 * rng.normal(size=w.shape))
    return [v.astype("float32") for v in weights]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """Runs every case on minikeras (here) and tf_keras (subprocess); returns ``(mini, tf)`` dicts."""
    minikeras.backend.set_floatx("float32")
    folder = tmp_path_factory.mktemp("conformance_layers")
    rng = np.random.default_rng(0)
    feed, mini = {}, {}
    for i, (cls, kwargs, shape, training) in enumerate(CASES):
        layer = LAYERS[cls](dtype="float32", **kwargs)
        x = rng.normal(size=shape).astype("float32")
        layer.build_from_shape((None,) + shape[1:])
        weights = _random_weights(layer, rng)
        layer.set_weights(weights)
        y = layer(x, training=training)
        r = rng.normal(size=y.shape).astype("float32")
        mini[f"{i}/y"], mini[f"{i}/dx"] = y, layer.backward(r)
        mini.update({f"{i}/dw{j}": g for j, g in enumerate(layer.grads)})
        mini.update({f"{i}/after{j}": w for j, w in enumerate(layer.get_weights())})
        feed.update({f"{i}/x": x, f"{i}/r": r}, **{f"{i}/w{j}": w for j, w in enumerate(weights)})
    minikeras.utils.set_random_seed(0)                   # the same initial weights on every run
    model = build_fit_model(minikeras)
    x = rng.random((64, 8, 8, 1), dtype=np.float32)
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 64)]
    feed.update({"fit/x": x, "fit/y": y}, **{f"fit/w{j}": w for j, w in enumerate(model.get_weights())})
    mini["fit/loss"] = np.array(model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history["loss"])
    mini.update({f"fit/after{j}": w for j, w in enumerate(model.get_weights())})
    mini["fit/predict"] = model.predict(x, verbose=0)
    mini["h5/names"] = [n for layer in model.layers for n in layer.weight_names]
    model.save(str(folder / "minikeras_cnn.h5"))

    cases = [{"class_name": c, "kwargs": k, "training": t, "n_weights": sum(key.startswith(f"{i}/w") for key in feed)}
             for i, (c, k, _, t) in enumerate(CASES)]
    (folder / "cases.json").write_text(json.dumps(cases))
    np.savez(folder / "inputs.npz", **feed)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "tests.layers.tf_oracle", str(folder / "cases.json"),
                           str(folder / "inputs.npz"), str(folder / "outputs.npz"), str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    oracle = dict(np.load(folder / "outputs.npz"))
    mini["h5/minikeras_predicts_tf_file"] = saving.load_model(str(folder / "tf_keras_cnn.h5")).predict(x, verbose=0)
    return mini, oracle


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{c}-{n}" for n, (c, *_) in enumerate(CASES)])
def test_layer_forward_gradients_and_state(both, i):
    mini, oracle = both
    keys = sorted(k for k in oracle if k.startswith(f"{i}/"))
    assert {k for k in mini if k.startswith(f"{i}/")} == set(keys)
    for key in keys:
        np.testing.assert_allclose(mini[key], oracle[key], rtol=1e-5, atol=1e-5, err_msg=f"{CASES[i][0]} {key}")


def test_three_epoch_fit_from_identical_weights(both):
    mini, oracle = both
    np.testing.assert_allclose(mini["fit/loss"], oracle["fit/loss"], rtol=1e-5)
    for key in (k for k in oracle if k.startswith("fit/after")):
        np.testing.assert_allclose(mini[key], oracle[key], atol=1e-5, err_msg=key)


def test_hdf5_files_open_both_ways(both):
    mini, oracle = both
    assert list(oracle["h5/names"]) == mini["h5/names"]     # tf_keras's names, e.g. batch_normalization/gamma:0
    np.testing.assert_allclose(oracle["h5/tf_predicts_minikeras_file"], mini["fit/predict"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(mini["h5/minikeras_predicts_tf_file"], oracle["h5/tf_model_predicts"],
                               rtol=1e-5, atol=1e-6)
