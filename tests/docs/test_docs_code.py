"""Every fenced ```python block of the docs pages runs, offline, and prints what the page shows.

Each page runs in a fresh Python process (working directory: a temporary folder; connections
beyond 127.0.0.1 raise), its blocks in order in one namespace, as a reader pasting them into one session would. A ```text block that
follows a python block (nothing but blank lines between) is that block's expected output; it is
compared after normalizing what cannot repeat: timings (``0s 4ms/step``) become ``<t>`` and the
progress bar's redraws (``\\b``/``\\r``) are applied as a terminal would. Words must match exactly;
numbers follow the printed-output rule of ``tests/tolerance.py`` (float32 tolerance or one unit of
the last printed digit), so a page recorded on one CPU stays true on every other.

Authoring: ``python tests/docs/test_docs_code.py docs/how-fit-works.md`` prints every block's
real output; with ``--write`` it pastes each one into the page's ```text block.

Every page runs through minikeras's own doc runner (``minikeras.runner.doc.run_page``, what
``python -m minikeras doc PAGE.md`` runs), so the runner is tested on every page too.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from tests.tolerance import assert_text_close

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Pages written by other parts of the project (they test their own examples).
NOT_OURS = {"saving.md", "callbacks.md", "tensorboard.md", "running-keras-code.md"}

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*(?P<info>[^\n]*)$")
MARK = "\x00-- minikeras docs block {} --\x00"

# One BLAS thread (unless the caller chose otherwise): the same sums in the same order on every
# machine, so the pasted outputs repeat; and far faster on a busy 2-core CI machine.
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# Installed first in every docs/tutorial process: any connection beyond this machine is an error.
OFFLINE_GUARD = r"""
import socket
_connect = socket.socket.connect
def _local_only(self, address):
    if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "localhost", "::1"):
        raise OSError(f"docs and tutorials must run offline, but the code connected to {address}")
    return _connect(self, address)
socket.socket.connect = _local_only
"""

# Each page runs through minikeras's own doc runner (``python -m minikeras doc PAGE.md`` runs the same
# ``run_page``), which captures every block's output; this prints the python blocks' outputs between
# markers so that they can be compared with the page's ```text blocks.
EXECUTOR = OFFLINE_GUARD + r"""
import sys
from minikeras.runner.doc import run_page
results = run_page(sys.argv[1], data=None, capture=True, log=lambda line: print(line, file=sys.stderr))
python_results = [r for r in results if r.block.language in ("python", "py")]
for i, r in enumerate(python_results):
    print(%r.format(i), flush=True)
    sys.stdout.write(r.output or "")
    sys.stdout.flush()
    if r.status != "passed":
        print(f"%s, block at line {r.block.line}: {r.status}: {r.reason}", file=sys.stderr)
        sys.exit(1)
