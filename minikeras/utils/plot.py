"""``plot_history``: learning curves from a :class:`~minikeras.callbacks.History`.

matplotlib is optional (``pip install matplotlib``, or the ``docs`` extra of a checkout: ``pip install -e ".[docs]"``); it is imported only when
``plot_history`` is called, so ``import minikeras`` never needs it.
"""


def _figure_class():
    """Returns ``matplotlib.figure.Figure``, or raises an ImportError that says how to install it.

    The figure is made without pyplot, so no pyplot window or notebook backend keeps it: a
    notebook shows it once, as the value of the cell, instead of twice.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError("plot_history needs matplotlib, which minikeras does not install by itself: "
                          "pip install matplotlib") from error
    return Figure


def _curves(history):
    """Returns ``(epochs, {key: values})`` from a History or a plain ``{key: [values]}`` dict."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"history must be a History (what fit returns) or a dict of lists, got "
                        f"{type(history).__name__}.")
    if not logs:
        raise ValueError("history has no recorded values: plot after fit has run at least one epoch.")
    length = max(len(values) for values in logs.values())
    epochs = list(getattr(history, "epoch", None) or range(length))
    return epochs, logs


def plot_history(history, metrics=None, filename=None, title=None, figsize=None):
    """Draws one learning-curve panel per metric: training solid, ``val_`` dashed.

    The x axis shows epochs counted from 1, as the progress bar does (``Epoch 1/E``). The figure
    is returned, not shown: as the last value of a notebook cell it is displayed once; in a
    script, give ``filename`` (or call ``fig.savefig``) to get the picture.

    Args:
        history (History or dict): the :class:`~minikeras.callbacks.History` returned by ``fit``, or its
            ``history`` dict ``{'loss': [...], 'val_loss': [...], ...}``.
        metrics (list of str, str or None): names to plot, without ``val_`` (default: every training key, in log order;
            ``lr`` included if a callback logged it).
        filename (str or None): if given, the figure is also saved there, exactly at that path (its format
            from the extension: PNG for ``.png``, ``.svg``, ``.pdf``).
        title (str or None): optional title over all panels.
        figsize (tuple or None): ``(width, height)`` in inches (default: 4 inches wide per panel, 3 high).

    Returns:
        matplotlib.figure.Figure: the figure (``fig.savefig(...)`` to save it elsewhere).

    Raises:
        ImportError: if matplotlib is not installed (``pip install matplotlib``).
        TypeError: if ``history`` is neither a History nor a dict.
        ValueError: if ``history`` is empty or a name in ``metrics`` was not recorded.

    >>> fig = plot_history({'loss': [0.9, 0.5, 0.4], 'val_loss': [1.0, 0.7, 0.6]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss']
    """
    epochs, logs = _curves(history)
    if metrics is None:
        metrics = [key for key in logs if not key.startswith("val_")]
        metrics += [key[4:] for key in logs if key.startswith("val_") and key[4:] not in logs]
    elif isinstance(metrics, str):
        metrics = [metrics]
    unknown = [m for m in metrics if m not in logs and "val_" + m not in logs]
    if unknown:
        raise ValueError(f"metrics {unknown} were not recorded; recorded keys are {list(logs)}.")
    figsize = figsize or (4 * len(metrics), 3)
    fig = _figure_class()(figsize=figsize)
    axes = fig.subplots(1, len(metrics), squeeze=False)
    for ax, name in zip(axes[0], metrics):
        for key, style, label in ((name, "-", "train"), ("val_" + name, "--", "validation")):
            if key in logs:
                values = [float(v) for v in logs[key]]
                ax.plot([e + 1 for e in epochs[:len(values)]], values, style, marker="o", label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole numbers
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if filename is not None:
        fig.savefig(filename)
    return fig
