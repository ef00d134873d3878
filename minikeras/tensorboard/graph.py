"""What the Graphs tab shows: the model's Keras config, and a small op graph of its layers.

TensorBoard draws two kinds of graph:

* the **conceptual graph**: the model's Keras JSON (``model.to_json()``), written as a
  ``keras`` summary (see :func:`.summary.keras_model`); TensorBoard turns each layer of the
  config into a box, as it does for tf_keras models;
* the **op graph**: a ``GraphDef`` stored in ``Event.graph_def``. TensorFlow writes the
  thousands of ops of its training function; we write one op per layer plus one variable per
  weight, grouped under the layer's name, so the Graphs tab shows the data flowing
  ``input -> layer -> layer`` with shapes on the edges::

      GraphDef { repeated NodeDef node = 1; }
      NodeDef  { string name = 1; string op = 2; repeated string input = 3;
                 map<string, AttrValue> attr = 5; }       # map entry: { key = 1; value = 2; }
      AttrValue { ListValue list = 1; bytes s = 2; DataType type = 6; TensorShapeProto shape = 7; }
"""
import json

import numpy as np

from . import protobuf as pb
from .summary import DTYPES

_DT_FLOAT = DTYPES[np.dtype("float32")]


def model_json(model):
    """Returns the model's Keras JSON: ``model.to_json()``, or, without it, ``{class_name, config}``.

    Args:
        model: a model with ``get_config()`` (and usually ``to_json()``).
    """
    to_json = getattr(model, "to_json", None)
    if to_json is not None:
        try:
            return to_json()
        except (AttributeError, ImportError, NotImplementedError):
            pass  # saving not available: build the same layout from get_config
    config = {"class_name": type(model).__name__, "config": model.get_config(), "backend": "numpy"}
    return json.dumps(config, default=_to_json_type)


def _to_json_type(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (np.ndarray, tuple)):
        return list(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable.")


def _shape(shape):
    """``TensorShapeProto``; ``None`` (unknown batch size) becomes ``-1``."""
    return b"".join(pb.bytes_field(2, pb.varint_field(1, -1 if n is None else n)) for n in shape)


def _attr(name, value):
    return pb.bytes_field(5, pb.string_field(1, name) + pb.bytes_field(2, value))


def _node(name, op, inputs=(), shape=None, extra_attrs=b""):
    out = pb.string_field(1, name) + pb.string_field(2, op) + b"".join(pb.string_field(3, i) for i in inputs)
    out += _attr("dtype", pb.varint_field(6, _DT_FLOAT)) + extra_attrs
    if shape is not None:
        out += _attr("_output_shapes", pb.bytes_field(1, pb.bytes_field(7, _shape(shape))))
    return pb.bytes_field(1, out)


def layer_graph_def(model):
    """Returns the encoded ``GraphDef`` of a sequential model: one node per layer and weight.

    Node names: ``input`` (a ``Placeholder``), ``<layer>/<weight>`` (``VariableV2``) and
    ``<layer>/<LayerClass>`` (the layer's computation, fed by the previous layer and its weights).

    Args:
        model: a built model with ``layers`` (run in order) and ``input_shape``.
    """
    if isinstance(model.input_shape, list) or isinstance(model.output_shape, list):
        return _branched_graph_def(model)
    input_shape = tuple(model.input_shape)
    nodes = [_placeholder("input", input_shape)]
    previous = "input"
    for layer in model.layers:
        weight_nodes = _weight_nodes(layer, nodes)
        op = type(layer).__name__
        name = f"{layer.name}/{op}"
        nodes.append(_node(name, op, [previous] + weight_nodes, shape=layer.output_shape))
        previous = name
    return b"".join(nodes)


def _placeholder(name, shape):
    return _node(name, "Placeholder", shape=shape, extra_attrs=_attr("shape", pb.bytes_field(7, _shape(shape))))


def _weight_nodes(layer, nodes):
    """Appends one ``VariableV2`` node per weight of ``layer`` to ``nodes``; returns their names."""
    names = []
    for full_name, weight in zip(layer.weight_names, layer.weights):
        node_name = full_name.split(":")[0]                       # 'dense/kernel:0' -> 'dense/kernel'
        nodes.append(_node(node_name, "VariableV2", shape=weight.shape,
                           extra_attrs=_attr("shape", pb.bytes_field(7, _shape(weight.shape)))))
        names.append(node_name)
    return names


def _branched_graph_def(model):
    """The op graph of a model with several inputs or outputs: each layer fed by the layers it was called on."""
    inputs = {id(t.keras_history[0]) for t in model.inputs}
    nodes = [_placeholder(t.keras_history[0].name, tuple(t.shape)) for t in model.inputs]
    op_names = {layer_id: layer.name for layer_id, layer in ((id(t.keras_history[0]), t.keras_history[0])
                                                             for t in model.inputs)}
    for layer in model.layers:
        if id(layer) in inputs:
            continue
        weight_nodes = _weight_nodes(layer, nodes)
        op = type(layer).__name__
        op_names[id(layer)] = f"{layer.name}/{op}"
        feeding = []
        for node in layer.inbound_nodes:
            for tensor in node.input_tensors:
                name = op_names.get(id(tensor.keras_history[0]))
                if name is not None and name not in feeding:
                    feeding.append(name)
        shapes = [tuple(t.shape) for t in layer.inbound_nodes[0].output_tensors]
        nodes.append(_node(op_names[id(layer)], op, feeding + weight_nodes, shape=shapes[0]))
    return b"".join(nodes)