"""


def fenced_blocks(text):
    """Returns ``[(language, code, first line number)]`` for the fenced blocks of a Markdown text.

    >>> fenced_blocks("a\\n```python\\nx = 1\\n```\\n```text title=\\"Output\\"\\n1\\n```\\n")
    [('python', 'x = 1\\n', 3), ('text', '1\\n', 6)]
    """
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        language = (match.group("info").split() or [""])[0].lstrip(".").lower()
        body, i = [], i + 1
        start = i + 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        blocks.append((language, "".join(line + "\n" for line in body), start))
        i += 1
    return blocks


def python_blocks_with_outputs(text):
    """Returns ``[(line, code, expected output or None)]`` for the python blocks of a page."""
    blocks = fenced_blocks(text)
    lines = text.splitlines()
    result = []
    for k, (language, code, line) in enumerate(blocks):
        if language not in ("python", "py"):
            continue
        expected = None
        if k + 1 < len(blocks) and blocks[k + 1][0] == "text":
            end_of_code = line + code.count("\n")  # 1-based line of the closing fence
            between = lines[end_of_code:blocks[k + 1][2] - 2]
            if all(not s.strip() for s in between):
                expected = blocks[k + 1][1]
        result.append((line, code, expected))
    return result


def run_page(path, cwd):
    """Runs the python blocks of ``path``; returns ``(outputs per block, stderr, returncode)``."""
    env = dict(SINGLE_THREAD, **os.environ)
    env.update(PYTHONPATH=str(ROOT), MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", EXECUTOR % (MARK, path.name), str(path)],
                          capture_output=True, cwd=cwd, env=env, timeout=120)  # bytes: keep the '\r's
    stdout = proc.stdout.decode("utf-8")
    parts = re.split(re.escape(MARK).replace(r"\{\}", r"\d+") + "\n", stdout)
    return parts[1:], proc.stderr.decode("utf-8", "replace"), proc.returncode


def terminal(text):
    """What a terminal shows for ``text``: ``\\b`` erases a character, ``\\r`` restarts the line."""
    shown = []
    for line in text.split("\n"):
        out = []
        for ch in line:
            if ch == "\b":
                if out:
                    out.pop()
            else:
                out.append(ch)
        shown.append("".join(out).split("\r")[-1])
    return "\n".join(shown)


TIMING = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:ms|us|s)(?=[/ \n]|$)")


def normalize(text):
    """Applies the terminal, replaces timings with ``<t>`` and trims trailing spaces and blank lines."""
    text = TIMING.sub("<t>", terminal(text))
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def assert_output_matches(actual, expected, where):
    """Asserts a block's real output shows what the page shows (see the module docstring).

    >>> assert_output_matches("\\rloss: 0.5001 - 3ms/step\\n", "loss: 0.5000 - 4ms/step", "example")
    """
    assert_text_close(normalize(actual), normalize(expected), what=where)


def our_pages():
    """Our Markdown pages that have at least one python block."""
    return sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).as_posix() not in NOT_OURS
                  and python_blocks_with_outputs(p.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("page", our_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_code_runs_and_prints_what_the_page_shows(page, tmp_path):
    text = page.read_text(encoding="utf-8")
    if "plot_history" in text:
        pytest.importorskip("matplotlib", reason="this page plots: pip install -e '.[docs]'")
    blocks = python_blocks_with_outputs(text)
    outputs, stderr, returncode = run_page(page, tmp_path)
    assert returncode == 0, f"{page.name}: a block failed:\n{stderr}"
    assert len(outputs) == len(blocks)
    for (line, _, expected), actual in zip(blocks, outputs):
        if expected is not None:
            assert_output_matches(actual, expected, f"{page.name}: output of the block at line {line}")


def test_pages_are_found():
    names = {p.relative_to(DOCS).as_posix() for p in our_pages()}
    assert {"index.md", "how-fit-works.md", "how-fit-works.zh.md", "callbacks-guide.zh.md", "custom-callbacks.md",
            "core/history.md", "differences.md"} <= names


def test_normalize_applies_redraws_and_hides_timings():
    raw = "\r1/3 [=>..] - ETA: 0s - loss: 0.7\b\b\b\b\r3/3 [====] - 0s 208us/step - loss: 0.71\n"
    assert normalize(raw) == "3/3 [====] - <t> <t>/step - loss: 0.71"
    assert normalize("loss: 0.5000 - 12ms/epoch\n\n") == "loss: 0.5000 - <t>/epoch"


# A decimal with 8 or more significant digits is a full-precision repr: its last digits depend on the
# CPU's BLAS kernel, so pages print rounded values instead. The one exception is Keras's own message
# for a new learning rate, a float32 scalar product (no BLAS) that Keras prints in full.
DECIMAL = re.compile(r"(?<![\w.])[-+]?\d*\.\d+")
KERAS_PRINTS_IN_FULL = re.compile(r"learning rate to [\d.e-]+\.$")


def full_precision_numbers(text):
    """The decimals of 8+ significant digits in an output text (lines where Keras prints them in full excepted).

    >>> full_precision_numbers("loss: 2.1378 1.115187\\n[1.5247400999069214]\\nlearning rate to 0.0005000000237487257.")
    ['1.5247400999069214']
    """
    return [m.group() for line in text.splitlines() if not KERAS_PRINTS_IN_FULL.search(line)
            for m in DECIMAL.finditer(line) if len(m.group().lstrip("-+").replace(".", "").lstrip("0")) >= 8]


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_pages_print_rounded_numbers(page):
    shown = [(line, full_precision_numbers(expected))
             for line, _, expected in python_blocks_with_outputs(page.read_text(encoding="utf-8")) if expected]
    assert [(line, found) for line, found in shown if found] == [], \
        "round these values where the page prints them (e.g. round(v, 4)): they differ between CPUs"


def test_output_block_is_paired_only_when_adjacent():
    text = "```python\nprint(1)\n```\n\n```text\n1\n```\n```python\nx = 2\n```\nprose\n```text\nno\n```\n"
    assert python_blocks_with_outputs(text) == [(2, "print(1)\n", "1\n"), (9, "x = 2\n", None)]


def write_outputs(page, outputs):
    """Replaces the body of every output block of ``page`` by the real output (authoring)."""
    text = page.read_text(encoding="utf-8")
    lines, blocks = text.splitlines(), fenced_blocks(text)
    output_of = {line: out for (line, _, _), out in zip(python_blocks_with_outputs(text), outputs)}
    edits = []
    for k, (language, code, line) in enumerate(blocks[:-1]):
        paired = [expected for start, _, expected in python_blocks_with_outputs(text) if start == line]
        if language in ("python", "py") and paired and paired[0] is not None:
            _, body, body_line = blocks[k + 1]
            new = [s.rstrip() for s in terminal(output_of[line]).rstrip("\n").split("\n")]
            edits.append((body_line - 1, body.count("\n"), new))
    for start, count, new in sorted(edits, reverse=True):
        lines[start:start + count] = new
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(edits)


if __name__ == "__main__":
    # Authoring: ``python tests/docs/test_docs_code.py [--write] docs/PAGE.md ...`` prints the real
    # output of every python block; with --write it pastes each into the ```text block after it.
    import tempfile
    write = "--write" in sys.argv
    for arg in [a for a in sys.argv[1:] if a != "--write"]:
        page = pathlib.Path(arg).resolve()
        with tempfile.TemporaryDirectory() as tmp:
            outputs, stderr, code = run_page(page, pathlib.Path(tmp))
        if code:
            sys.exit(f"{page.name}: a block failed:\n{stderr}")
        if write:
            print(f"{page.name}: {write_outputs(page, outputs)} output blocks written")
            continue
        for (line, _, _), out in zip(python_blocks_with_outputs(page.read_text(encoding="utf-8")), outputs):
            print(f"===== {page.name} block at line {line}\n{terminal(out)}")
