"""The backup file of :class:`~minikeras.callbacks.BackupAndRestore`: everything a resumed ``fit`` needs.

One HDF5 file, ``<backup_dir>/training_state.h5`` (tf_keras keeps a TensorFlow checkpoint in
``<backup_dir>/chief/`` instead)::

    /                       attrs: state = JSON text (below)
    /model_weights/0, 1...  model.get_weights(), in order
    /optimizer_weights/0... optimizer.get_weights(): [iterations, *slots]
    /callback_arrays/0...   the NumPy arrays of callbacks' states (EarlyStopping's best weights)

    state = {"format": "minikeras.BackupAndRestore/1",
             "epoch": 3, "step": 0,           # resume at batch `step` of epoch `epoch`
             "learning_rate": 0.0009,         # callbacks may have changed it
             "means": {...},                  # the epoch's running means so far (mid-epoch only)
             "epoch_start_rng": {...},        # backend.rng() at the epoch's start (mid-epoch only)
             "random": {"backend": ..., "layers": {...}, "numpy": ..., "python": ...},
             "callbacks": [{"class": "EarlyStopping", "index": 0, "state": {...}}, ...]}

In a callback's state a NumPy array (or a list of them) is stored as a dataset of
``/callback_arrays`` and written in the JSON as ``{"__dataset__": "3"}``.

Reading checks the whole file before anything is applied: every dataset's dtype and declared
shape against the model and optimizer (before its data is read: no memory bomb), no external
storage, links or virtual datasets, and every entry of the state.

The state is data only (numbers, strings, lists; NumPy arrays as ``{"__array__": [...], "dtype": "<u4"}``):
reading a file never unpickles or evaluates anything. Files are written atomically (a temporary
file renamed over the old one), so a kill during a backup leaves the previous backup whole.
"""
import json
import random

import h5py
import numpy as np

from .. import backend
from ..utils.io_utils import atomic_path
from ..saving.hdf5 import check_plain_dataset, open_for_reading

#: The one file BackupAndRestore keeps in ``backup_dir``.
STATE_FILE = "training_state.h5"
FORMAT = "minikeras.BackupAndRestore/1"


def write(path, model, epoch, step, epoch_start_rng, callback_states=()):
    """Writes the state of ``model`` (weights, optimizer, generators) and of the callbacks
    (``[{'class', 'index', 'state'}]``) to resume at batch ``step`` of ``epoch``."""
    arrays = []
    state = {"format": FORMAT, "epoch": epoch, "step": step,
             "learning_rate": float(model.optimizer.learning_rate.numpy()),
             "means": model.running_means_state() if step else {},
             "epoch_start_rng": epoch_start_rng if step else None,
             "random": random_states(model),
             "callbacks": [dict(entry, state=_to_datasets(entry["state"], arrays)) for entry in callback_states]}
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["state"] = json.dumps(_encode(state))
        for name, group_arrays in (("model_weights", model.get_weights()),
                                   ("optimizer_weights", model.optimizer.get_weights()),
                                   ("callback_arrays", arrays)):
            group = f.create_group(name)
            for i, array in enumerate(group_arrays):
                group.create_dataset(str(i), data=np.asarray(array))


def read(path, model, optimizer):
    """Returns ``(state, model_weights, optimizer_weights)`` from a backup, every part checked
    against ``model`` and ``optimizer`` before anything is read into memory or applied.

    Raises:
        ValueError: if the file is not a backup, or a damaged one, or one of another model
            (nothing is changed).
    """
    weight_shapes = [np.shape(w) for w in model.get_weights()]
    slots = [np.shape(w) for w in optimizer.get_weights()[1:]] or \
        [np.shape(w) for _ in optimizer.slot_names() for w in model.trainable_weights]
    with open_for_reading(path) as f:
        try:
            state = _decode(json.loads(f.attrs["state"]))
        except (KeyError, TypeError, ValueError, OSError):
            state = None
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"{path!r} is not a BackupAndRestore backup; backup_dir must hold only the backup. "
                             f"Delete the file or choose another backup_dir.")
        groups = {name: f.get(name) for name in ("model_weights", "optimizer_weights", "callback_arrays")}
        if not all(isinstance(g, h5py.Group) for g in groups.values()):
            raise _damaged(path, "a group is missing")
        saved = [_shape_of(groups["model_weights"], i, path) for i in range(len(groups["model_weights"]))]
        if saved != weight_shapes:
            raise ValueError(f"The backup {path!r} was written for another model (weight shapes {saved}, this "
                             f"model has {weight_shapes}). Delete it to start over, or use another backup_dir.")
        opt_saved = [_shape_of(groups["optimizer_weights"], i, path) for i in range(len(groups["optimizer_weights"]))]
        if opt_saved[:1] != [()] or opt_saved[1:] not in ([], slots):
            raise ValueError(f"The backup {path!r} holds the state of another optimizer (shapes {opt_saved}, this "
                             f"one needs {[()] + slots}). Delete it to start over, or use another backup_dir.")
        budget = 2 * sum(int(np.prod(s)) for s in weight_shapes) + 1024   # callbacks: a few copies of the weights
        extra = [_shape_of(groups["callback_arrays"], i, path) for i in range(len(groups["callback_arrays"]))]
        if sum(int(np.prod(s)) for s in extra) > budget:
            raise _damaged(path, f"its callback arrays hold more than {budget} numbers")
        arrays = [[np.asarray(groups[name][str(i)][()]) for i in range(len(groups[name]))] for name in groups]
    _check(state, path, len(model.layers))
    state["callbacks"] = _callback_entries(state["callbacks"], arrays[2], path)
    return state, arrays[0], arrays[1]


