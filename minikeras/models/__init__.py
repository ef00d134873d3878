"""Models (Keras ``keras.models``): ``Sequential`` and the training loops."""
from .. import backend
from ..saving.config import register_model_classes
from . import function
from .clone import clone_model
from .model import Model, model_classes
from .sequential import Sequential

register_model_classes(model_classes())  # saving looks model classes up here, never imports models
backend.register_evaluator(function.evaluator)  # K.function([model.input], [layer.output])



def load_model(filepath, custom_objects=None, compile=True, **kwargs):  # noqa: A002 - Keras's name
    """Loads a model saved with ``model.save`` (here or by Keras); see :mod:`minikeras.saving`."""
    from .. import saving
    return saving.load_model(filepath, custom_objects=custom_objects, compile=compile, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Builds a model (fresh weights) from ``model.to_json()``; see :mod:`minikeras.saving`."""
    from .. import saving
    return saving.model_from_json(json_string, custom_objects=custom_objects)


def model_from_config(config, custom_objects=None):
    """Builds a model (fresh weights) from ``{'class_name': ..., 'config': model.get_config()}``;
    see :mod:`minikeras.saving`."""
    from .. import saving
    return saving.model_from_config(config, custom_objects=custom_objects)


def model_from_yaml(yaml_string, custom_objects=None):
    """Removed, as in tf_keras: YAML configs could run arbitrary code. Use :func:`model_from_json`.

    Raises:
        RuntimeError: always (tf_keras's error and message).
    """
    raise RuntimeError("Method `model_from_yaml()` has been removed due to security risk of arbitrary code "
                       "execution. Please use `Model.to_json()` and `model_from_json()` instead.")


__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_config", "model_from_json",
           "model_from_yaml"]
