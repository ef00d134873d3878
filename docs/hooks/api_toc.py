"""mkdocs hook: the machinery classes stay on the API pages but out of their table of contents.

``CallbackList`` and ``MonitorCallback`` are documented (links to them work), but a reader
scanning the callbacks page's table of contents is looking for callbacks, not for the ~30
dispatch methods of the machinery. ``INTERNAL`` lists the headings removed from the table of
contents, with everything under them.
"""
INTERNAL = ("minikeras.callbacks.CallbackList", "minikeras.callbacks.MonitorCallback")


def _is_internal(anchor):
    return any(anchor == name or anchor.startswith(name + ".") for name in INTERNAL)


def _prune(items):
    kept = [item for item in items if not _is_internal(item.id)]
    for item in kept:
        item.children[:] = _prune(item.children)
    return kept


def on_page_context(context, page, config, nav):
    """Removes the INTERNAL headings from the page's table of contents."""
    if page.toc is not None:
        page.toc.items[:] = _prune(page.toc.items)
    return context
