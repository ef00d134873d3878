"""tools/run_keras_tests.py: Keras's test files, taken from a git tag, run against minikeras through the alias."""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

KERAS_STYLE_TEST = textwrap.dedent('''
    import numpy as np
    import keras
    from keras import backend as K
    from keras.layers import Dense
    from keras.utils import to_categorical


    def test_alias_gives_minikeras():
        assert keras.__name__ == "minikeras" and Dense.__module__.startswith("minikeras.")


    def test_names_start_again_in_every_test():
        assert Dense(1).name == "dense"


    def test_names_start_again_in_every_test_2():
        assert Dense(1).name == "dense"


    def test_a_failure():
        assert to_categorical([1], 3).tolist() == [[1.0, 0.0, 0.0]]


    def test_a_skip():
        import pytest
        pytest.skip("Requires TensorFlow backend")
''')

CONFTEST = "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef keras_fixture():\n    yield\n"


@pytest.fixture
def keras_repo(tmp_path):
    """A git repository with Keras's layout: tests/conftest.py and tests/keras/test_x.py, tagged 9.9.9."""
    repo = tmp_path / "keras"
    (repo / "tests" / "keras").mkdir(parents=True)
    (repo / "tests" / "conftest.py").write_text(CONFTEST)
    (repo / "tests" / "keras" / "test_x.py").write_text(KERAS_STYLE_TEST)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "x"], ["tag", "9.9.9"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, env=env, capture_output=True)
    return repo


def test_table_counts_and_reasons(keras_repo):
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "run_keras_tests.py"), str(keras_repo),
                           "tests/keras/test_x.py", "--tag", "9.9.9", "--reasons"],
                          capture_output=True, text=True, cwd=keras_repo.parent, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "| `tests/keras/test_x.py` | 3 | 1 | 0 | 1 |" in out
    assert "| **total** | 3 | 1 | 0 | 1 |" in out
    assert "failed  tests/keras/test_x.py::test_a_failure: assert" in out
    assert "skipped tests/keras/test_x.py::test_a_skip: Skipped: Requires TensorFlow backend" in out
    assert sorted(p.name for p in keras_repo.iterdir()) == [".git", "tests"]      # nothing written there
