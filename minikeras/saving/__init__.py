"""Saving and loading models in Keras 2's HDF5 format (files tf_keras opens, and opens here).

>>> import os, tempfile
>>> from minikeras.models import Sequential, load_model
>>> from minikeras.layers import Dense
>>> model = Sequential([Dense(2, input_dim=3)])
>>> model.compile(optimizer='rmsprop', loss='mse')
>>> path = os.path.join(tempfile.mkdtemp(), 'model.h5')
>>> model.save(path)
>>> (load_model(path).get_weights()[0] == model.get_weights()[0]).all()
np.True_

Every write goes to a temporary file in the same folder, renamed over ``filepath`` only when
complete (:mod:`minikeras.utils.io_utils`). Every read checks the whole file against the model
before changing any weight. The file layout is described in :mod:`minikeras.saving.hdf5` and in
``docs/saving.md``.
"""
import os
import warnings

import h5py
import numpy as np

from . import arguments, budget, config, hdf5, optimizer_state, training_config, weights
from ..utils import generic_utils
from ..utils.io_utils import atomic_path

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "model_to_json", "model_from_json",
           "model_from_config"]


def save_model(model, filepath, overwrite=True, include_optimizer=True, save_format=None, **kwargs):
    """Writes architecture, weights and (if compiled) the optimizer's config and state to HDF5.

    Args:
        model: a built model.
        filepath: where to write (any extension; Keras uses ``.h5``).
        overwrite: if False and the file exists: at an interactive terminal, ask as Keras does;
            otherwise raise ``FileExistsError``.
        include_optimizer: whether to save ``training_config`` and the optimizer's state.
        save_format: ``None``, ``'h5'`` or ``'hdf5'`` (minikeras writes nothing else).

    Raises:
        ValueError: if the model is not built, a layer has two weights of one name, the folder is not
            writable, or the format is not HDF5.
        FileExistsError: see ``overwrite``.
    """
    path = arguments.prepare_write(filepath, overwrite, save_format, kwargs)
    if path is None:
        return
    layers = weights.weights_to_save(model)
    model_json = config.to_json(config.serialize_model(model))
    compiled = include_optimizer and model.optimizer is not None
    train_json = config.to_json(training_config.serialize_training_config(model)) if compiled else None
    opt_weights = optimizer_state.state_to_file(model.optimizer, model) if compiled else []
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        hdf5.write_stamp(f)
        f.attrs["model_config"] = model_json.encode("utf8")
        if train_json is not None:
            f.attrs["training_config"] = train_json.encode("utf8")
        hdf5.write_weight_groups(f.create_group("model_weights"), layers)
        if opt_weights:
            hdf5.write_datasets(f.create_group("optimizer_weights"), opt_weights)


def load_model(filepath, custom_objects=None, compile=True, **kwargs):  # noqa: A002 - Keras's name
    """Rebuilds a model saved by :func:`save_model` here, by tf_keras or by Keras 2.

    Args:
        filepath: the ``.h5`` file.
        custom_objects: ``{name: class or function}`` for your own layers, activations, losses,
            metrics or optimizers named in the file.
        compile: if True and the file has a ``training_config``, compile the model and restore
            the optimizer's state (a warning, as in Keras, if that state does not fit).

    Returns:
        The model.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: for a file that is not HDF5, not a Keras model file, truncated, or does not
            match its own config; for an unknown class name (pointing to ``custom_objects``).
    """
    arguments.check_kwargs(kwargs)
    custom_objects = {**generic_utils.get_custom_objects(), **(config.check_custom_objects(custom_objects) or {})}
    with hdf5.open_for_reading(filepath) as f:
        text = hdf5.read_text(f, "model_config")
        if text is None:
            hint = " It looks like a weights file: build the model and call load_weights." \
                if _has_layer_names(f) else ""
            raise ValueError(f"{os.fspath(filepath)!r} has no model_config: it was not written by model.save()."
                             f"{hint}")
        if "model_weights" not in f:
            raise ValueError(f"{os.fspath(filepath)!r} has a model_config but no 'model_weights' group: the file "
                             f"is damaged. models.model_from_json(...) can rebuild the architecture alone.")
        model_config = config.parse_json(text, "model_config attribute")
        saved_layers = hdf5.read_weight_groups(hdf5.member(f, "model_weights"))
        train_text = hdf5.read_text(f, "training_config")
        saved_opt = hdf5.read_datasets(hdf5.member(f, "optimizer_weights")) \
            if compile and "optimizer_weights" in f else []
        if isinstance(model_config, dict) and isinstance(model_config.get("config"), (dict, list)):
            layers = model_config["config"]
            budget.check_config_size(layers.get("layers") if isinstance(layers, dict) else layers,
                                     repr(os.fspath(filepath)))
        try:
            model = config.deserialize_model(model_config, custom_objects)
        except MemoryError:
            raise ValueError(f"The model_config of {os.fspath(filepath)!r} describes a model too large for this "
                             f"machine's memory; nothing was loaded.") from None
        if model.built:    # shapes checked against the model before any data is read
            plan = weights.read_plan(weights.plan_by_order(model, saved_layers))
        elif any(w for _, w in saved_layers):
            raise ValueError("The saved model config has no input shape, so its weights cannot be placed.")
        else:
            plan = []
        allowed = {()} | {np.shape(w) for w in model.trainable_weights}
        opt_fits = all(value.shape in allowed for _, value in saved_opt)   # no slot bigger than a weight
        saved_opt = [(name, value[()]) for name, value in saved_opt] if opt_fits else None
    weights.apply_plan(plan)
    if not compile:
        return model
    if train_text is None:
        warnings.warn("No training configuration found in the save file, so the model was *not* compiled. "
                      "Compile it manually.", stacklevel=3)
        return model
    model.compile(**training_config.compile_args(config.parse_json(train_text, "training_config attribute"),
                                                 custom_objects))
    if saved_opt is None:
        warnings.warn("Error in loading the saved optimizer state (a dataset's shape fits no weight of the model). "
                      "As a result, your model is starting with a freshly initialized optimizer.", stacklevel=3)
    elif saved_opt:
        reason = optimizer_state.state_from_file(model.optimizer, model, saved_opt)
        if reason:
            warnings.warn(f"Error in loading the saved optimizer state ({reason}). As a result, your model is "
                          f"starting with a freshly initialized optimizer.", stacklevel=3)
    return model


