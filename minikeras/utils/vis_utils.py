"""``plot_model``: a picture of a model's layers (Keras ``keras.utils.plot_model`` / ``vis_utils``).

Keras draws the graph with pydot + Graphviz; minikeras does the same when both are installed,
and otherwise draws it itself with matplotlib (boxes, arrows, names and shapes), so the picture
is always made. Neither is needed by ``import minikeras``.

The graph comes from :func:`layer_graph`: one node per layer with the names of the layers feeding
it. The drawing code only sees those nodes, so any layer graph (a chain today, a DAG of functional
models) is drawn the same way: each node sits one rank after its deepest input.

>>> from minikeras.models import Sequential
>>> from minikeras.layers import Dense
>>> model = Sequential([Dense(4, input_dim=3, name='hidden'), Dense(1, name='out')])
>>> [(node.name, node.class_name, node.inbound) for node in layer_graph(model)]
[('hidden_input', 'InputLayer', []), ('hidden', 'Dense', ['hidden_input']), ('out', 'Dense', ['hidden'])]
"""
import collections
import os
import shutil

from .io_utils import atomic_path, check_writable_dir

#: One box of the picture: a layer's name, class, shapes and the names of the layers feeding it.
Node = collections.namedtuple("Node", "name class_name input_shape output_shape inbound layer")
RANKDIRS = ("TB", "LR")


def layer_graph(model):
    """The model's layers as graph nodes, inputs first (a topological order).

    Today's models are chains (``Sequential``): an ``InputLayer`` node when the input shape is
    known, then each layer fed by the one before.

    Args:
        model: a Sequential model.

    Returns:
        list of :data:`Node`.
    """
    nodes, previous = [], []
    layers = list(model.layers)
    if layers and layers[0].input_shape is not None:
        shape = layers[0].input_shape
        nodes.append(Node(f"{layers[0].name}_input", "InputLayer", shape, shape, [], None))
        previous = [nodes[0].name]
    for layer in layers:
        nodes.append(Node(layer.name, type(layer).__name__, layer.input_shape, layer.output_shape, previous, layer))
        previous = [layer.name]
    return nodes


def node_label(node, show_shapes=False, show_layer_names=True, show_dtype=False, show_layer_activations=False,
               show_trainable=False):
    """The text of a node's box, as lines: ``'name: Class'``, then what the ``show_*`` flags ask for.

    Args:
        node: a :data:`Node`.
        show_shapes, show_layer_names, show_dtype, show_layer_activations, show_trainable: as in :func:`plot_model`.

    Returns:
        list of str.
    """
    lines = [f"{node.name}: {node.class_name}" if show_layer_names else node.class_name]
    activation = getattr(node.layer, "activation", None)
    if show_layer_activations and activation is not None:
        lines[0] += f" ({getattr(activation, '__name__', activation)})"
    if show_trainable and node.layer is not None:
        lines[0] += " [trainable]" if node.layer.trainable else " [frozen]"
    if show_dtype:
        lines.append(f"dtype: {getattr(node.layer, 'dtype', 'float32')}")
    if show_shapes:
        lines += [f"input: {_shape(node.input_shape)}", f"output: {_shape(node.output_shape)}"]
    return lines


def _shape(shape):
    return "?" if shape is None else str(tuple(shape))


def ranks(nodes):
    """Each node's rank: 0 for inputs, else one more than its deepest inbound node.

    Args:
        nodes: :data:`Node` list in topological order.

    Returns:
        list of ints.
    """
    rank = {}
    for node in nodes:
        rank[node.name] = 1 + max((rank[name] for name in node.inbound), default=-1)
    return [rank[node.name] for node in nodes]


def graphviz_available():
    """True when pydot imports and Graphviz's ``dot`` program is on the PATH (Keras's route)."""
    try:
        import pydot  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


def _write_with_pydot(nodes, labels, path, fmt, rankdir, dpi):
    import pydot
    dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=dpi, concentrate=True)
    dot.set_node_defaults(shape="record")
    for node, lines in zip(nodes, labels):
        dot.add_node(pydot.Node(str(id(node)), label="{" + "|".join(_escape(line) for line in lines) + "}"))
    by_name = {node.name: node for node in nodes}
    for node in nodes:
        for name in node.inbound:
            dot.add_edge(pydot.Edge(str(id(by_name[name])), str(id(node))))
    dot.write(path, format=fmt)


