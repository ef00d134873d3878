"""Runs Keras's own tests (at a tag, default 2.2.4) against minikeras and prints a per-file table.

The chosen test files are extracted from the Keras repository into a temporary folder (never into
this repository), next to Keras's ``tests/conftest.py`` and a root ``conftest.py`` that installs
the ``import keras`` alias, and pytest runs them in this process with this checkout's minikeras
first on ``sys.path``. So ``from keras.callbacks import EarlyStopping`` in Keras's test means
``minikeras.callbacks.EarlyStopping``. Nothing of Keras's test code is kept.

Usage (``REPO`` is a clone, or a bare git directory, of keras-team/keras)::

    python tools/run_keras_tests.py REPO [--tag 2.2.4] [--reasons] [-k EXPR] [PATH ...]

``PATH`` are test files at the tag (default: :data:`DEFAULT_FILES`, the files issue 19 names).
``--reasons`` also lists every failing or erroring test with the last line of its error.
"""
import argparse
import collections
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]

#: The Keras 2.2.4 test files issue 19 asks to run.
DEFAULT_FILES = (
    "tests/keras/test_callbacks.py",
    "tests/keras/test_sequential_model.py",
    "tests/integration_tests/preprocessing/image_test.py",
    "tests/integration_tests/preprocessing/sequence_test.py",
    "tests/integration_tests/preprocessing/text_test.py",
    "tests/keras/utils/conv_utils_test.py",
    "tests/keras/utils/data_utils_test.py",
    "tests/keras/utils/generic_utils_test.py",
    "tests/keras/utils/io_utils_test.py",
    "tests/keras/utils/layer_utils_test.py",
    "tests/keras/utils/multi_gpu_test.py",
    "tests/keras/utils/np_utils_test.py",
    "tests/keras/utils/vis_utils_test.py",
)

#: The root conftest.py of the temporary folder: Keras's tests import ``keras``, which must be minikeras.
#: Keras's own conftest calls ``K.clear_session()`` after every test only when ``K.backend()`` is
#: 'tensorflow' or 'cntk' (minikeras answers 'numpy'); this one does it for minikeras, so layer
#: names start again at every test, as the tests expect.
ALIAS_CONFTEST = """import pytest
import minikeras
minikeras.install_as_keras()


@pytest.fixture(autouse=True)
def _clear_minikeras_session():
    yield
    minikeras.backend.clear_session()
"""


def git_show(repo, tag, path):
    """Returns the bytes of ``path`` at ``tag`` in the git repository ``repo`` (a work tree or a bare one)."""
    repo = pathlib.Path(repo)
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{tag}:{path}"],
                          capture_output=True, check=True).stdout


def extract(repo, tag, paths, folder):
    """Writes ``paths`` (and ``tests/conftest.py``) at ``tag`` under ``folder``, plus the alias conftest."""
    folder = pathlib.Path(folder)
    for path in ("tests/conftest.py", *paths):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git_show(repo, tag, path))
    (folder / "conftest.py").write_text(ALIAS_CONFTEST, encoding="utf-8")


class Recorder:
    """A pytest plugin that keeps one outcome per test (and per file that fails to import)."""

    def __init__(self):
        self.outcomes = {}     # nodeid -> (outcome, reason)

    def pytest_collectreport(self, report):
        if report.failed:
            self.outcomes[report.nodeid + "::<import>"] = ("error", last_line(report))

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            outcome = report.outcome
            if report.failed and report.when != "call":
                outcome = "error"
            if report.skipped:
                outcome, reason = "skipped", skip_reason(report)
            else:
                reason = last_line(report) if report.failed else ""
            if report.nodeid not in self.outcomes or self.outcomes[report.nodeid][0] == "passed":
                self.outcomes[report.nodeid] = (outcome, reason)


def last_line(report):
    """The exception line of a failed report (``ValueError: ...``), shortened to one line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if crash is None:   # a collection error: the last "E   ..." line
        lines = [line[1:].strip() for line in lines if line.startswith("E ")] or lines[-1:]
        lines = lines[-1:]
    return (lines[0] if lines else "")[:240]


def skip_reason(report):
    """The reason a test was skipped (pytest keeps ``(file, line, reason)``)."""
    longrepr = report.longrepr
    return str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)[:240]


def run(repo, tag, paths, keyword=None):
    """Extracts ``paths`` into a temporary folder and runs them; returns ``{nodeid: (outcome, reason)}``."""
    import pytest
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("MPLBACKEND", "Agg")
    recorder = Recorder()
    with tempfile.TemporaryDirectory(prefix="keras-tests-") as folder:
        extract(repo, tag, paths, folder)
        args = [os.path.join(folder, path) for path in paths]
        args += ["-q", "-p", "no:cacheprovider", "--rootdir", folder, "--continue-on-collection-errors"]
        if keyword:
            args += ["-k", keyword]
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            pytest.main(args, plugins=[recorder])
        finally:
            os.chdir(cwd)
    return recorder.outcomes


def table(outcomes, paths):
    """Returns the Markdown table: one row per file with its passed/failed/error/skipped counts."""
    counts = collections.OrderedDict((path, collections.Counter()) for path in paths)
    for nodeid, (outcome, _) in outcomes.items():
        counts.setdefault(nodeid.split("::")[0], collections.Counter())[outcome] += 1
    out = ["| file | passed | failed | error | skipped |", "|---|---|---|---|---|"]
    total = collections.Counter()
    for path, count in counts.items():
        total.update(count)
        out.append(f"| `{path}` | {count['passed']} | {count['failed']} | {count['error']} | {count['skipped']} |")
    out.append(f"| **total** | {total['passed']} | {total['failed']} | {total['error']} | {total['skipped']} |")
    return "\n".join(out) + "\n"


def reasons(outcomes):
    """Returns one line per failed, erroring or skipped test: ``outcome nodeid: reason``."""
    return "".join(f"{outcome:7} {nodeid}: {reason}\n" for nodeid, (outcome, reason) in sorted(outcomes.items())
                   if outcome != "passed")


def main(argv=None):
    """Runs the chosen test files and prints the table (and, with ``--reasons``, why each test failed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a clone (or bare git directory) of keras-team/keras")
    parser.add_argument("paths", nargs="*", help="test files at the tag (default: the files issue 19 names)")
    parser.add_argument("--tag", default="2.2.4")
    parser.add_argument("-k", dest="keyword", default=None, help="pytest -k expression")
    parser.add_argument("--reasons", action="store_true", help="list every test that did not pass, and why")
    options = parser.parse_args(argv)
    paths = options.paths or list(DEFAULT_FILES)
    outcomes = run(options.repo, options.tag, paths, options.keyword)
    print()
    print(table(outcomes, paths))
    if options.reasons:
        print(reasons(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
