"""``model.summary()``: the layer table, in tf_keras 2.21's exact text format.

Example (recorded from tf_keras 2.21 and reproduced here)::

    Model: "sequential"
    _________________________________________________________________
     Layer (type)                Output Shape              Param #
    =================================================================
     dense (Dense)               (None, 10)                7850
    ...
"""

_UNITS = ["Byte", "KB", "MB", "GB", "TB", "PB"]


def readable_size(num_bytes):
    """Returns ``num_bytes`` as Keras prints it: ``'30.66 KB'``, ``'0.00 Byte'``."""
    size = float(num_bytes)
    for unit in _UNITS:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {_UNITS[-1]}"


def format_row(fields, positions):
    """Lays out ``fields`` in columns ending at ``positions``; long fields wrap onto more lines.

    Each column but the last keeps two spaces free; every line starts with one space.

    Returns:
        list of str, each exactly ``positions[-1]`` characters long.
    """
    left = [str(f) for f in fields]
    lines = []
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col > 0 else 0
            space = 2 if col != len(positions) - 1 else 0
            cutoff = positions[col] - start - space
            piece = text[:cutoff]
            breaks = [piece.find(s) + len(s) for s in ("),", "},", "],", "',") if piece.find(s) >= 0]
            if breaks:
                cutoff = min(breaks)
                piece = piece[:cutoff]
            if col == 0:
                line += " "
            line += piece + " " * space
            left[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Prints ``model``'s layers, output shapes and parameter counts.

    A model whose graph is a chain gets three columns (65 characters); a graph with branches,
    several inputs or shared layers gets a fourth, "Connected to" (98 characters), listing each
    call's inputs as ``'layer[node][tensor]'``, as tf_keras prints them.

    Args:
        model: a built model.
        line_length: total width (default 65, or 98 with "Connected to").
        positions: column ends as fractions or absolute positions (default ``[.45, .85, 1.]``,
            or ``[.3, .6, .7, 1.]`` with "Connected to").
        print_fn: function called with each line (default ``print``).

    Raises:
        ValueError: if the model is not built yet (its input shape is unknown).
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build it by calling model.build(input_shape), by "
                         "giving the first layer an input_dim/input_shape, or by fitting it on data.")
    print_fn = print_fn or print
    relevant = _relevant_nodes(model)
    chain = type(model).__name__ == "Sequential" or _is_chain(model, relevant)
    line_length = line_length or (65 if chain else 98)
    positions = positions or ([0.45, 0.85, 1.0] if chain else [0.3, 0.6, 0.7, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    header = ["Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    for line in format_row(header, positions):
        print_fn(line)
    print_fn("=" * line_length)
    for layer in model.layers:
        fields = [f"{layer.name} ({class_name(layer)})", _output_shape(layer), layer.count_params()]
        if not chain:
            fields.append([f"{inbound.name}[{node_index}][{tensor_index}]"
                           for node in layer.inbound_nodes if id(node) in relevant
                           for inbound, node_index, tensor_index, _ in node.iterate_inbound()])
        for line in format_row(fields, positions):
            print_fn(line)
        print_fn(" " * line_length)
    print_fn("=" * line_length)

    trainable = sum(w.size for w in model.trainable_weights)
    total = model.count_params()
    itemsize = 4  # float32 weights
    print_fn(f"Total params: {total} ({readable_size(total * itemsize)})")
    print_fn(f"Trainable params: {trainable} ({readable_size(trainable * itemsize)})")
    print_fn(f"Non-trainable params: {total - trainable} ({readable_size((total - trainable) * itemsize)})")
    print_fn("_" * line_length)


def class_name(layer):
    """The class name Keras shows and saves: ``'Functional'`` for a ``Model`` built from inputs and
    outputs; a class's ``keras_class_name`` where it stands for a Keras class (``UserCellRNN``: ``'RNN'``)."""
    if type(layer).__name__ == "Model":
        return "Functional"
    return getattr(type(layer), "keras_class_name", type(layer).__name__)


def _relevant_nodes(model):
    graph = getattr(model, "_graph", None)
    return {id(n) for n in graph.all_nodes} if graph is not None else set()


def _is_chain(model, relevant):
    """tf_keras's test: one node per depth, each with one input, and no layer called twice."""
    graph = model._graph
    depths = {}
    for node in graph.all_nodes:
        if len(node.input_tensors) > 1:
            return False
        depths.setdefault(_depth(node), []).append(node)
    if any(len(nodes) > 1 for nodes in depths.values()):
        return False
    return all(sum(id(n) in relevant for n in layer.inbound_nodes) <= 1 for layer in model.layers)


def _depth(node):
    return 0 if not node.input_tensors else 1 + max(_depth(t.node) for t in node.input_tensors)


def _output_shape(layer):
    try:
        shape = layer.output_shape
    except AttributeError:
        return "multiple"
    return f"[{shape}]" if type(layer).__name__ == "InputLayer" else str(shape)
