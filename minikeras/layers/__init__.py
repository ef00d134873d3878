"""Layers (Keras ``keras.layers``): each one's forward and backward pass side by side."""
from .base import Layer
from .core import Activation, Dense, Dropout, Flatten, Input, InputLayer
from .embeddings import Embedding
from .gru import GRU, GRUCell
from .lstm import LSTM, LSTMCell
from .masking import Masking
from .repeat_vector import RepeatVector
from .rnn_base import RNN
from .simple_rnn import SimpleRNN, SimpleRNNCell
from .wrappers import Bidirectional, TimeDistributed

#: Every layer class by its Keras class name: what configs and saved files refer to.
LAYERS = {cls.__name__: cls for cls in (Layer, Dense, Activation, Dropout, Flatten, InputLayer,
                                        Embedding, Masking, RNN, SimpleRNN, SimpleRNNCell, LSTM, LSTMCell,
                                        GRU, GRUCell, Bidirectional, TimeDistributed, RepeatVector)}


def get(class_name, custom_objects=None):
    """Returns the layer class called ``class_name``.

    Args:
        class_name: a Keras class name such as ``'Dense'``.
        custom_objects: optional dict of extra classes by name (checked first).

    Raises:
        ValueError: for an unknown name, pointing to ``custom_objects``.
    """
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    if class_name not in LAYERS:
        raise ValueError(f"Unknown layer: {class_name!r}. Known layers are {sorted(LAYERS)}; "
                         f"pass your own classes with custom_objects={{'{class_name}': cls}}.")
    return LAYERS[class_name]


def deserialize(config, custom_objects=None):
    """Creates a layer from ``{'class_name': ..., 'config': {...}}``."""
    return get(config["class_name"], custom_objects).from_config(dict(config["config"]))


def serialize(layer):
    """Returns ``{'class_name': ..., 'config': layer.get_config()}``."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


__all__ = ["Layer", "Dense", "Activation", "Dropout", "Flatten", "InputLayer", "Input",
           "Embedding", "Masking", "RNN", "SimpleRNN", "SimpleRNNCell", "LSTM", "LSTMCell", "GRU", "GRUCell",
           "Bidirectional", "TimeDistributed", "RepeatVector",
           "get", "serialize", "deserialize"]
