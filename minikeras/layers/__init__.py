"""Layers (Keras ``keras.layers``): each one's forward and backward pass side by side."""
from ..utils.generic_utils import custom_object
from .advanced_activations import ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU
from .base import Layer
from .convolutional import Conv1D, Conv2D, Convolution1D, Convolution2D
from .convolutional_transpose import Conv2DTranspose, Convolution2DTranspose, Deconv2D, Deconvolution2D
from .activity_regularization import ActivityRegularization
from .core import Activation, Dense, Dropout, Flatten
from .input_layer import Input, InputLayer
from .input_spec import InputSpec
from .embeddings import Embedding
from . import missing_layers
from .gru import GRU, GRUCell
from .lambda_layer import Lambda
from .lstm import LSTM, LSTMCell
from .masking import Masking
from .merge import Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum, multiply, \
    subtract
from .merge_axis import Concatenate, Dot, concatenate, dot
from .depthwise import DepthwiseConv2D, SeparableConv2D, SeparableConvolution2D
from .global_pooling import (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D,
    GlobalMaxPool2D, GlobalMaxPooling1D, GlobalMaxPooling2D)
from .noise import AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D
from .normalization import BatchNormalization, LayerNormalization
from .pooling import (
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D)
from .reshaping import Permute, RepeatVector, Reshape
from .rnn_base import RNN
from .simple_rnn import SimpleRNN, SimpleRNNCell
from .wrappers import Bidirectional, TimeDistributed, Wrapper
from .resizing import Cropping1D, Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D

_MERGE = (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot)
_SEQUENCE = (Embedding, Masking, RNN, SimpleRNN, SimpleRNNCell, LSTM, LSTMCell, GRU, GRUCell, Bidirectional,
             TimeDistributed)
_SPATIAL = (Conv1D, Conv2D, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D,
            GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, BatchNormalization, LayerNormalization,
            Reshape, Permute, RepeatVector, ZeroPadding1D, ZeroPadding2D, Cropping1D, Cropping2D, UpSampling1D,
            UpSampling2D, GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D, SpatialDropout2D,
            LeakyReLU, PReLU, ELU, ThresholdedReLU, ReLU, Softmax, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D)

#: Every layer class by its Keras class name: what configs and saved files refer to.
LAYERS = {cls.__name__: cls for cls in (Layer, Dense, Activation, Dropout, Flatten, InputLayer, Lambda,
                                        ActivityRegularization) + _MERGE + _SPATIAL + _SEQUENCE}


def get(class_name, custom_objects=None):
    """Returns the layer class called ``class_name``.

    Args:
        class_name: a Keras class name such as ``'Dense'``.
        custom_objects: optional dict of extra classes by name (checked first, then those of
            ``custom_object_scope``, which ``load_model`` opens for the layers nested in others).

    Raises:
        ValueError: for an unknown name, pointing to ``custom_objects``.
    """
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    registered = custom_object(class_name)
    if registered is not None:
        return registered
    if class_name not in LAYERS:
        raise ValueError(f"Unknown layer: {class_name!r}. Known layers are {sorted(LAYERS)}; "
                         f"pass your own classes with custom_objects={{'{class_name}': cls}}.")
    return LAYERS[class_name]


def deserialize(config, custom_objects=None):
    """Creates a layer from ``{'class_name': ..., 'config': {...}}``."""
    cls = get(config["class_name"], custom_objects)
    if cls is Lambda:  # its function comes from custom_objects, never from the file
        return cls.from_config(dict(config["config"]), custom_objects)
    return cls.from_config(dict(config["config"]))


def serialize(layer):
    """Returns ``{'class_name': ..., 'config': layer.get_config()}``."""
    return {"class_name": getattr(type(layer), "keras_class_name", type(layer).__name__), "config": layer.get_config()}


__all__ = ["Layer", "Dense", "Activation", "Dropout", "Flatten", "InputLayer", "Input", "Lambda",
           "ActivityRegularization", "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate",
           "dot",
           "get", "serialize", "deserialize"] + [cls.__name__ for cls in _MERGE + _SPATIAL + _SEQUENCE] + [
    "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D",
    "GlobalMaxPool2D", "InputSpec", "Convolution1D", "Convolution2D", "Convolution2DTranspose", "Deconv2D",
    "Deconvolution2D", "SeparableConvolution2D", "Wrapper"]


def __getattr__(name):
    """A Keras 2 layer minikeras lacks (``Conv3D``, ``ConvLSTM2D``, ...) imports as a class that says
    so when made, with what to use instead (:mod:`.missing_layers`)."""
    if name in missing_layers.MISSING:
        return missing_layers.MISSING[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
