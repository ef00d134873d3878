"""Model configs as JSON: ``{"class_name": "Sequential", "config": {"name": ..., "layers": [...]}}``.

Configs are *data*: loading one looks every class and function up by name in a visible table
(:data:`MODELS`, ``layers.LAYERS``, ``activations.ACTIVATIONS``, ...) or in ``custom_objects``.
Nothing is ever evaluated or unpickled, so a file cannot run code.

Configs written by Keras carry a few keys for features a minikeras layer may not have
(``kernel_constraint`` on a layer whose constructor lacks it, ``lora_rank``, ...). When they hold
their "off" value they are dropped; otherwise loading stops with an error naming the feature.
"""
import inspect
import json

import numpy as np

from .. import layers as layers_module
from ..utils import generic_utils

#: Model classes a config may name (``custom_objects`` may add subclasses); ``Functional`` is
#: tf_keras's class name for ``Model(inputs, outputs)``, ``Model`` Keras 2.2.4's. Filled by
#: :mod:`minikeras.models` through :func:`register_model_classes`, so saving never imports models.
MODELS = {}


def register_model_classes(classes):
    """Adds ``{class name: model class}`` to :data:`MODELS` (called by :mod:`minikeras.models`)."""
    MODELS.update(classes)
#: Keras layer-config keys minikeras does not implement, with the value meaning "not used".
UNSUPPORTED_LAYER_KEYS = {"activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
                          "lora_rank": None, "quantization_config": None, "beta_constraint": None,
                          "gamma_constraint": None, "alpha_constraint": None}
_FUNCTION_KEYS = ("activation",)
#: Config keys holding a nested layer config (TimeDistributed/Bidirectional ``layer``, RNN ``cell``).
_NESTED_LAYER_KEYS = ("layer", "backward_layer", "cell")
#: Keys Keras 3 adds to initializer configs; dropped when they hold None.
_KERAS3_NONE_KEYS = ("input_axes", "output_axes")


def _accepts(cls, key):
    """True if layer class ``cls`` implements the config key (its ``__init__`` takes it; every
    layer takes ``activity_regularizer``)."""
    return key == "activity_regularizer" or key in inspect.signature(cls.__init__).parameters


def json_default(obj):
    """``json.dumps`` helper: NumPy scalars/arrays and tuples become plain JSON values."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"Cannot write {obj!r} ({type(obj).__name__}) into a Keras config: configs may only "
                    f"hold numbers, strings, lists and dicts. Give your layer a get_config() that returns those.")


def to_json(obj, **kwargs):
    """Returns ``json.dumps(obj)`` with :func:`json_default`."""
    return json.dumps(obj, default=json_default, **kwargs)


def parse_json(text, what):
    """Parses a JSON string from a file or argument.

    Raises:
        ValueError: naming ``what`` when ``text`` is not valid JSON.
    """
    try:
        return json.loads(text)
    except (TypeError, json.JSONDecodeError, RecursionError) as e:  # RecursionError: absurdly deep nesting
        raise ValueError(f"The {what} is not valid JSON ({e}); the file is damaged or not a Keras file.") from e


def serialize_model(model):
    """Returns ``{'class_name': 'Sequential', 'config': model.get_config()}``, as tf_keras writes it.

    Like tf_keras, the layer list starts with an ``InputLayer`` named ``<first layer>_input`` when
    the first layer declares the input shape (Keras 3 needs it to see the right input shape);
    :func:`deserialize_model` drops that implied entry again.
    """
    config = model.get_config()
    layers = config.get("layers") or []
    if layers and layers[0]["class_name"] != "InputLayer" and layers[0]["config"].get("batch_input_shape"):
        first = layers[0]["config"]
        implied = {"batch_input_shape": first["batch_input_shape"], "dtype": first.get("dtype", "float32"),
                   "sparse": False, "ragged": False, "name": f"{first['name']}_input"}
        config = dict(config, layers=[{"class_name": "InputLayer", "config": implied}] + layers)
    name = type(model).__name__
    return {"class_name": "Functional" if name == "Model" else name, "config": config}


def _is_implied_input(layers):
    """True if ``layers`` starts with the InputLayer :func:`serialize_model` (or tf_keras) adds."""
    if len(layers) < 2 or not all(isinstance(layer, dict) for layer in layers[:2]) \
            or layers[0].get("class_name") != "InputLayer":
        return False
    given, first = layers[0].get("config") or {}, layers[1].get("config") or {}
    if not isinstance(given, dict) or not isinstance(first, dict):
        return False   # _clean_layer reports the damaged entry
    return given.get("name") == f"{first.get('name')}_input" and \
        first.get("batch_input_shape") is not None and given.get("batch_input_shape") == first["batch_input_shape"]


def check_custom_objects(custom_objects):
    """Returns ``custom_objects`` if it is None or a dict, else raises a TypeError saying what it must be."""
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"custom_objects must be a dict {{name: class or function}}, e.g. "
                        f"custom_objects={{'MyLayer': MyLayer}}; got {type(custom_objects).__name__}.")
    return custom_objects


def deserialize_model(model_config, custom_objects=None):
    """Creates a model (with new, random weights) from :func:`serialize_model`'s output.

    Accepts configs written here, by tf_keras 2.x and by Keras 2.2.4 (including the old form
    whose ``config`` is just the list of layers).

    Args:
        model_config: ``{'class_name': ..., 'config': ...}``.
        custom_objects: optional ``{name: class or function}`` for your own layers,
            activations and model subclasses.

    Raises:
        ValueError: for an unknown class name (pointing to ``custom_objects``), a model type
            minikeras lacks (functional models), or a layer config it cannot rebuild.
        TypeError: if ``custom_objects`` is not a dict.
    """
    custom_objects = dict(check_custom_objects(custom_objects) or {})
    if not isinstance(model_config, dict) or not isinstance(model_config.get("class_name"), str):
        raise ValueError("The model config must be a dict with 'class_name' and 'config' keys; "
                         f"got {str(model_config)[:200]!r}.")
    class_name = model_config["class_name"]
    cls = custom_objects.get(class_name) or MODELS.get(class_name)
    if cls is None:
        raise ValueError(f"Unknown model class {class_name!r}. If it is your own class, pass it with "
                         f"custom_objects={{{class_name!r}: YourClass}}.")
    config = model_config.get("config") or {}
    if isinstance(config, list):  # Keras 2.0/2.1 wrote the layer list only
        config = {"layers": config}
    if not isinstance(config, dict) or not isinstance(config.get("layers") or [], list):
        raise ValueError(f"The model config's 'config' must be a dict with a list of 'layers'; got "
                         f"{str(config)[:200]!r}. The file is damaged or not a Keras file.")
    config = _clean_model_config(config, cls, custom_objects)
    try:
        with generic_utils.custom_object_scope(custom_objects):   # also for layers nested in RNN, wrappers
            return cls.from_config(config, custom_objects=custom_objects)
    except (TypeError, ValueError, KeyError) as e:
        raise ValueError(f"Cannot rebuild the model from its config: {e} If a name above is your own "
                         f"layer, activation or initializer, pass it with custom_objects={{name: object}}.") from e


def _clean_model_config(config, cls, custom_objects):
    """Cleans every layer of a model config (nested models too); drops a Sequential's implied input."""
    layers = list(config.get("layers") or [])
    if "input_layers" not in config and _is_implied_input(layers):  # functional configs keep their inputs
        layers = layers[1:]
    return dict(config, layers=[_clean_layer(layer, custom_objects) for layer in layers])


