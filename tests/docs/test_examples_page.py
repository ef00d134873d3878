"""The page "Running Keras's examples" is exactly what ``tools/examples_table.py`` generates from the
recorded results (``docs/examples/results.json``), so the table cannot drift from the runs.

The 42 examples are not run here (that takes an hour); one fast example is, when a copy of Keras's
repository is at hand (``KERAS_REPO``, else the mirror this project was built with).
"""
import importlib.util
import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("examples_table", ROOT / "tools" / "examples_table.py")
examples_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(examples_table)

KERAS_REPO = pathlib.Path(os.environ.get("KERAS_REPO", "/work/.mirror/keras-team+keras/repo"))


def test_the_page_is_what_the_script_generates_from_the_results():
    results = examples_table.load_results()
    page = examples_table.PAGE.read_text(encoding="utf-8")
    assert page == examples_table.render(results), "python tools/examples_table.py page rewrites it"


def test_the_results_cover_every_example_of_keras_2_2_4_once():
    results = json.loads(examples_table.RESULTS.read_text(encoding="utf-8"))
    names = [row["name"] for row in results["examples"]]
    assert results["tag"] == "2.2.4"
    assert len(names) == len(set(names)) == 42
    assert {"mnist_mlp.py", "cifar10_cnn.py", "variational_autoencoder.py"} <= set(names)
    assert {row["status"] for row in results["examples"]} <= set(examples_table.STATUSES)
    assert set(examples_table.NOTES) <= set(names)           # no note about an example that does not exist


def test_every_example_that_does_not_pass_says_why():
    results = examples_table.load_results()
    for row in results["examples"]:
        if row["status"] != "passed":
            assert row["name"] in examples_table.NOTES, f"{row['name']} ({row['status']}) needs a NOTES entry"


def test_the_page_counts_and_explains_from_the_rows():
    results = {"tag": "2.2.4", "data_scale": 0.02, "examples": [
        {"name": "a.py", "status": "passed", "seconds": 3.2, "detail": "", "metrics": {"loss": 0.25, "acc": 0.9}},
        {"name": "b.py", "status": "failed", "seconds": 1.0, "detail": "ValueError: x", "metrics": {}}]}
    page = examples_table.render(results)
    assert "**1 of 2 pass**, 1 failed." in page
    assert "| `a.py` | passed | 3 | loss 0.25, acc 0.9 |  |" in page
    assert "| `b.py` | failed | 1 |  | ValueError: x |" in page
    assert "--data-scale 0.02 --epochs 1" in page


def test_last_metrics_reads_progress_bars_and_prints():
    output = "1/2 [==>...] - loss: 0.7000 - acc: 0.5000\b\b\b2/2 [=====] - loss: 0.6500 - acc: 0.6000\n" \
             "Test loss: 0.61\nTest accuracy: 0.7\n"
    assert examples_table.last_metrics(output) == {"loss": 0.65, "acc": 0.6, "test loss": 0.61,
                                                   "test accuracy": 0.7}


@pytest.mark.skipif(not KERAS_REPO.exists(), reason="no copy of keras-team/keras (set KERAS_REPO)")
def test_a_fast_example_runs_end_to_end_unchanged(tmp_path):
    row = examples_table.run_example(KERAS_REPO, "2.2.4", "imdb_fasttext.py", tmp_path, timeout=120, scale=0.02)
    assert row["status"] == "passed", row["detail"]
    assert 0 < row["metrics"]["val_acc" if "val_acc" in row["metrics"] else "val_accuracy"] <= 1


def test_the_readme_states_the_recorded_number_of_passing_examples():
    import re
    results = examples_table.load_results()
    passed = sum(examples_table.final_status(row) == "passed" for row in results["examples"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"Of Keras 2\.2\.4's (\d+) example scripts, (\d+) run unchanged", readme)
    assert stated, "the README says how many of Keras's examples run"
    assert (int(stated.group(1)), int(stated.group(2))) == (len(results["examples"]), passed)
