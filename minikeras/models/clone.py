"""``clone_model``: the same architecture with new layers and fresh weights (Keras ``keras.models.clone_model``).

The clone is rebuilt from the model's config, so it shares no layer or weight with the original
(copy the weights with ``clone.set_weights(model.get_weights())`` when you want them).

>>> from minikeras.layers import Dense
>>> from minikeras.models import Sequential
>>> model = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
>>> clone = clone_model(model)
>>> clone.layers[0] is model.layers[0], [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
(False, True)
"""
from ..layers.node import KerasTensor
from . import graph_config
from .model import Model, model_classes
from .sequential import Sequential


def clone_model(model, input_tensors=None, clone_function=None):
    """Returns a new model with the architecture of ``model``: new layers, freshly initialized weights.

    Args:
        model: a ``Sequential`` or functional ``Model``.
        input_tensors: optional Keras tensor(s) from ``Input`` to build the clone on (one per model input).
            A ``Sequential`` clone starts with that input; a functional clone is the cloned model
            called on them (the result is a ``Model`` with those inputs).
        clone_function: optional function ``layer -> new layer`` (only for a ``Sequential``); default:
            ``layer.__class__.from_config(layer.get_config())``.

    Returns:
        The new model (not compiled).

    Raises:
        TypeError: for input tensors that are not Keras tensors (minikeras has no models built on
            backend variables), or a ``clone_function`` with a functional model.
    """
    tensors = None if input_tensors is None else (
        list(input_tensors) if isinstance(input_tensors, (list, tuple)) else [input_tensors])
    if tensors is not None and not all(isinstance(t, KerasTensor) for t in tensors):
        raise TypeError("clone_model(input_tensors=...) needs Keras tensors from keras.Input(...); minikeras has no "
                        "models built on backend variables or arrays. Clone without input_tensors and pass the "
                        "arrays to fit/predict instead.")
    if isinstance(model, Sequential):
        return _clone_sequential(model, tensors, clone_function)
    if clone_function is not None:
        raise TypeError("minikeras's clone_model takes a clone_function only for a Sequential model.")
    clone = graph_config.from_config(Model, model.get_config(), None, model_classes())
    if tensors is None:
        return clone
    outputs = clone(tensors if len(tensors) > 1 else tensors[0])
    return Model(tensors if len(tensors) > 1 else tensors[0], outputs, name=f"{model.name}_clone")


def _clone_sequential(model, tensors, clone_function):
    """A new Sequential: the same layer configs (or ``clone_function(layer)``), on ``tensors[0]`` if given."""
    config = model.get_config()
    if tensors is None and clone_function is None:
        return Sequential.from_config(config)
    clone = Sequential(name=model.name)
    if tensors is not None:
        clone.add(tensors[0])
    if clone_function is not None:
        layers = [clone_function(layer) for layer in model.layers]
    else:
        layers = [graph_config.deserialize_layer(entry, None, model_classes()) for entry in config["layers"]
                  if entry["class_name"] != "InputLayer"]
    for layer in layers:
        clone.add(layer)
    return clone
