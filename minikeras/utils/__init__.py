"""Utilities (Keras ``keras.utils``): ``to_categorical``, ``normalize``, ``Progbar``, ``set_random_seed``,
``get_file``, ``Sequence``, ``HDF5Matrix``, ``plot_history`` and ``plot_model`` (matplotlib / pydot,
imported only when called), and Keras 2's other exports."""
from ..backend import set_seed as set_random_seed
from .data_utils import Sequence, get_file
from .enqueuers import GeneratorEnqueuer, OrderedEnqueuer, SequenceEnqueuer
from .generic_utils import (
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects, serialize_keras_object)
from .hdf5_matrix import HDF5Matrix
from .layer_utils import convert_all_kernels_in_model, get_source_inputs, print_summary
from .multi_gpu_utils import multi_gpu_model
from .np_utils import normalize, to_categorical
from .plot import plot_history
from .progbar import Progbar
from .vis_utils import plot_model

__all__ = ["to_categorical", "Progbar", "set_random_seed", "get_file", "Sequence", "plot_history", "plot_model",
           "CustomObjectScope", "custom_object_scope", "get_custom_objects", "GeneratorEnqueuer", "OrderedEnqueuer",
           "SequenceEnqueuer", "multi_gpu_model", "serialize_keras_object", "deserialize_keras_object", "HDF5Matrix",
           "convert_all_kernels_in_model", "get_source_inputs", "print_summary", "normalize"]
