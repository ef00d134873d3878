"""The TensorBoard callback: logs read back through TensorBoard's own data provider, and its web app."""
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from minikeras import backend
from minikeras.callbacks.callback import Callback
from minikeras.callbacks.callback_list import CallbackList
from minikeras.callbacks.tensorboard import TensorBoard
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.tensorboard.histogram import histogram_buckets
from minikeras.tensorboard.weight_images import to_uint8, weight_to_images
from minikeras.utils import to_categorical



def _reading():
    """The TensorBoard-backed readers; skips the test when the tensorboard package is missing."""
    return pytest.importorskip("tests.tensorboard.reading")


# What tf_keras 2.21 wrote for the same run: Sequential([Dense(5, relu, input_dim=4, name='d1'),
# Dense(3, softmax, name='d2')]), compile('rmsprop', 'categorical_crossentropy', metrics=['accuracy']),
# fit(x[40, 4], y, batch_size=16, epochs=2, validation_split=0.25, callbacks=[TensorBoard(logdir,
# histogram_freq=1, write_images=True, update_freq='batch', write_steps_per_second=True)]); events decoded with
# tensorboard's RawEventFileLoader: {(run, tag): (plugin_name, steps)}. ('<graph_def>' is the op-graph event;
# the *_steps_per_second tags come from write_steps_per_second, which minikeras does not have.)
TK_TAGS = {
    ("train", "keras"): ("graph_keras_model", [0]),
    ("train", "<graph_def>"): ("graphs", [0]),
    ("train", "batch_loss"): ("scalars", [1, 2, 3, 4]),
    ("train", "batch_accuracy"): ("scalars", [1, 2, 3, 4]),
    ("train", "epoch_loss"): ("scalars", [0, 1]),
    ("train", "epoch_accuracy"): ("scalars", [0, 1]),
    **{("train", f"{layer}/{weight}_0/{kind}"): (kind + "s", [0, 1])
       for layer in ("d1", "d2") for weight in ("kernel", "bias") for kind in ("histogram", "image")},
    ("validation", "evaluation_loss_vs_iterations"): ("scalars", [2, 4]),
    ("validation", "evaluation_accuracy_vs_iterations"): ("scalars", [2, 4]),
    ("validation", "epoch_loss"): ("scalars", [0, 1]),
    ("validation", "epoch_accuracy"): ("scalars", [0, 1]),
}
# The SummaryMetadata bytes tf_keras 2.21 wrote (same run, value.metadata.SerializeToString()).
TK_METADATA = {"scalars": b"\n\t\n\x07scalars", "histograms": b"\n\x0c\n\nhistograms", "images": b"\n\x08\n\x06images",
               "graph_keras_model": b"\n\x16\n\x11graph_keras_model\x12\x011"}
EVENT_FILE = re.compile(r"events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+\.v2$")


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 4)).astype("float32"), to_categorical(rng.integers(0, 3, n), 3)


def _model():
    backend.clear_session()
    model = Sequential([Dense(5, activation="relu", input_dim=4, name="d1"),
                        Dense(3, activation="softmax", name="d2")])
    model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
    return model


def _tags(logdir):
    """{(run, tag): (plugin_name, steps)} from the raw events, like TK_TAGS."""
    found = {}
    for path in sorted(glob.glob(os.path.join(str(logdir), "*", "events.out.tfevents.*"))):
        run = os.path.basename(os.path.dirname(path))
        for event in _reading().raw_events(path):
            if event.WhichOneof("what") == "summary":
                for value in event.summary.value:
                    entry = found.setdefault((run, value.tag), (value.metadata.plugin_data.plugin_name, []))
                    entry[1].append(event.step)
                    assert value.metadata.SerializeToString() == TK_METADATA[entry[0]]
            elif event.WhichOneof("what") == "graph_def":
                found.setdefault((run, "<graph_def>"), ("graphs", []))[1].append(event.step)
    return found


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """One fit with everything on; returns (logdir, model, history, x, embeddings metadata lines)."""
    logdir = tmp_path_factory.mktemp("logs")
    x, y = _data()
    labels = [f"point {i}" for i in range(8)]
    meta = tmp_path_factory.mktemp("meta") / "labels.tsv"
    meta.write_text("\n".join(labels) + "\n")
    model = _model()
    callback = TensorBoard(str(logdir), histogram_freq=1, write_grads=True, write_images=True, update_freq="batch",
                           embeddings_freq=1, embeddings_data=x[:8], embeddings_metadata={"d1": str(meta)})
    history = model.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, callbacks=[callback], verbose=0)
    return logdir, model, history, x, labels


