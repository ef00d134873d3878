"""Every tutorial in tutorials/ runs as a script, offline, and prints what it teaches; its page
on the site (``docs/tutorials/NN_name.md``, rendered by ``docs/tools/render_tutorials.py``)
shows the script's cells and what they print.

Each runs in its own process with ``MINIKERAS_TUTORIAL_OUT`` set to a temporary folder and a
separate, empty working directory: the PNGs must land in the output folder and nothing may be
written anywhere else (in particular not into the repository); connecting beyond 127.0.0.1 raises. Each test then checks a few of
the printed results, the facts the tutorial is about.
"""
import ast
import importlib.util
import json
import math
import os
import pathlib
import re
import subprocess
import sys

import pytest

from tests.docs.test_docs_code import OFFLINE_GUARD, SINGLE_THREAD, normalize

ROOT = pathlib.Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
PAGES = ROOT / "docs" / "tutorials"
RENDER_COMMAND = "python docs/tools/render_tutorials.py NN"
_spec = importlib.util.spec_from_file_location("render_tutorials", ROOT / "docs" / "tools" / "render_tutorials.py")
render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render)
NUMBER = re.compile(r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)")

MONITORING = ("CSVLogger", "EarlyStopping", "LearningRateScheduler", "ModelCheckpoint", "ReduceLROnPlateau",
              "RemoteMonitor", "TensorBoard")


def run(tutorial, tmp_path):
    pytest.importorskip("matplotlib", reason="the tutorials save plots: pip install -e '.[docs]'")
    out, cwd = tmp_path / "out", tmp_path / "cwd"
    out.mkdir()
    cwd.mkdir()
    env = dict(SINGLE_THREAD, **os.environ)
    env.update(PYTHONPATH=str(ROOT), MPLBACKEND="Agg", MINIKERAS_TUTORIAL_OUT=str(out), PYTHONIOENCODING="utf-8")
    script = OFFLINE_GUARD + f"import runpy; runpy.run_path({str(tutorial)!r}, run_name='__main__')"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=cwd, env=env, timeout=300)
    stdout = proc.stdout.decode("utf-8").replace("\r", "\n")
    assert proc.returncode == 0, f"{tutorial.name} failed:\n{stdout[-2000:]}\n{proc.stderr.decode()[-4000:]}"
    assert list(cwd.iterdir()) == [], f"{tutorial.name} wrote into its working directory"
    pngs = [p for p in out.rglob("*.png") if p.name.startswith(tutorial.name[:2])]
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs), "no PNG plot saved"
    page_shows_the_output(tutorial, proc.stdout.decode("utf-8").replace(str(out), "tutorial_output"))
    return stdout


