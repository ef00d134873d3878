"""Renders the tutorials for the site: a page with every cell's output and plots, and a notebook.

    python docs/tools/render_tutorials.py            # all of tutorials/NN_*.py
    python docs/tools/render_tutorials.py 06 07      # only these

For each ``tutorials/NN_name.py`` (percent format: ``# %%`` code cells, ``# %% [markdown]``
cells) it runs the cells in order, in one namespace, in an empty temporary folder (so the
plots go to its ``tutorial_output/``), and writes into ``docs/tutorials/``:

- ``NN_name.md``: the markdown cells as text, each code cell with what it printed after it
  and the plots it saved shown below;
- ``NN_*.png``: those plots;
- ``NN_name.ipynb``: the same cells as a Jupyter notebook (nbformat 4), outputs included.

and refreshes the table of ``docs/tutorials.md`` between its ``<!-- tutorials -->`` markers.
The files are generated: edit the script, then run this again (``tests/docs/test_tutorials.py``
fails when a page no longer matches its script). The pages' code blocks are tagged
``python3``: the docs test runner leaves them alone, because ``test_tutorials.py`` already runs
every script and compares its output with the page.
"""
import base64
import contextlib
import io
import json
import os
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "tutorials"
OUT = ROOT / "docs" / "tutorials"
INDEX = ROOT / "docs" / "tutorials.md"
CELL = re.compile(r"^# %%( \[markdown\])?[ \t]*$", re.M)


def cells(script_text):
    """``[(kind, text)]`` of a percent-format script: kind 'markdown' (comment marks removed) or 'code'."""
    found = []
    marks = list(CELL.finditer(script_text))
    for mark, following in zip(marks, marks[1:] + [None]):
        body = script_text[mark.end():following.start() if following else len(script_text)].strip("\n")
        if mark.group(1):
            body = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            found.append(("markdown", body.strip("\n")))
        elif body.strip():
            found.append(("code", body))
    return found


def page(name, parts):
    """The Markdown page of a tutorial from ``[(kind, text, output, [png names])]``."""
    lines = []
    for k, (kind, text, output, pngs) in enumerate(parts):
        if kind == "markdown":
            lines += [text, ""]
            if k == 0:
                lines += [f"[Download the notebook]({name}.ipynb){{ .md-button }} "
                          f"or run the script `tutorials/{name}.py` of the repository.", ""]
            continue
        lines += ["```python3", text, "```", ""]
        if output.strip():
            lines += ["```text", output.rstrip("\n"), "```", ""]
        lines += [f"![{png}]({png})\n" for png in pngs]
    footer = f"<!-- generated from tutorials/{name}.py by docs/tools/render_tutorials.py: do not edit -->"
    return "\n".join(lines).rstrip("\n") + "\n\n" + footer + "\n"


def notebook(parts, images):
    """A Jupyter notebook (nbformat 4.5) of the cells, with their printed output and plots."""
    nb_cells = []
    for k, (kind, text, output, pngs) in enumerate(parts):
        source = text.splitlines(keepends=True)
        if kind == "markdown":
            nb_cells.append({"cell_type": "markdown", "id": f"cell-{k}", "metadata": {}, "source": source})
            continue
        outputs = []
        if output:
            outputs.append({"name": "stdout", "output_type": "stream", "text": output.splitlines(keepends=True)})
        for png in pngs:
            outputs.append({"output_type": "display_data", "metadata": {},
                            "data": {"image/png": base64.b64encode(images[png]).decode("ascii"),
                                     "text/plain": [f"<{png}>"]}})
        nb_cells.append({"cell_type": "code", "id": f"cell-{k}", "metadata": {}, "execution_count": None,
                         "source": source, "outputs": outputs})
    return {"cells": nb_cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}}}


def terminal(text):
    """What a terminal would show: carriage returns and backspaces applied (progress bars)."""
    shown = []
    for line in text.split("\n"):
        screen = ""
        for piece in re.split(r"(\r|\b)", line):
            if piece == "\r":
                screen = ""
            elif piece == "\b":
                screen = screen[:-1]
            else:
                screen += piece
        shown.append(screen.rstrip())
    return "\n".join(shown)


def run(script):
    """Runs the cells of ``script``; returns ``[(kind, text, output, [png names])]`` and ``{png: bytes}``."""
    parts, images = [], {}
    namespace = {"__name__": "__main__", "__file__": str(script)}
    previous = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            for kind, text in cells(script.read_text(encoding="utf-8")):
                if kind == "markdown":
                    parts.append((kind, text, "", []))
                    continue
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    exec(compile(text + "\n", str(script), "exec"), namespace)
                new = sorted(p for p in pathlib.Path("tutorial_output").glob("*.png") if p.name not in images)
                for png in new:
                    images[png.name] = png.read_bytes()
                parts.append((kind, text, terminal(buffer.getvalue()), [p.name for p in new]))
        finally:
            os.chdir(previous)
    return parts, images


def title(script):
    first = cells(script.read_text(encoding="utf-8"))[0][1].splitlines()[0]
    return first.lstrip("# ").strip()


def refresh_index(scripts):
    """Rewrites the table of docs/tutorials.md between its markers."""
    rows = ["| tutorial (with its outputs and plots) | notebook |", "|---|---|"]
    for script in scripts:
        name = script.stem
        rows.append(f"| [{title(script)}](tutorials/{name}.md) | [{name}.ipynb](tutorials/{name}.ipynb) |")
    text = INDEX.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- tutorials -->\n)(?:.*?\n)?(<!-- /tutorials -->)",
                  lambda m: m.group(1) + "\n".join(rows) + "\n" + m.group(2), text, flags=re.S)
    INDEX.write_text(text, encoding="utf-8")


def render(script):
    parts, images = run(script)
    OUT.mkdir(exist_ok=True)
    name = script.stem
    for old in OUT.glob(f"{name[:2]}_*.png"):
        old.unlink()
    for png, data in images.items():
        (OUT / png).write_bytes(data)
    (OUT / f"{name}.md").write_text(page(name, parts), encoding="utf-8")
    (OUT / f"{name}.ipynb").write_text(json.dumps(notebook(parts, images), indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    print(f"{name}: {sum(k == 'code' for k, *_ in parts)} code cells, plots {sorted(images)}")


def main(argv):
    os.environ.pop("MINIKERAS_TUTORIAL_OUT", None)   # the pages show the default folder
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(ROOT))
    scripts = sorted(TUTORIALS.glob("[0-9][0-9]_*.py"))
    chosen = [s for s in scripts if not argv or s.name[:2] in argv]
    for script in chosen:
        render(script)
    refresh_index(scripts)


if __name__ == "__main__":
    main(sys.argv[1:])
