"""Runs Keras 2.2.4's example scripts on minikeras; keeps their results and writes the docs page from them.

Each script of ``examples/`` at the tag is copied into a temporary folder (never into this
repository) and run unchanged as::

    python -m minikeras run --data offline --data-scale 0.02 --epochs 1 SCRIPT.py

with a time limit per script. A result is ``passed`` (exit status 0), ``timeout`` (still running
at the limit) or ``failed`` (with the last line of the error). The results go to a JSON file
(``docs/examples/results.json``); the page ``docs/running-keras-examples.md`` is generated from that
file alone (``tests/tools/test_examples_table.py`` checks that the page is what this script
writes), so the table cannot drift from the recorded runs. ``NOTES`` says, for the examples that do
not pass, what minikeras misses (or why the example is out of scope).

Usage (``REPO`` is a clone, or a bare git directory, of keras-team/keras)::

    python tools/examples_table.py run REPO [NAME ...] [--tag 2.2.4] [--timeout 300] [--data-scale 0.02]
    python tools/examples_table.py page            # rewrite the page from the results file
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from minikeras.datasets import example_files, use_offline  # noqa: E402 - this repository's minikeras
RESULTS = ROOT / "docs" / "examples" / "results.json"
PAGE = ROOT / "docs" / "running-keras-examples.md"
STATUSES = ("passed", "failed", "timeout", "out of scope")

#: Why an example does not pass (what minikeras lacks), or why it is out of scope: name -> (status, reason).
#: A status of None keeps the recorded result and only explains it.
OUT = "out of scope"
NOTES = {
    "addition_rnn.py": (None, "trains in a loop of its own, 199 x `fit(45,000 generated questions, epochs=1)`, "
                              "which `--epochs 1` does not shorten"),
    "babi_memnn.py": (OUT, "downloads the bAbI tasks (no offline stand-in), and the script's `tokenize()` calls "
                           "`re.split('(\\W+)?', ...)`, which fails on Python >= 3.7 whatever the Keras"),
    "babi_rnn.py": (OUT, "downloads the bAbI tasks (no offline stand-in), and the script's `tokenize()` calls "
                         "`re.split('(\\W+)?', ...)`, which fails on Python >= 3.7 whatever the Keras"),
    "cifar10_cnn_capsule.py": (None, "minikeras has no `K.conv1d` and no `K.batch_dot`; the Capsule layer also relies "
                                     "on Keras 2.2.4's `batch_dot` for inputs of different ranks, which tf_keras "
                                     "changed (the example fails on tf_keras too)"),
    "cifar10_cnn_tfaugment2d.py": (OUT, "TensorFlow only: its augmentation layer calls `tf.image` "
                                        "(the script stops on other backends)"),
    "conv_filter_visualization.py": (OUT, "needs `keras.applications.vgg16` with pretrained ImageNet weights"),
    "conv_lstm.py": (None, "minikeras has no `Conv3D` and no `ConvLSTM2D` layer"),
    "deep_dream.py": (OUT, "needs `keras.applications.inception_v3` with pretrained ImageNet weights (and scipy)"),
    "image_ocr.py": (None, "needs cairocffi and editdistance (not installed) and downloads `wordlists.tgz`; "
                           "minikeras has no `K.ctc_batch_cost` (CTC loss)"),
    "mnist_acgan.py": (None, "trains in a loop of its own, 100 epochs of `train_on_batch` over all of MNIST, which "
                             "`--epochs 1` does not shorten; smaller stand-ins do not help: after each epoch the "
                             "script shows 400 new real digits (`x_train[(epoch - 1) * 400:epoch * 400]`), so its "
                             "100 epochs need at least 40,000 training images"),
    "mnist_dataset_api.py": (OUT, "TensorFlow only: feeds the model `tf.data` tensors "
                                  "(the script stops on other backends)"),
    "mnist_sklearn_wrapper.py": (None, "needs scikit-learn (`pip install scikit-learn`) for `GridSearchCV`; "
                                       "`keras.wrappers.scikit_learn` is minikeras's"),
    "mnist_swwae.py": (None, "minikeras has no `data_format='channels_first'` (the script sets "
                             "`K.set_image_data_format('channels_first')`); it also takes `K.gradients` in a `Lambda`"),
    "mnist_tfrecord.py": (OUT, "TensorFlow 1 only: `tf.contrib` and TFRecord input queues"),
    "neural_doodle.py": (OUT, "needs `keras.applications.vgg19` with pretrained ImageNet weights (and scipy)"),
    "neural_style_transfer.py": (OUT, "needs `keras.applications.vgg19` with pretrained ImageNet weights (and scipy)"),
    "pretrained_word_embeddings.py": (OUT, "needs the pretrained GloVe word vectors and the 20 Newsgroups texts, "
                                           "downloaded by hand"),
    "variational_autoencoder.py": (None, "minikeras has no symbolic losses: the script builds its loss from Keras "
                                         "tensors (`binary_crossentropy(inputs, outputs)` and `K` functions) for "
                                         "`Model.add_loss`"),
    "variational_autoencoder_deconv.py": (None, "minikeras has no symbolic losses: the script builds its loss from "
                                                "Keras tensors (`binary_crossentropy(inputs, outputs)` and `K` "
                                                "functions) for `Model.add_loss`"),
}

#: Packages some examples import that minikeras does not need: which were installed for the recorded run.
EXTRAS = ("pandas (for `lstm_stateful.py`) and scikit-learn with its scipy (for `mnist_sklearn_wrapper.py`) "
          "were installed; cairocffi and editdistance were not")

#: Data files an example reads from its folder (the user downloads them by hand): the run puts
#: generated stand-ins there (:mod:`minikeras.datasets.example_files`). name -> relative paths.
LOCAL_FILES = {"lstm_seq2seq.py": ["fra-eng/fra.txt"], "lstm_seq2seq_restore.py": ["fra-eng/fra.txt"]}

#: Examples that need another example's output (a saved model): run that one first, in the same folder.
BEFORE = {"lstm_seq2seq_restore.py": "lstm_seq2seq.py"}

#: Examples run with other options than ``--data-scale SCALE --epochs 1``, and why: name -> (options, reason).
OPTIONS = {
    "antirectifier.py": ({"data_scale": 1}, "the script reshapes with MNIST's sizes written out: "
                                            "`x_train.reshape(60000, 784)`"),
    "mnist_mlp.py": ({"data_scale": 1}, "the script reshapes with MNIST's sizes written out: "
                                        "`x_train.reshape(60000, 784)`"),
    "reuters_mlp_relu_vs_selu.py": ({"epochs": 40}, "the script plots `range(epochs)` against the history: "
                                                    "all of its 40 epochs must run"),
}

#: Examples given a longer time limit than ``--timeout``, and why: name -> (seconds, reason).
TIME_LIMITS = {
    "addition_rnn.py": (7200, "it trains in a loop of its own, 199 x `fit(45,000 generated questions, epochs=1)`, "
                              "which `--epochs 1` does not shorten (its data are generated by the script, "
                              "so `--data-scale` does not shrink them either)"),
}

_METRIC = re.compile(r"\b((?:val_)?(?:loss|acc|accuracy)|test (?:loss|accuracy|score))\s*[:=]\s*"
                     r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", re.IGNORECASE)


def example_names(repo, tag):
    """Returns the ``examples/*.py`` file names at ``tag`` of the git repository ``repo``."""
    listing = subprocess.run(["git", "--git-dir", git_dir(repo), "ls-tree", "--name-only", f"{tag}:examples"],
                             capture_output=True, text=True, check=True).stdout
    return sorted(name for name in listing.split() if name.endswith(".py"))


def git_dir(repo):
    """The git directory of ``repo`` (a work tree with ``.git``, or a bare repository)."""
    repo = pathlib.Path(repo)
    return str(repo / ".git") if (repo / ".git").exists() else str(repo)


def command_line(script, scale, epochs=1):
    """The command that runs one example (as the page shows it)."""
    return [sys.executable, "-m", "minikeras", "run", "--data", "offline", "--data-scale", f"{scale:g}",
            "--epochs", str(epochs), str(script)]


def last_metrics(output):
    """The last value printed for each of loss/acc/accuracy (and their ``val_``/test forms) in ``output``."""
    found = {}
    for key, value in _METRIC.findall(output.replace("\b", "\n").replace("\r", "\n")):
        found[key.lower()] = float(value)
    return found


def run_example(repo, tag, name, folder, timeout, scale):
    """Copies one example into ``folder`` and runs it; returns its result as a dict.

    ``scale`` is the stand-ins' size and every ``fit`` runs one epoch, except as ``OPTIONS`` says.
    """
    options = OPTIONS.get(name, ({}, ""))[0]
    scale, epochs = options.get("data_scale", scale), options.get("epochs", 1)
    timeout = max(timeout, TIME_LIMITS.get(name, (0, ""))[0])
    if name in BEFORE:
        run_example(repo, tag, BEFORE[name], folder, timeout, scale)
    with use_offline(scale=scale):
        for relative_path in LOCAL_FILES.get(name, []):
            example_files.write_local_file(relative_path, folder)
    source = subprocess.run(["git", "--git-dir", git_dir(repo), "show", f"{tag}:examples/{name}"],
                            capture_output=True, check=True).stdout
    script = pathlib.Path(folder) / name
    script.write_bytes(source)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))   # + the examples' extras
    env = dict(os.environ, PYTHONPATH=path, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
    start = time.monotonic()
    try:
        proc = subprocess.run(command_line(script, scale, epochs), capture_output=True, text=True, cwd=folder, env=env,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"name": name, "status": "timeout", "seconds": timeout, "detail": f"still running after {timeout} s",
                "metrics": {}, "data_scale": scale, "epochs": epochs}
    seconds = round(time.monotonic() - start, 1)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    if proc.returncode == 0:
        status, detail = "passed", ""
    else:
        status, detail = "failed", (lines[-1] if lines else f"exit status {proc.returncode}")
    return {"name": name, "status": status, "seconds": seconds, "detail": detail[:300],
            "metrics": last_metrics(proc.stdout), "data_scale": scale, "epochs": epochs}


def load_results(path=RESULTS):
    """The recorded results: ``{'tag', 'data_scale', 'examples': [result, ...]}`` (empty if no file yet)."""
    path = pathlib.Path(path)
    if not path.exists():
        return {"tag": "2.2.4", "data_scale": None, "examples": []}
    return json.loads(path.read_text(encoding="utf-8"))


def write_atomically(path, text):
    """Writes ``text`` to ``path`` through a temporary file and ``os.replace``."""
    path = pathlib.Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def merged(results, new_rows, tag, scale):
    """``results`` with ``new_rows`` replacing the rows of the same names, sorted by name."""
    rows = {row["name"]: row for row in results["examples"]}
    rows.update({row["name"]: row for row in new_rows})
    return {"tag": tag, "data_scale": scale, "examples": [rows[name] for name in sorted(rows)]}


def final_status(row):
    """The status shown for a row: the recorded one, unless ``NOTES`` classes it out of scope."""
    note = NOTES.get(row["name"])
    return note[0] if note and note[0] and row["status"] != "passed" else row["status"]


def _cell(text):
    return str(text).replace("|", "/").replace("\n", " ").strip()


def _metrics_cell(metrics):
    return ", ".join(f"{key} {value:.4g}" for key, value in metrics.items())


def render(results):
    """The Markdown page for ``results`` (as :func:`load_results` returns)."""
    rows = results["examples"]
    counts = {status: sum(final_status(row) == status for row in rows) for status in STATUSES}
    scale = results["data_scale"]
    out = [
        "# Running Keras's examples",
        "",
        f"Keras {results['tag']} ships {len(rows)} example scripts (`examples/` in the Keras repository). "
        "Each one was copied, unchanged, into an empty folder and run as",
        "",
        "```text",
        f"python -m minikeras run --data offline --data-scale {scale} --epochs 1 SCRIPT.py",
        "```",
        "",
        "`--data offline` answers every `keras.datasets` loader with its generated stand-in (no internet "
        f"needed); `--data-scale {scale}` makes the stand-ins hold {scale:.0%} of the real datasets' samples "
        "(at least 1,000; the shape of one sample, the dtypes and the label sets stay as Keras's); `--epochs 1` caps every "
        "`fit()` at one epoch. Scripts that train in a loop of their own (one `fit()` per iteration, or "
        "`train_on_batch` over batches) still run all their iterations.",
        "",
        "Data files that an example reads from its own folder (downloaded by hand, in Keras's instructions) "
        "are generated there by `minikeras.datasets.example_files` before the run: "
        + "; ".join(f"`{', '.join(paths)}` for `{name}`" for name, paths in LOCAL_FILES.items()) + ". "
        + " ".join(f"`{name}` runs after `{first}` in the same folder (it loads the model that one saves)."
                   for name, first in BEFORE.items()),
        "",
        f"Packages that examples import and minikeras does not need: {EXTRAS}.",
        "",
        "These examples run with other options:",
        "",
        *[f"- `{name}`: " + " ".join(f"`--{key.replace('_', '-')} {value}`" for key, value in options.items())
          + f", because {reason}." for name, (options, reason) in OPTIONS.items()],
        *[f"- `{name}`: a time limit of {seconds} s, because {reason}."
          for name, (seconds, reason) in TIME_LIMITS.items()],
        "",
        f"**{counts['passed']} of {len(rows)} pass**"
        + "".join(f", {counts[s]} {'timed out' if s == 'timeout' else s}" for s in STATUSES[1:] if counts[s]) + ".",
        "",
        "| example | result | seconds | last metrics printed | what is missing |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        note = NOTES.get(row["name"])
        reason = note[1] if note and row["status"] != "passed" else row.get("detail", "")
        if note and row["status"] == "timeout":
            reason += f" ({row['detail']})"
        out.append(f"| `{row['name']}` | {final_status(row)} | {row['seconds']:.0f} | "
                   f"{_cell(_metrics_cell(row.get('metrics', {})))} | {_cell(reason)} |")
    out += [
        "",
        "The table is generated by `python tools/examples_table.py page` from `docs/examples/results.json`, "
        "which `python tools/examples_table.py run KERAS_REPO` writes; a test checks that this page is "
        "exactly what the script generates from that file. Seconds are wall-clock times on a shared "
        "2-core machine.",
        "",
    ]
    return "\n".join(out)


def main(argv=None):
    """The command line: ``run`` examples (and rewrite the page), or only rewrite the ``page``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run examples, record their results and rewrite the page")
    run.add_argument("repo", help="a clone (or bare git directory) of keras-team/keras")
    run.add_argument("names", nargs="*", help="example file names (default: every examples/*.py)")
    run.add_argument("--tag", default="2.2.4")
    run.add_argument("--timeout", type=int, default=300, help="seconds per example")
    run.add_argument("--data-scale", type=float, default=0.02, help="fraction of the real datasets' sizes")
    run.add_argument("--results", default=str(RESULTS))
    run.add_argument("--page", default=str(PAGE))
    page = commands.add_parser("page", help="rewrite the page from the results file")
    page.add_argument("--results", default=str(RESULTS))
    page.add_argument("--page", default=str(PAGE))
    options = parser.parse_args(argv)
    results = load_results(options.results)
    if options.command == "run":
        names = options.names or example_names(options.repo, options.tag)
        for name in names:
            with tempfile.TemporaryDirectory(prefix="keras-example-") as folder:
                row = run_example(options.repo, options.tag, name, folder, options.timeout, options.data_scale)
            print(f"{name}: {row['status']} ({row['seconds']:.0f} s) {row['detail']} {row['metrics']}",
                  file=sys.stderr, flush=True)
            results = merged(results, [row], options.tag, options.data_scale)
            write_atomically(options.results, json.dumps(results, indent=1) + "\n")
    write_atomically(options.page, render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