# ---------------------------------------------------------------------- layout and tags
def test_layout_is_tf_keras(full_run):
    logdir = full_run[0]
    assert sorted(os.listdir(logdir)) == ["embeddings", "projector_config.pbtxt", "train", "validation"]
    for run in ("train", "validation"):
        [name] = os.listdir(logdir / run)
        assert EVENT_FILE.match(name)


def test_every_tf_keras_tag_is_written_with_the_same_plugin_and_steps(full_run):
    ours = _tags(full_run[0])
    for key, expected in TK_TAGS.items():
        assert ours[key] == expected, key


def test_extra_tags_are_activations_and_gradients(full_run):
    extra = set(_tags(full_run[0])) - set(TK_TAGS)
    assert extra == {("train", f"{layer}/{weight}_0_grad/histogram") for layer in ("d1", "d2")
                     for weight in ("kernel", "bias")} | {("validation", "d1_out/histogram"),
                                                          ("validation", "d2_out/histogram")}


# ---------------------------------------------------------------------- values, read by TensorBoard's data provider
def test_epoch_scalars_equal_the_history(full_run):
    logdir, _, history, _, _ = full_run
    scalars = _reading().Logs(logdir).scalars()
    for key, values in history.history.items():
        run, name = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
        assert scalars[run][f"epoch_{name}"] == [(epoch, np.float32(v)) for epoch, v in enumerate(values)]


def test_batch_and_evaluation_scalars(full_run):
    logdir, _, history, _, _ = full_run
    scalars = _reading().Logs(logdir).scalars()
    # the batch logs are running means, so each epoch's last batch equals the epoch value
    batch_loss = dict(scalars["train"]["batch_loss"])
    assert [batch_loss[2], batch_loss[4]] == [np.float32(v) for v in history.history["loss"]]
    assert scalars["validation"]["evaluation_loss_vs_iterations"] == \
        [(2, np.float32(history.history["val_loss"][0])), (4, np.float32(history.history["val_loss"][1]))]


def test_histogram_counts_equal_weight_sizes(full_run):
    logdir, model, _, x, _ = full_run
    tensors = _reading().Logs(logdir).tensors("histograms")
    for layer in model.layers:
        for name, weight in zip(layer.weight_names, layer.weights):
            tag = name.replace(":", "_")
            series = tensors["train"][tag + "/histogram"]
            assert [step for step, _ in series] == [0, 1]
            assert all(buckets[:, 2].sum() == weight.size for _, buckets in series)
            np.testing.assert_array_equal(series[-1][1], histogram_buckets(weight))   # the final weights
            grads = tensors["train"][tag + "_grad/histogram"]
            assert all(buckets[:, 2].sum() == weight.size for _, buckets in grads)
    n_val = 10                                                      # validation_split=0.25 of 40 rows
    for layer in model.layers:
        for _, buckets in tensors["validation"][f"{layer.name}_out/histogram"]:
            assert buckets[:, 2].sum() == n_val * layer.units


def test_images_have_tf_keras_sizes_and_the_weights_pixels(full_run):
    image_module = pytest.importorskip("PIL.Image")
    import io
    logdir, model, _, _, _ = full_run
    blobs = _reading().Logs(logdir).blobs("images")["train"]
    # tf_keras 2.21's [width, height] for these weights (recorded in the run of TK_TAGS)
    sizes = {"d1/kernel_0": [b"5", b"4"], "d1/bias_0": [b"1", b"5"], "d2/kernel_0": [b"5", b"3"],
             "d2/bias_0": [b"1", b"3"]}
    for layer in model.layers:
        for name, weight in zip(layer.weight_names, layer.weights):
            tag = name.replace(":", "_")
            step, images = blobs[tag + "/image"][-1]
            assert step == 1 and images[:2] == sizes[tag]
            pixels = np.array(image_module.open(io.BytesIO(images[2])))
            np.testing.assert_array_equal(pixels, to_uint8(weight_to_images(weight))[0, :, :, 0])


