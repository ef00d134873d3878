"""The README's first screen works as a newcomer pastes it, and its commands are the real ones.

The first ```python block runs as written in a fresh process (empty working folder, offline): it
shows a progress bar, reaches the accuracy the README prints, and saves the plot it names. The
main example runs too, and the test command is the one ``.ci/run`` runs.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from tests.docs.test_docs_code import OFFLINE_GUARD, SINGLE_THREAD, terminal

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n"


def fenced(language):
    return re.findall(rf"^```{language}\n(.*?)^```$", README, re.S | re.M)


def run_python(code, cwd, *args):
    env = dict(SINGLE_THREAD, **os.environ)
    env.update(PYTHONPATH=str(ROOT), MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", OFFLINE_GUARD + code, *args], capture_output=True, cwd=cwd,
                          env=env, timeout=300)
    stdout = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, stdout[-2000:] + proc.stderr.decode("utf-8", "replace")[-3000:]
    return stdout


def accuracy(text):
    return float(re.search(r"test accuracy: ([\d.]+)%", text).group(1))


def test_the_first_code_block_runs_as_written_and_learns(tmp_path):
    pytest.importorskip("matplotlib", reason="the README's example plots: pip install matplotlib")
    first = fenced("python")[0]
    assert README.index("```python") < README.index("## "), "the example must be on the first screen"
    raw = run_python(first, tmp_path)
    assert "\r" in raw or "\b" in raw                                      # a live progress bar ...
    shown = terminal(raw)
    assert re.search(r"^71/71 \[=+\] - .* - accuracy: 0\.\d+ - val_loss", shown, re.M)   # ... ending each epoch
    assert shown.count("Epoch ") == 10
    reached = accuracy(shown)
    assert reached >= 85                                                   # it learned (chance: 10 %)
    promised = accuracy(fenced("text")[0])
    assert reached == pytest.approx(promised, abs=1.0)                     # what the README says it prints
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learning_curves.png"]
    assert "learning_curves.png" in README.split("## Two commands")[0]
    assert (tmp_path / "learning_curves.png").read_bytes()[:8] == PNG


def test_the_main_example_runs_and_saves_its_plot_where_asked(tmp_path):
    pytest.importorskip("matplotlib", reason="the example plots: pip install matplotlib")
    command = fenced("bash")[0].strip()
    assert command == 'python3 -m pip install -e ".[plot]" && python3 examples/quickstart.py'
    script = ROOT / command.split()[-1]
    target = tmp_path / "plots" / "curves.png"
    target.parent.mkdir()
    out = terminal(run_python(f"import runpy, sys; sys.argv[0] = {str(script)!r}; "
                              f"runpy.run_path(sys.argv[0], run_name='__main__')", tmp_path, str(target)))
    assert accuracy(out) >= 85
    first, last = map(float, re.search(r"LossHistory kept 237 batch losses .*first ([\d.]+), last ([\d.]+)",
                                       out).groups())
    assert last < first / 1.5                                            # the softmax model learns too
    assert max(len(line) for line in out.splitlines()) < 200              # no wall of numbers
    assert target.read_bytes()[:8] == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plots"]        # nothing else written
    assert "seed document" not in README + script.read_text(encoding="utf-8")


def test_the_test_command_is_the_one_ci_runs():
    command = fenced("bash")[1].strip()
    assert command == 'python3 -m pip install -e ".[test,conformance,docs]" && python3 -m pytest'
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