def save_weights(model, filepath, overwrite=True, save_format=None, **kwargs):
    """Writes the weights in Keras 2's HDF5 weights layout (``layer_names`` at the file root).

    Args:
        model: a built model.
        filepath: where to write (Keras uses ``.h5``).
        overwrite: as :func:`save_model`.
        save_format: ``None``, ``'h5'`` or ``'hdf5'``.

    Raises:
        ValueError: if the model is not built, a layer has two weights of one name, the folder is not
            writable, or the format is not HDF5.
        FileExistsError: if the file exists, ``overwrite=False`` and there is no terminal to ask at.
    """
    path = arguments.prepare_write(filepath, overwrite, save_format, kwargs)
    if path is None:
        return
    layers = weights.weights_to_save(model)
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        hdf5.write_weight_groups(f, layers)


def load_weights(model, filepath, by_name=False, skip_mismatch=False, **kwargs):
    """Loads weights from a weights file or a model file, checking everything before setting any.

    Args:
        model: a built model.
        filepath: a file from ``save_weights`` or ``save`` (here, tf_keras or Keras 2).
        by_name: match layers by name (missing ones skipped) instead of by order.
        skip_mismatch: with ``by_name``, skip weights whose count or shape differs (with a warning).

    Raises:
        ValueError: for a mismatch (nothing is loaded), ``skip_mismatch`` without ``by_name``, or a
            file that is not a Keras weights file.
    """
    arguments.check_kwargs(kwargs)
    if skip_mismatch and not by_name:
        raise ValueError("skip_mismatch=True only works with by_name=True (as in Keras).")
    with hdf5.open_for_reading(filepath) as f:
        group = f if _has_layer_names(f) or "model_weights" not in f else f["model_weights"]
        if not _has_layer_names(group):
            keras3 = " It looks like a Keras 3 '.weights.h5' file, which minikeras cannot read." \
                if "layers" in group and "vars" in group else ""
            raise ValueError(f"{os.fspath(filepath)!r} is an HDF5 file but not a Keras 2 weights or model file "
                             f"(no 'layer_names').{keras3}")
        saved_layers = hdf5.read_weight_groups(group)
        top = hdf5.read_datasets(group["top_level_model_weights"]) if "top_level_model_weights" in group else []
        if top and not skip_mismatch:
            raise ValueError(f"The file has {len(top)} model-level weights; a Sequential model has none. Nothing "
                             f"was loaded.")
        plan = weights.plan_by_name(model, saved_layers, skip_mismatch) if by_name \
            else weights.plan_by_order(model, saved_layers)
        plan = weights.read_plan(plan)      # shapes checked: now the data is read
    weights.apply_plan(plan)


def model_to_json(model, **kwargs):
    """Returns the architecture as JSON, as tf_keras's ``to_json`` (``kwargs`` go to ``json.dumps``)."""
    return config.to_json(dict(config.serialize_model(model), keras_version=hdf5.KERAS_VERSION,
                               backend=hdf5.BACKEND), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Builds a model with new weights from :func:`model_to_json`'s output (or Keras's).

    Raises:
        ValueError: for invalid JSON or an unknown class name (pointing to ``custom_objects``).
    """
    return config.deserialize_model(config.parse_json(json_string, "JSON string"), custom_objects)


def model_from_config(model_config, custom_objects=None):
    """Builds a model with new weights from ``model.get_config()`` wrapped as Keras stores it,
    ``{'class_name': 'Sequential', 'config': {...}}`` (Keras ``keras.models.model_from_config``).

    Raises:
        ValueError: for a config that is not such a dict, or an unknown class name.
        TypeError: if ``custom_objects`` is not a dict.
    """
    if isinstance(model_config, list):
        raise TypeError("model_from_config expects a model config dict {'class_name': ..., 'config': ...}; "
                        "got a list (for a list of layers, use Sequential.from_config).")
    return config.deserialize_model(model_config, custom_objects)


def _has_layer_names(group):
    return "layer_names" in group.attrs or "layer_names0" in group.attrs