def test_keras_config_and_op_graph(full_run):
    logs = _reading().Logs(full_run[0])
    from tensorboard.plugins.base_plugin import TBContext
    from tensorboard.plugins.graph.graphs_plugin import GraphsPlugin
    model = full_run[1]
    [(step, [blob])] = logs.blobs("graph_keras_model")["train"]["keras"]
    config = json.loads(blob)
    assert step == 0 and config["class_name"] == "Sequential"
    assert config["config"]["layers"][-2:] == [{"class_name": "Dense", "config": layer.get_config()}
                                               for layer in model.layers]
    plugin = GraphsPlugin(TBContext(data_provider=logs.provider))
    conceptual, _ = plugin.graph_impl(logs.ctx, "train", "keras", is_conceptual=True, experiment="")
    assert 'name: "sequential/d1"' in conceptual and 'input: "sequential/d1"' in conceptual
    op_graph, _ = plugin.graph_impl(logs.ctx, "train", None, is_conceptual=False, experiment="")
    assert 'name: "d2/Dense"' in op_graph and 'input: "d1/Dense"' in op_graph


def test_projector_serves_the_layer_outputs_and_labels(full_run):
    logdir, model, _, x, labels = full_run
    logs = _reading().Logs(logdir)
    from tensorboard.plugins.base_plugin import TBContext
    from tensorboard.plugins.projector.projector_plugin import ProjectorPlugin
    from werkzeug.test import Client
    apps = ProjectorPlugin(TBContext(logdir=str(logdir), data_provider=logs.provider)).get_plugin_apps()
    assert json.loads(Client(apps["/runs"]).get("/runs").data) == ["."]
    config = json.loads(Client(apps["/info"]).get("/info?run=.").data)
    assert [e["tensorName"] for e in config["embeddings"]] == ["d1_embedding", "d2_embedding"]
    expected = {"d1_embedding": np.maximum(x[:8] @ model.layers[0].kernel + model.layers[0].bias, 0),
                "d2_embedding": model.predict(x[:8])}
    for name, values in expected.items():
        data = Client(apps["/tensor"]).get(f"/tensor?run=.&name={name}").data
        got = np.frombuffer(data, np.float32).reshape(values.shape)
        np.testing.assert_allclose(got, values, rtol=1e-5, atol=1e-6)
    metadata = Client(apps["/metadata"]).get("/metadata?run=.&name=d1_embedding").data.decode()
    assert metadata.splitlines() == labels


# ---------------------------------------------------------------------- no cost unless asked
def test_no_batch_hooks_and_no_batch_events_with_update_freq_epoch(tmp_path):
    callback = TensorBoard(str(tmp_path))
    assert CallbackList([callback], model=_model())._batch_hooks == {"train": False, "test": False, "predict": False}

    calls = []

    class Spy(TensorBoard):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(batch)

    x, y = _data()
    _model().fit(x, y, batch_size=8, epochs=1, callbacks=[Spy(str(tmp_path / "spy"))], verbose=0)
    assert calls == []                       # fit skipped the batch hooks entirely
    _model().fit(x, y, batch_size=8, epochs=2, callbacks=[TensorBoard(str(tmp_path / "plain"))], verbose=0)
    tags = _tags(tmp_path / "plain")
    assert set(tags) == {("train", "keras"), ("train", "<graph_def>"), ("train", "epoch_loss"),
                         ("train", "epoch_accuracy")}


def test_update_freq_integer_writes_every_n_batches(tmp_path):
    x, y = _data()
    _model().fit(x, y, batch_size=8, epochs=2, verbose=0,                    # 5 batches per epoch
                 callbacks=[TensorBoard(str(tmp_path), write_graph=False, update_freq=3)])
    assert _tags(tmp_path)[("train", "batch_loss")] == ("scalars", [3, 6, 9])


def test_histogram_freq_two_writes_every_other_epoch(tmp_path):
    x, y = _data()
    _model().fit(x, y, epochs=3, validation_data=(x[:5], y[:5]), verbose=0,
                 callbacks=[TensorBoard(str(tmp_path), histogram_freq=2, write_graph=False)])
    tags = _tags(tmp_path)
    assert tags[("train", "d1/kernel_0/histogram")] == ("histograms", [0, 2])
    assert tags[("validation", "d2_out/histogram")] == ("histograms", [0, 2])


# ---------------------------------------------------------------------- warnings, not errors
def test_histograms_without_validation_data_warn_and_still_write_weights(tmp_path):
    x, y = _data()
    with pytest.warns(UserWarning, match="Activation histograms need validation data"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(str(tmp_path), histogram_freq=1)])
    tags = _tags(tmp_path)
    assert ("train", "d1/kernel_0/histogram") in tags and not any(t.endswith("_out/histogram") for _, t in tags)


