"""mkdocs hook: the docstrings' reStructuredText markup shown as Markdown in the API reference.

Simple tables (columns framed by ``=====  =====`` lines) become Markdown tables, and Sphinx
roles become links.

The docstrings name other objects the Sphinx way, ``:class:`~minikeras.callbacks.History```
or ``:func:`serialize```, which reads well in ``help()`` and in the source. Markdown would print
them as they are. This hook adds a Markdown preprocessor that rewrites every role, outside
fenced blocks, as an autorefs cross-reference:

- ``:class:`~minikeras.callbacks.History``` -> ``[`History`][minikeras.callbacks.History]``
- ``:func:`serialize``` -> ``[`serialize`][serialize]``, which mkdocstrings resolves from where
  the docstring is, as Python would (option ``scoped_crossrefs``)
- ``:mod:`.tfrecord``` -> ``[`tfrecord`][.tfrecord]``, relative to the documented object
  (option ``relative_crossrefs``)

Each reference is marked ``optional`` (autorefs' attribute, set through ``attr_list``): one
whose target has no page on the site (a private helper module, a constant) shows as plain code
instead of failing the build. Roles naming something outside minikeras (``:mod:`zlib```) are
plain code from the start.
"""
import re

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

BORDER = re.compile(r"^(\s*)=+(?: +=+)+\s*$")
ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|obj|exc):`(~?)([^`<>]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")
#: Names documented nowhere on the site (the standard library and other projects).
EXTERNAL = ("zlib", "numpy", "h5py", "json", "struct", "os", "tensorflow", "keras", "tf_keras", "matplotlib")


def cross_reference(match):
    """The Markdown cross-reference for one role (``match`` of :data:`ROLE`)."""
    short, target = match.group(1), match.group(2).strip()
    title = target.lstrip(".").rsplit(".", 1)[-1] if short or target.startswith(".") else target
    if target.split(".")[0] in EXTERNAL:
        return f"`{title}`"
    return f"[`{title}`][{target}]{{: optional }}"


def simple_table(lines):
    """A reST simple table (its lines, borders included) as Markdown table lines.

    Columns are where the border's ``=`` runs are; a row whose first cell is blank continues
    the row above; the rows above the second border (if the table has three) are the header.
    """
    indent = BORDER.match(lines[0]).group(1)
    starts = [m.start() for m in re.finditer(r"=+", lines[0])]
    borders = [k for k, line in enumerate(lines) if BORDER.match(line)]
    rows, header_rows = [], (borders[1] - 1 if len(borders) == 3 else 1)
    for k, line in enumerate(lines):
        if k in borders or not line.strip():
            continue
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
        if rows and not cells[0] and k - 1 not in borders:
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    head, body = (rows[:header_rows] or [[""] * len(starts)])[-1], rows[header_rows:]
    table = [head, ["---"] * len(starts)] + body
    return [""] + [indent + "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table] + [""]


class RestMarkup(Preprocessor):
    """Rewrites simple tables and Sphinx roles found outside fenced blocks."""

    def run(self, lines):
        out, in_fence, i = [], False, 0
        while i < len(lines):
            line = lines[i]
            if FENCE.match(line):
                in_fence = not in_fence
            border = None if in_fence else BORDER.match(line)
            if border:                                  # the table ends at its last border before a blank line
                end, k = i, i + 1
                while k < len(lines) and lines[k].strip():
                    end = k if lines[k].strip() == line.strip() else end
                    k += 1
                if end > i:
                    out += [ROLE.sub(cross_reference, s) for s in simple_table(lines[i:end + 1])]
                    i = end + 1
                    continue
            out.append(line if in_fence else ROLE.sub(cross_reference, line))
            i += 1
        return out


class RestMarkupExtension(Extension):
    """The Markdown extension that installs :class:`RestMarkup`."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.preprocessors.register(RestMarkup(md), "rest_markup", 29)  # before superfences (25)


@event_priority(100)
def on_config(config):
    """Adds the extension to the site's Markdown extensions, before mkdocstrings reads them."""
    config.markdown_extensions.append(RestMarkupExtension())
    return config