def page_blocks(tutorial, language):
    text = (PAGES / f"{tutorial.stem}.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.S | re.M)


def same_line(shown, printed):
    """Equal, except numbers, which may differ in their last digits (BLAS sums differ across CPUs):
    within a relative 1e-3, or one unit of the last digit the page shows (``0.9531`` vs ``0.9532``)."""
    a, b = NUMBER.split(shown), NUMBER.split(printed)
    if len(a) != len(b) or a[0::2] != b[0::2]:
        return False
    return all(math.isclose(float(x), float(y), rel_tol=1e-3, abs_tol=max(1e-6, 1.0000001 * _last_digit_unit(x)))
               for x, y in zip(a[1::2], b[1::2]))


def _last_digit_unit(token):
    """``0.01`` for ``'1.25'``, ``1`` for ``'12'``: one unit of the last printed digit."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (-decimals + (int(exponent) if exponent.lstrip("+-").isdigit() else 0))


def page_shows_the_output(tutorial, stdout):
    """The page's output blocks, in order, are what the script printed (timings aside)."""
    shown = normalize("\n".join(page_blocks(tutorial, "text"))).splitlines()
    printed = normalize(stdout).splitlines()
    keep = [k for k, line in enumerate(printed) if line.strip()]
    shown, printed = [s for s in shown if s.strip()], [printed[k] for k in keep]
    stale = f"docs/tutorials/{tutorial.stem}.md is stale: run {RENDER_COMMAND.replace('NN', tutorial.name[:2])}"
    assert len(shown) == len(printed), stale
    for a, b in zip(shown, printed):
        assert "tfevents" in a or same_line(a, b), f"{stale}\npage:   {a}\nprinted: {b}"


def line(stdout, start):
    """The first printed line that starts with ``start`` (fails if there is none)."""
    found = [s for s in stdout.splitlines() if s.startswith(start)]
    assert found, f"no line starting with {start!r} in:\n{stdout}"
    return found[0]


def numbers(text):
    """The decimal numbers in ``text`` (``1.5``, ``2.0e-05``; plain integers are skipped)."""
    return [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def listed(text):
    """The Python list printed at the end of ``text``."""
    return ast.literal_eval(text[text.rindex("["):])


# ---------------------------------------------------------------------------------- layout
def test_tutorials_are_numbered_in_order():
    names = [t.name for t in TUTORIALS]
    assert 6 <= len(names) <= 12, names
    numbers = [int(n[:2]) for n in names]
    assert numbers == sorted(set(numbers)) and numbers[:8] == list(range(1, 9)), names
    assert names[0] == "01_dense_forward_backward.py" and names[7] == "08_every_callback.py"


def numbered(number):
    """The tutorial whose name starts with ``number`` (two digits)."""
    return next(t for t in TUTORIALS if t.name.startswith(f"{number:02d}_"))


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_is_in_percent_cell_format(tutorial):
    text = tutorial.read_text(encoding="utf-8")
    assert text.startswith("# %% [markdown]\n# # "), "must open with a markdown cell holding the title"
    assert text.count("\n# %%\n") >= 3, "needs code cells ('# %%')"
    assert "MINIKERAS_TUTORIAL_OUT" in text


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_has_its_page_and_notebook_in_step_with_the_script(tutorial):
    """The page and the notebook hold the script's cells as they are now (outputs: see run())."""
    stale = f"run {RENDER_COMMAND.replace('NN', tutorial.name[:2])}"
    script_cells = render.cells(tutorial.read_text(encoding="utf-8"))
    code = [text for kind, text in script_cells if kind == "code"]
    assert [c.rstrip("\n") for c in page_blocks(tutorial, "python3")] == code, f"page code differs: {stale}"
    page = (PAGES / f"{tutorial.stem}.md").read_text(encoding="utf-8")
    assert all(text in page for kind, text in script_cells if kind == "markdown"), f"page text differs: {stale}"
    for png in re.findall(r"!\[[^]]*\]\(([^)]+\.png)\)", page):
        assert (PAGES / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert re.search(r"!\[[^]]*\]\(\d\d_[^)]+\.png\)", page), "the page shows no plot"
    notebook = json.loads((PAGES / f"{tutorial.stem}.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]] == \
        script_cells, f"notebook differs: {stale}"
    assert f"(tutorials/{tutorial.stem}.md)" in (ROOT / "docs" / "tutorials.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------- running
def test_01_dense_forward_backward(tmp_path):
    stdout = run(TUTORIALS[0], tmp_path)
    for check in ("forward by hand equals the layer:", "dL/dkernel equal:", "dL/dbias   equal:", "dL/dx      equal:"):
        assert line(stdout, check).endswith("True")
    analytic, numeric = numbers(line(stdout, "dL/dkernel[1,0]"))[-2:]
    assert analytic == pytest.approx(numeric, rel=1e-4) and analytic != 0


def test_02_softmax_crossentropy(tmp_path):
    stdout = run(TUTORIALS[1], tmp_path)
    assert numbers(line(stdout, "p - y")) == numbers(line(stdout, "numeric"))
    assert numbers(line(stdout, "loss by hand")) == pytest.approx(numbers(line(stdout, "minikeras losses")), rel=1e-5)
    assert numbers(line(stdout, "loss from the clipped probabilities")) == [16.118095]   # -log(1e-7), float32
    assert numbers(line(stdout, "loss the model reports")) == [1000.0]                    # from the logits


def test_03_one_training_step(tmp_path):
    stdout = run(TUTORIALS[2], tmp_path)
    by_hand, reported = numbers(line(stdout, "loss by hand"))
    assert by_hand == pytest.approx(reported, abs=1e-6)
    assert line(stdout, "weights after the step equal:").endswith("True True")
    finals = {name: numbers(line(stdout, name))[1] for name in ("SGD(0.1) ", "SGD(0.1, momentum=0.9)", "Adam(0.001)")}
    assert finals["SGD(0.1, momentum=0.9)"] < finals["SGD(0.1) "]          # momentum trains faster here


def test_04_fit_loop_by_hand(tmp_path):
    stdout = run(TUTORIALS[3], tmp_path)
    for key in ("loss ", "val_loss "):
        assert numbers(line(stdout, key))[-1] <= 1e-6          # the hand-written loop equals fit
    assert len([s for s in stdout.splitlines() if s.startswith("epoch ")]) == 4


def test_05_hooks_and_logs(tmp_path):
    stdout = run(TUTORIALS[4], tmp_path)
    assert "['BaseLogger', 'Recorder', 'History', 'ProgbarLogger']" in stdout
    assert line(stdout, "on_train_batch_begin   0").endswith("['batch', 'size']")
    assert line(stdout, "on_epoch_end           0").endswith("['loss', 'accuracy', 'val_loss', 'val_accuracy']")
    assert line(stdout, "on_train_batch_end     6").split() == ["on_train_batch_end", "6"]   # the count line
    assert line(stdout, "on_predict_batch_end     0").endswith("['batch', 'size', 'outputs']")
    assert line(stdout, "epochs recorded:").startswith("epochs recorded: [0]")      # stopped in epoch 0


def test_06_history_and_learning_curves(tmp_path):
    stdout = run(TUTORIALS[5], tmp_path)
    assert line(stdout, "keys:") == "keys:   ['loss', 'accuracy', 'val_loss', 'val_accuracy']"
    assert line(stdout, "panels:") == "panels: ['loss', 'accuracy']"
    first, last, _ = numbers(line(stdout, "loss "))
    assert last < first / 10                                    # the training loss collapses


def test_07_write_your_own_callbacks(tmp_path):
    stdout = run(TUTORIALS[6], tmp_path)
    assert listed(line(stdout, "learning rate at batches")) == [8e-05, 0.0025, 0.005, 0.005]   # 0.005 * k / 60
    epochs, batches = [int(n) for n in re.findall(r"\d+", line(stdout, "epochs run:"))]
    assert batches == epochs * 20                               # 1000 rows / 50 per batch
    restored_epoch = int(re.search(r"epoch (\d+)", line(stdout, "restoring the weights")).group(1))
    val_losses = listed(line(stdout, "val_loss per epoch:"))
    assert val_losses[restored_epoch - 1] == pytest.approx(min(val_losses), abs=1e-3)
    assert numbers(line(stdout, "val_loss after restoring:"))[0] == pytest.approx(min(val_losses), abs=1e-3)


def test_08_every_callback(tmp_path):
    import minikeras.callbacks
    missing = [name for name in MONITORING if not hasattr(minikeras.callbacks, name)]
    if missing:
        pytest.skip(f"minikeras.callbacks does not export {missing} yet")
    stdout = run(TUTORIALS[7], tmp_path)
    epochs = int(re.search(r"epochs run: (\d+)", stdout).group(1))
    assert line(stdout, f"{epochs} requests; the first:")                 # RemoteMonitor: one POST per epoch
    assert line(stdout, f"... {epochs} rows")                              # CSVLogger: one row per epoch
    assert line(stdout, "epoch,").startswith("epoch,accuracy,loss,lr,val_accuracy,val_loss")
    rates = listed(line(stdout, "lr per epoch:"))
    assert rates[1] == pytest.approx(rates[0] * 0.9, rel=1e-3)            # LearningRateScheduler
    assert "ReduceLROnPlateau reducing learning rate" in stdout
    assert "tensorboard/train/events.out.tfevents" in stdout and "tensorboard/validation/" in stdout
    assert "LambdaCallback: training ended with" in stdout


def test_09_functional_api(tmp_path):
    stdout = run(numbered(9), tmp_path)
    assert "encode was called 2 times" in line(stdout, "encode was called")
    assert listed(line(stdout, "layers:"))[:2] == ["pixels", "shape"]
    analytic, numeric = numbers(line(stdout, "d L / d encode.kernel"))[-2:]
    assert analytic == pytest.approx(numeric, rel=2e-2) and analytic != 0
    assert listed(line(stdout, "history keys:"))[:5] == ["loss", "digit_loss", "big_loss", "digit_accuracy",
                                                          "big_accuracy"]
    first, last = numbers(line(stdout, "digit_loss "))
    assert last < first / 2                                     # both questions are learnt
    assert line(stdout, "inner features:").endswith("True")


def test_11_convolutions(tmp_path):
    stdout = run(numbered(11), tmp_path)
    for check in ("im2col forward equals the layer:", "dL/dkernel equal:", "dL/dx      equal:",
                  "test accuracy above 0.5:"):
        assert line(stdout, check).endswith("True")
    backward, numeric = numbers(line(stdout, "dL/dx[1, 2, 3, 0] backward:"))
    assert backward == pytest.approx(numeric, rel=1e-3)
    assert line(stdout, "cells that receive a gradient:") == "cells that receive a gradient: 32 of 128"
    losses = listed(line(stdout, "training loss per epoch:"))
    assert len(losses) == 3 and losses[2] < losses[0]


def test_10_custom_layer_and_loss(tmp_path):
    stdout = run(numbered(10), tmp_path)
    assert line(stdout, "gradients agree:").endswith("True")
    assert listed(line(stdout, "dL/dg by the tape:")) == listed(line(stdout, "dL/dg by finite difference:"))
    assert listed(line(stdout, "gradient:")) == [0.1667, -0.3333, 0.3333]      # (0.5, -1, 1) / 3
    losses = listed(line(stdout, "loss per epoch:"))
    assert losses == sorted(losses, reverse=True)                              # the custom loss trains
    assert listed(line(stdout, "val accuracy per epoch:"))[-1] > 0.6


def test_12_backprop_through_time(tmp_path):
    stdout = run(ROOT / "tutorials" / "12_backprop_through_time.py", tmp_path)
    assert line(stdout, "dL/dx equals finite differences:").endswith("True")
    for weight in ("kernel", "recurrent_kernel", "bias"):
        assert line(stdout, f"lstm/lstm_cell/{weight}:0 equals finite differences:").endswith("True")
    assert line(stdout, "LSTM keeps more gradient at t=0 than SimpleRNN:").endswith("True")
    assert line(stdout, "three stateful chunks equal one pass:").endswith("True")
    assert line(stdout, "the last chunk's backward reaches 4 steps")
    first, later, last = numbers(line(stdout, "SimpleRNN |dL/dx_t|"))[-3:]
    assert first < later < last
    assert line(stdout, "learned at 15 steps, still guessing at 40").endswith("True")