def test_options_that_need_histograms_warn(tmp_path):
    with pytest.warns(UserWarning, match="write_grads=True has no effect"):
        TensorBoard(str(tmp_path), write_grads=True)


def test_non_numeric_logs_and_nan_weights_warn(tmp_path):
    class AddText(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["note"] = "text"
            self.model.layers[1].bias[0] = np.nan

    x, y = _data()
    model = _model()
    with pytest.warns(UserWarning) as record:
        model.fit(x, y, epochs=1, verbose=0, callbacks=[AddText(), TensorBoard(str(tmp_path), histogram_freq=1)])
    messages = " ".join(str(w.message) for w in record)
    assert "cannot plot the log 'note'" in messages and "d2/bias_0/histogram holds NaN" in messages
    tags = _tags(tmp_path)
    assert ("train", "d2/bias_0/histogram") not in tags and ("train", "d2/kernel_0/histogram") in tags


def test_metadata_problems_warn(tmp_path):
    x, y = _data()
    short = tmp_path / "short.tsv"
    short.write_text("a\nb\n")
    with pytest.warns(UserWarning) as record:
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(
            str(tmp_path / "logs"), embeddings_freq=1, embeddings_data=x[:4],
            embeddings_metadata={"d1": str(short), "d2": str(tmp_path / "missing.tsv")})])
    messages = " ".join(str(w.message) for w in record)
    assert "labels 2 points but layer 'd1' has 4" in messages and "missing.tsv" in messages


# ---------------------------------------------------------------------- errors for bad arguments
@pytest.mark.parametrize("kwargs, match", [
    ({"histogram_freq": -1}, "histogram_freq must be an int >= 0"),
    ({"batch_size": 0}, "batch_size must be an int >= 1"),
    ({"update_freq": "sometimes"}, "update_freq must be 'epoch', 'batch' or an int"),
    ({"embeddings_freq": 1}, "embeddings_data must be provided"),
])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        TensorBoard(str(tmp_path), **kwargs)


def test_unknown_embedding_layer_fails_before_training(tmp_path):
    x, y = _data()
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"unknown layer\(s\) \['nope'\]"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(
            str(tmp_path), embeddings_freq=1, embeddings_data=x, embeddings_layer_names=["nope"])])
    np.testing.assert_array_equal(model.get_weights()[0], before[0])


def test_a_second_fit_starts_new_files_without_repeating_the_graph(tmp_path):
    x, y = _data()
    model, callback = _model(), TensorBoard(str(tmp_path))
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    model.fit(x, y, epochs=2, initial_epoch=1, verbose=0, callbacks=[callback])
    assert len(os.listdir(tmp_path / "train")) == 2
    tags = _tags(tmp_path)
    assert tags[("train", "keras")][1] == [0] and tags[("train", "epoch_loss")][1] == [0, 1]


def test_evaluate_writes_evaluation_scalars_and_closes_its_file(tmp_path):
    x, y = _data()
    model, callback = _model(), TensorBoard(str(tmp_path))
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)                   # 5 optimizer iterations
    loss, accuracy = model.evaluate(x, y, verbose=0, callbacks=[callback])
    scalars = _reading().Logs(tmp_path).scalars()["validation"]
    assert scalars["evaluation_loss_vs_iterations"] == [(5, np.float32(loss))]
    assert scalars["evaluation_accuracy_vs_iterations"] == [(5, np.float32(accuracy))]
    assert callback._writers == {}


def test_a_hand_written_loop_can_call_on_epoch_end_directly(tmp_path):
    x, _ = _data()
    model, callback = _model(), TensorBoard(str(tmp_path), write_graph=False, embeddings_freq=1,
                                            embeddings_data=x[:3])
    callback.set_model(model)
    callback.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.25})
    callback.on_train_end()
    assert (tmp_path / "embeddings" / "d2.tsv").read_text().count("\n") == 3
    assert _tags(tmp_path) == {("train", "epoch_loss"): ("scalars", [0]),
                               ("validation", "epoch_loss"): ("scalars", [0])}


