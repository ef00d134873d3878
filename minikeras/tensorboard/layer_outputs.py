"""Running a model's layers on some data, batch by batch, and keeping chosen layers' outputs.

The ``TensorBoard`` callback needs these for the activation histograms (on the validation
data) and for the projector's embeddings (on ``embeddings_data``). Layers are run in
``model.layers`` order with ``training=False`` (so ``Dropout`` does nothing), exactly as
``predict`` does, in slices of ``batch_size`` rows so memory stays bounded.
"""
import numpy as np

from .. import backend


def layer_outputs(model, x, layer_names, batch_size=32):
    """Returns ``{layer name: output on x}`` for the layers in ``layer_names``.

    Args:
        model: a built model: a chain (``model.layers`` feed each other in order), or any
            functional model when ``x`` is a list (one array per input).
        x: inputs, shape ``(samples, features...)``, or a list of them.
        layer_names: names of the layers whose outputs to keep.
        batch_size: rows per forward pass.

    Returns:
        dict: each value has shape ``(samples,) + layer.output_shape[1:]`` (float32).

    >>> from minikeras.models import Sequential
    >>> from minikeras.layers import Dense
    >>> model = Sequential([Dense(2, input_dim=3, kernel_initializer='ones', name='a')])
    >>> layer_outputs(model, np.ones((4, 3), 'float32'), ['a'])['a'].tolist()
    [[3.0, 3.0], [3.0, 3.0], [3.0, 3.0], [3.0, 3.0]]
    """
    if isinstance(x, (list, tuple)) or len(getattr(model, "inputs", None) or ()) > 1:
        return _graph_layer_outputs(model, x, layer_names, batch_size)
    wanted = set(layer_names)
    last = max(i for i, layer in enumerate(model.layers) if layer.name in wanted) if wanted else -1
    pieces = {name: [] for name in layer_names}
    x = np.asarray(x, dtype=np.float32)
    for start in range(0, len(x), batch_size):
        h = x[start:start + batch_size]
        for layer in model.layers[:last + 1]:
            h = layer(h, training=False)
            if layer.name in wanted:
                pieces[layer.name].append(np.array(h, dtype=np.float32))
    return {name: np.concatenate(parts) if parts else np.zeros((0,), np.float32) for name, parts in pieces.items()}


def _graph_layer_outputs(model, x, layer_names, batch_size):
    """:func:`layer_outputs` for a model with several inputs (``x`` a list): ``K.function`` on the graph.

    A layer called several times (shared) contributes the output of its first call.
    """
    layers = {layer.name: layer for layer in model.layers}
    outputs = [layers[name].inbound_nodes[0].output_tensors[0] for name in layer_names]
    run = backend.function(list(model.inputs), outputs)
    xs = [np.asarray(v, dtype=np.float32) for v in (x if isinstance(x, (list, tuple)) else [x])]
    pieces = [[] for _ in layer_names]
    for start in range(0, len(xs[0]), batch_size):
        for piece, value in zip(pieces, run([v[start:start + batch_size] for v in xs])):
            piece.append(np.array(value, dtype=np.float32))
    return {name: np.concatenate(piece) if piece else np.zeros((0,), np.float32)
            for name, piece in zip(layer_names, pieces)}