def _escape(text):
    return "".join("\\" + c if c in "{}|<>" else c for c in text)


def _write_with_matplotlib(nodes, labels, path, fmt, rankdir, dpi):
    from matplotlib.backends.backend_agg import FigureCanvasAgg   # no pyplot: no global figure state
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch
    rank = ranks(nodes)
    slot, place = collections.Counter(), []
    for r in rank:                                                   # position within the rank
        place.append(slot[r])
        slot[r] += 1
    width = max(max(len(line) for line in lines) for lines in labels) * 0.075 + 0.4   # inches per box
    height = max(len(lines) for lines in labels) * 0.22 + 0.2
    gap_x, gap_y = width + 0.4, height + 0.45
    xy = {}
    for node, r, p in zip(nodes, rank, place):
        across = (p - (slot[r] - 1) / 2) * gap_x                  # centred in the rank
        xy[node.name] = (across, -r * gap_y) if rankdir == "TB" else (r * gap_x * 1.1, -p * gap_y)
    xs, ys = [x for x, _ in xy.values()], [y for _, y in xy.values()]
    fig = Figure(figsize=(max(xs) - min(xs) + width + 0.4, max(ys) - min(ys) + height + 0.4))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(min(xs) - width / 2 - 0.2, max(xs) + width / 2 + 0.2)
    ax.set_ylim(min(ys) - height / 2 - 0.2, max(ys) + height / 2 + 0.2)
    ax.axis("off")
    for node, lines in zip(nodes, labels):
        x, y = xy[node.name]
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.02",
                                    facecolor="#eef3fb", edgecolor="#34495e"))
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=9, family="monospace")
        for name in node.inbound:
            (x0, y0), end = xy[name], (x, y + height / 2) if rankdir == "TB" else (x - width / 2, y)
            start = (x0, y0 - height / 2) if rankdir == "TB" else (x0 + width / 2, y0)
            ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "#34495e"})
    fig.savefig(path, format=fmt, dpi=dpi)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
               expand_nested=False, dpi=96, show_layer_activations=False, show_trainable=False):
    """Draws the model's layers as boxes joined by arrows and saves the picture (atomically).

    Uses pydot + Graphviz when both are installed (as Keras), otherwise matplotlib.

    Args:
        model: a model (built, for the shapes).
        to_file: the file; its extension picks the format (png, pdf, svg, ...).
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's dtype.
        show_layer_names: start each box with the layer's name.
        rankdir: ``'TB'`` (top to bottom) or ``'LR'`` (left to right).
        expand_nested: accepted for Keras; today's models have no nested models to expand.
        dpi: dots per inch of the picture.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: mark layers trainable or frozen.

    Returns:
        ``IPython.display.Image`` of the file when IPython is installed (it shows in notebooks), else None.

    Raises:
        ValueError: for a bad ``rankdir`` or ``to_file``, or a model without layers.
        ImportError: when neither pydot + Graphviz nor matplotlib is installed.
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}.")
    nodes = layer_graph(model)
    if not nodes:
        raise ValueError("The model has no layers to plot; add layers first.")
    to_file = os.fspath(to_file)
    check_writable_dir(to_file, "to_file")
    fmt = os.path.splitext(to_file)[1].lstrip(".").lower() or "png"
    labels = [node_label(n, show_shapes, show_layer_names, show_dtype, show_layer_activations, show_trainable)
              for n in nodes]
    writer = _write_with_pydot if graphviz_available() else _write_with_matplotlib
    if writer is _write_with_matplotlib:
        try:
            import matplotlib  # noqa: F401
        except ImportError as error:
            raise ImportError("plot_model needs pydot and Graphviz (as Keras: pip install pydot, and install "
                              "graphviz), or matplotlib: pip install matplotlib") from error
    with atomic_path(to_file) as tmp:
        writer(nodes, labels, tmp, fmt, rankdir, dpi)
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file) if fmt != "pdf" else None


__all__ = ["plot_model", "layer_graph", "node_label", "ranks", "graphviz_available", "Node"]