# ---------------------------------------------------------------------- live comparison with tf_keras
def test_tags_match_a_live_tf_keras_run(tmp_path):
    _reading()
    pytest.importorskip("tf_keras")
    code = (
        "import numpy as np, tf_keras as keras, sys\n"
        "rng = np.random.default_rng(0); x = rng.random((40, 4)).astype('float32')\n"
        "y = keras.utils.to_categorical(rng.integers(0, 3, 40), 3)\n"
        "m = keras.Sequential([keras.layers.Dense(5, activation='relu', input_dim=4, name='d1'),"
        " keras.layers.Dense(3, activation='softmax', name='d2')])\n"
        "m.compile('rmsprop', 'categorical_crossentropy', metrics=['accuracy'])\n"
        "m.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, verbose=0, callbacks=["
        "keras.callbacks.TensorBoard(sys.argv[1], histogram_freq=1, write_images=True, update_freq='batch',"
        " write_steps_per_second=True)])\n")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env, timeout=300,
                   capture_output=True)
    theirs = {k: v for k, v in _tags(tmp_path).items() if "steps_per_second" not in k[1]}
    assert theirs == TK_TAGS


# ---------------------------------------------------------------------- the real TensorBoard app
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_tensorboard_app_serves_the_scalars(full_run):
    pytest.importorskip("tensorboard", reason="the tensorboard package is not installed (pip install tensorboard)")
    executable = shutil.which("tensorboard") or os.path.join(os.path.dirname(sys.executable), "tensorboard")
    if not os.path.exists(executable):
        pytest.skip("the tensorboard command is not installed (pip install tensorboard)")
    logdir, _, history, _, _ = full_run
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([executable, "--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        tags, deadline = {}, time.monotonic() + 120
        while "epoch_loss" not in tags.get("train", {}) and time.monotonic() < deadline:
            assert server.poll() is None, "tensorboard exited early"
            try:
                tags = _get_json(base + "/data/plugin/scalars/tags")
            except OSError:
                pass
            time.sleep(0.5)
        assert set(tags["train"]) >= {"epoch_loss", "epoch_accuracy", "batch_loss"}
        assert set(tags["validation"]) >= {"epoch_loss", "evaluation_loss_vs_iterations"}
        series = _get_json(base + "/data/plugin/scalars/scalars?run=validation&tag=epoch_loss")
        assert [(step, value) for _, step, value in series] == \
            [(epoch, pytest.approx(v, rel=1e-6)) for epoch, v in enumerate(history.history["val_loss"])]
        histograms = _get_json(base + "/data/plugin/histograms/histograms?run=train&tag=d1/kernel_0/histogram")
        assert [sum(count for _, _, count in buckets) for _, _, buckets in histograms] == [20, 20]
        assert _get_json(base + "/data/plugin/graphs/info")["train"]["run_graph"] is True
        assert _get_json(base + "/data/plugin/projector/runs") == ["."]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


# --------------------------------------------------------------------------- issue 14, item 13: released however fit ends
def test_a_callback_that_raises_leaves_no_file_open_and_no_layer_cache(tmp_path):
    import gc
    import os

    import numpy as np

    from minikeras.callbacks import LambdaCallback, TensorBoard
    from minikeras.layers import Dense
    from minikeras.models import Sequential

    def open_files():
        return {os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                if os.path.exists(f"/proc/self/fd/{fd}")}

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc")
    model = Sequential([Dense(4, input_dim=3, activation="relu"), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")

    def fail(epoch, logs):
        raise RuntimeError("a callback failed")

    for _ in range(3):
        with pytest.raises(RuntimeError, match="a callback failed"):
            model.fit(np.ones((8, 3)), np.ones(8), epochs=2, verbose=0, validation_split=0.25, callbacks=[
                TensorBoard(str(tmp_path / "logs")), LambdaCallback(on_epoch_end=fail)])
    gc.collect()
    assert not [path for path in open_files() if str(tmp_path) in path]
    assert all(name not in vars(layer) for layer in model.layers for name in type(layer)._CACHE)


def test_a_log_dir_that_cannot_be_made_fails_before_training(tmp_path, monkeypatch):
    import minikeras.callbacks.tensorboard as tensorboard_module

    def refuse(folder):
        raise PermissionError(13, "Permission denied", folder)
    monkeypatch.setattr(tensorboard_module, "EventFileWriter", refuse)
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    before = model.get_weights()[0].copy()
    with pytest.raises(ValueError, match=r"TensorBoard cannot write its logs into .*train'.*Permission denied"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[TensorBoard(str(tmp_path / "logs"))])
    np.testing.assert_array_equal(model.get_weights()[0], before)
