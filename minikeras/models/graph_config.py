"""A functional model's config: its layers and, for each call of each layer, where the inputs came from.

The layout is tf_keras's (``class_name: "Functional"``)::

    {"name": "model", "trainable": true,
     "layers": [{"class_name": "InputLayer", "config": {...}, "name": "a", "inbound_nodes": []},
                {"class_name": "Dense", "config": {...}, "name": "d",
                 "inbound_nodes": [[["a", 0, 0, {}]]]}, ...],
     "input_layers": [["a", 0, 0]], "output_layers": [["d", 0, 0]]}

Each inbound entry is ``[layer_name, node_index, tensor_index, call_kwargs]``: the input is output
``tensor_index`` of call ``node_index`` of that layer. Rebuilding calls the layers again in an
order where every input already exists.
"""
from .. import layers as layers_module
from .summary import class_name


def get_config(model):
    """Returns the config of the functional ``model`` (see the module docstring)."""
    graph = model._graph
    layer_configs = []
    for layer in model.layers:
        nodes = [n for n in layer.inbound_nodes if n in graph.all_nodes and not n.is_input]
        layer_configs.append({
            "class_name": class_name(layer), "config": layer.get_config(), "name": layer.name,
            "inbound_nodes": [[graph.tensor_ref(t) + [dict(n.kwargs)] for t in n.input_tensors] for n in nodes]})
    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": [graph.tensor_ref(t) for t in model.inputs],
            "output_layers": [graph.tensor_ref(t) for t in model.outputs]}


def deserialize_layer(entry, custom_objects=None, model_classes=None):
    """Creates a layer from ``{'class_name', 'config'}``; a nested model through its class's ``from_config``."""
    nested = (custom_objects or {}).get(entry["class_name"]) or (model_classes or {}).get(entry["class_name"])
    if nested is not None and hasattr(nested, "_init_graph"):
        return nested.from_config(entry["config"], custom_objects=custom_objects)
    return layers_module.deserialize(entry, custom_objects)


def from_config(model_class, config, custom_objects=None, model_classes=None):
    """Rebuilds a functional model (new weights) from :func:`get_config`'s output.

    Args:
        model_class: the model class to create.
        config: the config dict.
        custom_objects: optional ``{name: class}`` for your own layers.
        model_classes: ``{class name: model class}`` for models nested as layers.

    Raises:
        ValueError: if a node refers to a layer that is not in the config, or the calls can never
            all be made (a damaged config).
    """
    model_classes = dict(model_classes or {})
    if not isinstance(config.get("input_layers"), list) or not isinstance(config.get("output_layers"), list):
        raise ValueError("A functional model config needs the lists 'input_layers' and 'output_layers'; this one "
                         "has none (a Sequential config under the class name 'Functional'?). The file is damaged.")
    created, pending = {}, []
    for entry in config["layers"]:
        name = entry.get("name") or entry["config"].get("name")
        layer = deserialize_layer(entry, custom_objects, model_classes)
        created[name] = layer
        pending.append((layer, list(entry.get("inbound_nodes") or [])))

    def tensor(ref):
        layer_name, node_index, tensor_index = ref[:3]
        if layer_name not in created:
            raise ValueError(f"The config refers to layer {layer_name!r}, which it does not define.")
        nodes = created[layer_name].inbound_nodes
        return nodes[node_index].output_tensors[tensor_index] if node_index < len(nodes) else None

    progress = True
    while progress and any(nodes for _, nodes in pending):
        progress = False
        for layer, nodes in pending:
            while nodes:
                refs = nodes[0]
                refs = refs["args"] if isinstance(refs, dict) else refs
                inputs = [tensor(ref) for ref in refs]
                if any(t is None for t in inputs):
                    break
                kwargs = refs[0][3] if refs and len(refs[0]) > 3 and isinstance(refs[0][3], dict) else {}
                layer(inputs[0] if len(inputs) == 1 else inputs, **kwargs)
                nodes.pop(0)
                progress = True
    if any(nodes for _, nodes in pending):
        stuck = [layer.name for layer, nodes in pending if nodes]
        raise ValueError(f"Cannot rebuild the calls of layer(s) {stuck}: their inputs never become available. "
                         f"The config is damaged.")
    inputs = [tensor(ref) for ref in config["input_layers"]]
    outputs = [tensor(ref) for ref in config["output_layers"]]
    return model_class(inputs=inputs, outputs=outputs, name=config.get("name"))
