"""Utilities (Keras ``keras.utils``): ``to_categorical``, ``Progbar``, ``set_random_seed``, ``get_file``,
``Sequence``, ``plot_history`` and ``plot_model`` (matplotlib / pydot, imported only when called)."""
from ..backend import set_seed as set_random_seed
from .data_utils import Sequence, get_file
from .enqueuers import GeneratorEnqueuer, OrderedEnqueuer, SequenceEnqueuer
from .generic_utils import CustomObjectScope, custom_object_scope, get_custom_objects
from .multi_gpu_utils import multi_gpu_model
from .np_utils import to_categorical
from .plot import plot_history
from .progbar import Progbar
from .vis_utils import plot_model

__all__ = ["to_categorical", "Progbar", "set_random_seed", "get_file", "Sequence", "plot_history", "plot_model",
           "CustomObjectScope", "custom_object_scope", "get_custom_objects", "GeneratorEnqueuer", "OrderedEnqueuer",
           "SequenceEnqueuer", "multi_gpu_model"]
