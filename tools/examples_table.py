"""Runs Keras 2.2.4's example scripts on minikeras and writes the table of results (Markdown).

Each script of ``examples/`` at the tag is copied into a temporary folder (never into this
repository) and run unchanged as::

    python -m minikeras run --data offline --epochs 1 SCRIPT.py

with a time limit per script. A row gives the result: ``passed`` (exit status 0), ``timeout``
(still running at the limit: it imported, built its model and was training or preparing data),
or ``failed`` with the last line of the error.

Usage (``REPO`` is a clone, or a bare git directory, of keras-team/keras)::

    python tools/examples_table.py REPO [--tag 2.2.4] [--timeout 60] [--out examples.md] [NAME ...]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def example_names(repo, tag):
    """Returns the ``examples/*.py`` file names at ``tag`` of the git repository ``repo``."""
    listing = subprocess.run(["git", "--git-dir", git_dir(repo), "ls-tree", "--name-only", f"{tag}:examples"],
                             capture_output=True, text=True, check=True).stdout
    return sorted(name for name in listing.split() if name.endswith(".py"))


def git_dir(repo):
    """The git directory of ``repo`` (a work tree with ``.git``, or a bare repository)."""
    repo = pathlib.Path(repo)
    return str(repo / ".git") if (repo / ".git").exists() else str(repo)


def run_example(repo, tag, name, folder, timeout):
    """Copies one example into ``folder`` and runs it; returns ``(status, seconds, detail)``."""
    source = subprocess.run(["git", "--git-dir", git_dir(repo), "show", f"{tag}:examples/{name}"],
                            capture_output=True, check=True).stdout
    script = pathlib.Path(folder) / name
    script.write_bytes(source)
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
    command = [sys.executable, "-m", "minikeras", "run", "--data", "offline", "--epochs", "1", str(script)]
    start = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "timeout", timeout, f"still running after {timeout} s"
    seconds = time.monotonic() - start
    if proc.returncode == 0:
        return "passed", seconds, ""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    return "failed", seconds, (lines[-1] if lines else f"exit status {proc.returncode}")


def table(rows):
    """Returns the Markdown table of ``(name, status, seconds, detail)`` rows."""
    out = ["| example | result | seconds | detail |", "|---|---|---|---|"]
    for name, status, seconds, detail in rows:
        out.append(f"| `{name}` | {status} | {seconds:.0f} | {detail.replace('|', '/')[:200]} |")
    counts = {s: sum(r[1] == s for r in rows) for s in ("passed", "timeout", "failed")}
    out.append("")
    out.append(f"{counts['passed']} passed, {counts['timeout']} timed out, {counts['failed']} failed "
               f"(of {len(rows)}).")
    return "\n".join(out) + "\n"


def main(argv=None):
    """Runs the examples named on the command line (default: all) and writes the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a clone (or bare git directory) of keras-team/keras")
    parser.add_argument("names", nargs="*", help="example file names (default: every examples/*.py)")
    parser.add_argument("--tag", default="2.2.4")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per example")
    parser.add_argument("--out", default=None, help="Markdown file to write (default: print)")
    options = parser.parse_args(argv)
    names = options.names or example_names(options.repo, options.tag)
    rows = []
    with tempfile.TemporaryDirectory(prefix="keras-examples-") as folder:
        for name in names:
            status, seconds, detail = run_example(options.repo, options.tag, name, folder, options.timeout)
            print(f"{name}: {status} ({seconds:.0f} s) {detail}", file=sys.stderr, flush=True)
            rows.append((name, status, seconds, detail))
    text = table(rows)
    if options.out:
        temporary = options.out + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, options.out)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
