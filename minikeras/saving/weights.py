"""Matching a file's weights to a model's layers, checked completely *before* anything is set.

Loading is two steps: :func:`plan_by_order` / :func:`plan_by_name` compare the file with the
model and return a list of ``(target array, value)`` pairs, raising ``ValueError`` on the first
mismatch; only then does :func:`apply_plan` copy the values in. So a bad file never leaves a
half-loaded model.

Keras's two matching rules (``model.load_weights``):

* ``by_name=False`` (topological): the layers *that have weights*, in order, must pair up one to
  one with the file's layers that have weights (names are ignored).
* ``by_name=True``: each file layer goes to the model layer of the same name; layers without
  a partner are skipped. With ``skip_mismatch=True`` a weight of the wrong count or shape is
  skipped with a warning instead of raising.
"""
import warnings

import numpy as np


def layer_weights(layer):
    """Returns ``[(weight_name, array), ...]`` in Keras's saving order: trainable weights first,
    then the others (``'dense/kernel:0'``, ``'dense/bias:0'`` for Dense)."""
    named = list(zip(layer.weight_names, layer.weights))
    trainable = {id(w) for w in layer.trainable_weights}
    return [p for p in named if id(p[1]) in trainable] + [p for p in named if id(p[1]) not in trainable]


def model_weights(model):
    """Returns ``[(layer_name, layer_weights(layer)), ...]`` for every layer of ``model``.

    Raises:
        ValueError: if the model is not built (its weights do not exist yet).
    """
    if not model.layers or not model.built:
        raise ValueError(f"Model {model.name!r} has no weights yet: build it first (give the first layer "
                         f"input_dim=/input_shape=, or call fit/predict once).")
    return [(layer.name, layer_weights(layer)) for layer in model.layers]


def weights_to_save(model):
    """:func:`model_weights`, checked for saving: a file holds each weight under its name.

    Raises:
        ValueError: if the model is not built, or if two weights of one layer share a name (a
            custom layer's ``add_weight`` calls without ``name=`` are all ``'Variable'``).
    """
    layers = model_weights(model)
    for layer_name, named in layers:
        names = [name for name, _ in named]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"Layer {layer_name!r} has several weights named {twice[0]!r}, and a saved file "
                             f"keeps weights by name: give each add_weight call of the layer its own name=.")
    return layers


def trainable_weight_names(model):
    """Returns the names of ``model.trainable_weights``, in the same order (the optimizer's order)."""
    names = {id(w): n for layer in model.layers for n, w in zip(layer.weight_names, layer.weights)}
    return [names[id(w)] for w in model.trainable_weights]


def _problem(target, value):
    """Returns why ``value`` (an array or an unread ``h5py.Dataset``) cannot go into ``target``
    (shape or type), or None. Only ``shape`` and ``dtype`` are looked at: nothing is read."""
    if value.dtype.kind not in "biuf":
        return f"the file holds {value.dtype} data, not numbers"
    if value.shape != target.shape:
        return f"the model has shape {target.shape}, the file has {value.shape}"
    return None


def _check_layer(layer, targets, saved):
    for (name, target), (saved_name, value) in zip(targets, saved):
        problem = _problem(target, value)
        if problem:
            raise ValueError(f"Cannot load weight {name!r} of layer {layer.name!r} from the file's {saved_name!r}: "
                             f"{problem}. Nothing was loaded. Build the model with the same layer sizes as "
                             f"the saved one.")


def plan_by_order(model, saved_layers):
    """Pairs the model's layers with weights and the file's, in order (Keras's default).

    Args:
        model: a built model.
        saved_layers: ``[(layer_name, [(weight_name, array), ...]), ...]`` from the file.

    Returns:
        list of ``(target_array, value)``.

    Raises:
        ValueError: if the number of layers with weights, a layer's number of weights, or a
            shape differs.
    """
    model_weights(model)  # raises if unbuilt
    layers = [layer for layer in model.layers if layer.weights]
    saved = [(name, weights) for name, weights in saved_layers if weights]
    if len(saved) != len(layers):
        raise ValueError(f"The file has {len(saved)} layers with weights ({[n for n, _ in saved]}) but the model "
                         f"has {len(layers)} ({[layer.name for layer in layers]}). Nothing was loaded. "
                         f"Use the same architecture, or load_weights(..., by_name=True).")
    plan = []
    for layer, (saved_name, values) in zip(layers, saved):
        targets = layer_weights(layer)
        if len(values) != len(targets):
            raise ValueError(f"Layer {layer.name!r} has {len(targets)} weights but the file's layer {saved_name!r} "
                             f"has {len(values)}. Nothing was loaded.")
        _check_layer(layer, targets, values)
        plan.extend((target, value) for (_, target), (_, value) in zip(targets, values))
    return plan


def plan_by_name(model, saved_layers, skip_mismatch=False):
    """Pairs file layers with model layers of the same name (``load_weights(by_name=True)``).

    Returns:
        list of ``(target_array, value)``.

    Raises:
        ValueError: for a count or shape mismatch, unless ``skip_mismatch`` (then it warns).
    """
    by_name = {layer.name: layer for layer in model.layers}
    model_weights(model)  # raises if unbuilt
    plan = []
    for saved_name, values in saved_layers:
        layer = by_name.get(saved_name)
        if layer is None:
            continue
        targets = layer_weights(layer)
        if len(values) != len(targets):
            message = (f"Layer {layer.name!r} has {len(targets)} weights but the file has {len(values)} "
                       f"for it.")
            if skip_mismatch:
                warnings.warn(f"Skipping loading of weights for layer {layer.name!r}: {message}", stacklevel=4)
                continue
            raise ValueError(f"{message} Nothing was loaded. Pass skip_mismatch=True to skip such layers.")
        for (name, target), (saved_weight, value) in zip(targets, values):
            problem = _problem(target, value)
            if problem is None:
                plan.append((target, value))
            elif skip_mismatch:
                warnings.warn(f"Skipping loading weight {name!r}: {problem}.", stacklevel=4)
            else:
                _check_layer(layer, [(name, target)], [(saved_weight, value)])
    return plan


def read_plan(plan):
    """Reads the planned values (``h5py`` datasets, shapes already checked) into memory.

    Returns:
        the plan with arrays: ``[(target, array), ...]``.
    """
    return [(target, np.asarray(value[()] if hasattr(value, "id") else value)) for target, value in plan]


def apply_plan(plan):
    """Copies each value into its target array in place (cast to the target's dtype)."""
    for target, value in read_plan(plan):
        target[...] = np.asarray(value, dtype=target.dtype)
