"""mkdocs hook: the docstrings' Sphinx roles become links in the API reference.

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


class SphinxRoles(Preprocessor):
    """Rewrites Sphinx roles found outside fenced blocks as autorefs cross-references."""

    def run(self, lines):
        out, in_fence = [], False
        for line in lines:
            if FENCE.match(line):
                in_fence = not in_fence
            out.append(line if in_fence else ROLE.sub(cross_reference, line))
        return out


class SphinxRolesExtension(Extension):
    """The Markdown extension that installs :class:`SphinxRoles`."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.preprocessors.register(SphinxRoles(md), "sphinx_roles", 29)  # before superfences (25)


@event_priority(100)
def on_config(config):
    """Adds the extension to the site's Markdown extensions, before mkdocstrings reads them."""
    config.markdown_extensions.append(SphinxRolesExtension())
    return config