def _damaged(path, reason):
    return ValueError(f"The backup {path!r} is damaged ({reason}). Delete it to start over.")


def _shape_of(group, i, path):
    """The shape of dataset ``group[str(i)]``, checked to be a plain numeric dataset (nothing read)."""
    dataset = group.get(str(i))
    if not isinstance(dataset, h5py.Dataset) or dataset.dtype.kind not in "biuf":
        raise _damaged(path, f"{group.name}/{i} is not a dataset of numbers")
    check_plain_dataset(dataset, f"{path!r} {group.name}/{i}")
    return dataset.shape


def _callback_entries(entries, arrays, path):
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("class"), str) and isinstance(e.get("index"), int)
            and not isinstance(e.get("index"), bool) and e["index"] >= 0 and "state" in e for e in entries):
        raise _damaged(path, "its callback states are malformed")
    try:
        return [dict(e, state=_from_datasets(e["state"], arrays)) for e in entries]
    except (IndexError, KeyError, TypeError, ValueError) as e:
        raise _damaged(path, f"a callback state names a missing array: {e}") from e


def _check(state, path, n_layers):
    """Tries every part of ``state`` on throwaway objects: a damaged file fails here, before any change."""
    try:
        for key in ("epoch", "step"):
            if isinstance(state[key], bool) or not isinstance(state[key], int) or state[key] < 0:
                raise ValueError(f"{key} must be an int >= 0, got {state[key]!r}")
        epoch, step, rate = state["epoch"], state["step"], state["learning_rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not np.isfinite(rate) or rate < 0:
            raise ValueError(f"learning_rate must be a finite number >= 0, got {rate!r}")
        counts = [int(count) + 0 * float(total) for total, count in state["means"].values()]
        states = state["random"]
        generators = [states["backend"], *states["layers"].values()] + [state["epoch_start_rng"]] * (step > 0)
        for generator_state in generators:
            type(backend.rng().bit_generator)().state = generator_state
        if any(not (key.isdigit() and int(key) < n_layers) for key in states["layers"]):
            raise ValueError(f"layer numbers {sorted(states['layers'])} do not fit a model of {n_layers} layers")
        np.random.RandomState().set_state(states["numpy"])
        random.Random().setstate((states["python"][0], tuple(states["python"][1]), states["python"][2]))
        if min([epoch, step] + counts) < 0:
            raise ValueError(f"a negative epoch, step or count ({epoch}, {step}, {counts})")
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise ValueError(f"The backup {path!r} is damaged ({type(e).__name__}: {e}). Delete it to start over.") from e


def random_states(model):
    """Every generator a training step draws from: the global ones and layers' own (seeded) ones."""
    layers = {str(i): layer.rng.bit_generator.state for i, layer in enumerate(model.layers)
              if getattr(layer, "rng", None) is not None and layer.rng is not backend.rng()}
    return {"backend": backend.rng().bit_generator.state, "layers": layers,
            "numpy": np.random.get_state(legacy=False), "python": random.getstate()}


def set_random_states(model, states):
    """Puts every generator back in the state :func:`random_states` recorded (in place)."""
    backend.rng().bit_generator.state = states["backend"]
    for i, layer_state in states["layers"].items():
        layer = model.layers[int(i)]
        if getattr(layer, "rng", None) is None:   # not used yet in this process: give it its generator
            layer.rng = np.random.default_rng()
        layer.rng.bit_generator.state = layer_state
    np.random.set_state(states["numpy"])
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))


def _to_datasets(obj, arrays):
    """Copy of a callback state with each NumPy array replaced by ``{'__dataset__': n}`` (appended to ``arrays``)."""
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        arrays.append(obj)
        return {"__dataset__": str(len(arrays) - 1)}
    if isinstance(obj, dict):
        return {str(k): _to_datasets(v, arrays) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_to_datasets(v, arrays) for v in obj]
    return obj


def _from_datasets(obj, arrays):
    if isinstance(obj, dict):
        if set(obj) == {"__dataset__"}:
            return arrays[int(obj["__dataset__"])]
        return {k: _from_datasets(v, arrays) for k, v in obj.items()}
    return [_from_datasets(v, arrays) for v in obj] if isinstance(obj, list) else obj


def _encode(obj):
    """JSON-ready copy: NumPy arrays become ``{'__array__': list, 'dtype': name}``."""
    if isinstance(obj, np.ndarray):
        return {"__array__": obj.tolist(), "dtype": obj.dtype.str}
    if isinstance(obj, dict):
        return {str(k): _encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    return obj.item() if isinstance(obj, np.generic) else obj


def _decode(obj):
    if isinstance(obj, dict):
        if set(obj) == {"__array__", "dtype"}:
            return np.array(obj["__array__"], dtype=np.dtype(obj["dtype"]))
        return {k: _decode(v) for k, v in obj.items()}
    return [_decode(v) for v in obj] if isinstance(obj, list) else obj