def _clean_layer(layer_config, custom_objects):
    """Returns a layer config minikeras's ``from_config`` accepts (see the module docstring).

    Raises:
        ValueError: for an unknown layer class or a feature minikeras does not implement.
    """
    if not isinstance(layer_config, dict) or not isinstance(layer_config.get("class_name"), str) \
            or not isinstance(layer_config.get("config") or {}, dict):
        raise ValueError(f"A layer config must be a dict with 'class_name' and 'config'; got {layer_config!r}.")
    class_name = layer_config["class_name"]
    if class_name in MODELS and class_name not in (custom_objects or {}):  # a model used as a layer
        inner = layer_config.get("config") or {}
        if not isinstance(inner, dict) or not isinstance(inner.get("layers") or [], list):
            raise ValueError(f"The nested model config of {class_name!r} is damaged: {str(inner)[:200]!r}.")
        return dict(layer_config, config=_clean_model_config(inner, MODELS[class_name], custom_objects))
    cls = layers_module.get(class_name, custom_objects)  # raises for an unknown class, naming custom_objects
    config = dict(layer_config.get("config") or {})
    name = config.get("name", class_name)
    for key, off in UNSUPPORTED_LAYER_KEYS.items():
        if key in config and class_name not in custom_objects and not _accepts(cls, key):
            if config[key] != off:
                raise ValueError(f"Layer {name!r} ({class_name}) uses {key}={config[key]!r}, which minikeras "
                                 f"does not implement. Remove it in Keras before saving, or rebuild the model "
                                 f"here and use load_weights.")
            del config[key]
    for key in _NESTED_LAYER_KEYS:  # wrappers and RNN(cell) hold layer configs: clean those too
        nested = config.get(key)
        if isinstance(nested, dict) and nested.get("class_name") == "StackedRNNCells":   # RNN([cells])
            cells = (nested.get("config") or {}).get("cells") or []
            config[key] = dict(nested, config={"cells": [_clean_layer(c, custom_objects) for c in cells]})
        elif isinstance(nested, dict) and "class_name" in nested:
            config[key] = _clean_layer(nested, custom_objects)
    if isinstance(config.get("dtype"), dict):  # Keras 3's DTypePolicy
        config["dtype"] = (config["dtype"].get("config") or {}).get("name", "float32")
    if "batch_shape" in config and "batch_input_shape" not in config:  # Keras 3's InputLayer
        config["batch_input_shape"] = config.pop("batch_shape")
    for key, value in config.items():
        if isinstance(value, dict) and isinstance(value.get("config"), dict):  # initializers, regularizers
            inner = {k: v for k, v in value["config"].items() if not (k in _KERAS3_NONE_KEYS and v is None)}
            config[key] = dict(value, config=inner)
    for key in _FUNCTION_KEYS:
        if isinstance(config.get(key), str) and config[key] in custom_objects:
            config[key] = custom_objects[config[key]]
    return dict(layer_config, class_name=class_name, config=config)
