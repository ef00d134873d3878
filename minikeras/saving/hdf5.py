"""Reading and writing Keras 2's legacy HDF5 layout with h5py (no model logic here).

The layout, as tf_keras 2.21 writes it (``model.save('m.h5')``)::

    /                          attrs: keras_version, backend, model_config (JSON), training_config (JSON)
    /model_weights             attrs: layer_names = ['dense', 'dropout', ...]  (every layer), backend, keras_version
    /model_weights/dense       attrs: weight_names = ['dense/kernel:0', 'dense/bias:0']  ([] if no weights)
    /model_weights/dense/dense/kernel:0    dataset (the weight name is a relative path: the name doubles)
    /model_weights/top_level_model_weights attrs: weight_names = []
    /optimizer_weights         attrs: weight_names = ['iteration:0', 'RMSprop/velocity/dense/kernel:0', ...]

``save_weights('w.h5')`` writes the ``/model_weights`` part at the file root. Keras 2.2.4 wrote
the same tree with *bytes* attributes where tf_keras writes *str*: readers here accept both.
"""
import contextlib
import os

import h5py
import numpy as np

#: The Keras version whose file layout minikeras writes (readers only test for ``'1'``).
KERAS_VERSION = "2.21.0"
#: The backend recorded in files written here.
BACKEND = "numpy"
#: HDF5 object headers hold at most 64 KiB; longer name lists are split (``layer_names0``, ...).
HDF5_OBJECT_HEADER_LIMIT = 64512


# --------------------------------------------------------------------------- attributes
def _text(value):
    """Returns ``value`` as ``str`` whether h5py gave ``str``, ``bytes`` or ``numpy.bytes_``."""
    return value.decode("utf8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def read_text(obj, name):
    """Returns the string attribute ``name`` of a file or group, or None if absent.

    Args:
        obj: an ``h5py.File`` or ``h5py.Group``.
        name: the attribute, e.g. ``'model_config'``.
    """
    if name not in obj.attrs:
        return None
    value = obj.attrs[name]
    if isinstance(value, np.ndarray):  # some writers store a 1-element array
        value = value.reshape(-1)[0] if value.size else ""
    return _text(value)


def read_names(obj, name):
    """Returns a list-of-strings attribute (``layer_names``, ``weight_names``), joining chunks.

    Keras splits a list longer than 64 KiB into ``<name>0``, ``<name>1``, ...; an empty list
    is stored as an empty float array. Missing -> ``[]``.
    """
    if name in obj.attrs:
        chunks = [obj.attrs[name]]
    else:
        chunks, i = [], 0
        while f"{name}{i}" in obj.attrs:
            chunks.append(obj.attrs[f"{name}{i}"])
            i += 1
    return [_text(n) for chunk in chunks for n in np.asarray(chunk).reshape(-1)]


def write_names(obj, name, names):
    """Stores a list of strings as tf_keras does (variable-length strings; chunked if long)."""
    data = [n.encode("utf8") for n in names]
    if not data:
        obj.attrs[name] = np.zeros((0,), dtype=np.float64)  # what h5py makes of Keras's []
        return
    chunks = 1
    while sum(len(d) for d in data) / chunks > HDF5_OBJECT_HEADER_LIMIT and chunks < len(data):
        chunks += 1
    if chunks == 1:
        obj.attrs[name] = data
    else:
        for i, part in enumerate(np.array_split(np.arange(len(data)), chunks)):
            obj.attrs[f"{name}{i}"] = [data[j] for j in part]


def write_stamp(obj):
    """Writes the ``backend`` and ``keras_version`` attributes."""
    obj.attrs["backend"] = BACKEND
    obj.attrs["keras_version"] = KERAS_VERSION


# --------------------------------------------------------------------------- weight groups
def write_weight_groups(group, layers):
    """Writes ``layer_names`` and one group per layer, as ``save_weights`` does.

    Args:
        group: the file root (weights file) or ``/model_weights`` (model file).
        layers: list of ``(layer_name, [(weight_name, array), ...])`` in model order.
    """
    write_names(group, "layer_names", [name for name, _ in layers])
    group.attrs["backend"] = BACKEND.encode("utf8")
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for layer_name, weights in sorted(layers, key=lambda item: item[0]):
        write_datasets(group.create_group(layer_name), weights)
    write_datasets(group.create_group("top_level_model_weights"), [])


def write_datasets(group, weights):
    """Writes ``weight_names`` and one dataset per ``(name, array)`` (the name is a path)."""
    write_names(group, "weight_names", [name for name, _ in weights])
    for name, value in weights:
        group.create_dataset(name, data=np.asarray(value))


def read_datasets(group):
    """Returns ``[(weight_name, dataset), ...]`` for a group with a ``weight_names`` attribute.

    The datasets are *not* read: callers compare their ``shape`` and ``dtype`` with the model
    first (a small file can declare a huge compressed dataset), then read them with
    ``dataset[()]`` while the file is open.

    Raises:
        ValueError: if a listed dataset is missing, is not a plain dataset of this file (see
            :func:`check_plain_dataset`), or is reached through an external link.
    """
    weights = []
    for name in read_names(group, "weight_names"):
        weights.append((name, member(group, name, dataset=True)))
    return weights


def member(group, name, dataset=False):
    """Returns ``group[name]`` after checking it is in this file: no external link (which would
    open another file); with ``dataset=True`` also a plain dataset (:func:`check_plain_dataset`).

    Raises:
        ValueError: naming the object and the problem.
    """
    link = group.get(name, getlink=True) if name in group or _is_link(group, name) else None
    if link is None:
        raise ValueError(f"The file lists {name!r} in {group.name!r}, but has no such dataset or group; the file is "
                         f"damaged or was not written by Keras.")
    if isinstance(link, h5py.ExternalLink):
        raise ValueError(f"{group.name}/{name} is an external link to {link.filename!r}: minikeras reads only "
                         f"data stored in the file itself. Nothing was loaded.")
    obj = group[name]
    if dataset:
        if not isinstance(obj, h5py.Dataset):
            raise ValueError(f"{obj.name!r} is not a dataset; the file is damaged or was not written by Keras.")
        check_plain_dataset(obj, repr(obj.name))
    return obj


def _is_link(group, name):
    try:
        return group.get(name, getlink=True) is not None
    except (KeyError, ValueError):
        return False


def check_plain_dataset(dataset, what):
    """Raises ValueError unless ``dataset`` is numbers stored in this file (no external storage,
    not virtual), so reading it reads this file only.

    Args:
        dataset: an ``h5py.Dataset``.
        what: how to name it in the message.
    """
    if dataset.is_virtual:
        raise ValueError(f"{what} is a virtual dataset (its data lives in other files); minikeras refuses it. "
                         f"Nothing was loaded.")
    if dataset.external:
        raise ValueError(f"{what} keeps its data in external files {[e[0] for e in dataset.external]}; minikeras "
                         f"refuses it. Nothing was loaded.")
    if dataset.dtype.kind not in "biuf":
        raise ValueError(f"{what} holds {dataset.dtype} data, not numbers. Nothing was loaded.")


def read_weight_groups(group):
    """Lists every layer's weights: returns ``[(layer_name, [(weight_name, dataset), ...]), ...]``
    (datasets not read yet, see :func:`read_datasets`).

    Raises:
        ValueError: if a layer listed in ``layer_names`` has no group.
    """
    layers = []
    for layer_name in read_names(group, "layer_names"):
        if layer_name not in group:
            raise ValueError(f"The file lists layer {layer_name!r} but has no group for it; "
                             f"the file is damaged or was not written by Keras.")
        layers.append((layer_name, read_datasets(member(group, layer_name))))
    return layers


# --------------------------------------------------------------------------- opening files
@contextlib.contextmanager
def open_for_reading(filepath):
    """Opens ``filepath`` read-only; turns h5py's low-level errors into clear ones.

    Raises:
        TypeError: if ``filepath`` is not a path.
        FileNotFoundError: if there is no such file.
        ValueError: if it is not an HDF5 file, or is truncated/corrupt (also when that is
            only found while reading inside the ``with`` block).
    """
    path = check_path(filepath)
    if os.path.isdir(path):
        raise ValueError(f"filepath={path!r} is a folder, not a file: give the path of the .h5 file in it.")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ValueError(f"filepath={path!r} is not a regular file (a FIFO, socket or device): give the path "
                         f"of an .h5 file.")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No file found at filepath={path!r}.")
    if not h5py.is_hdf5(path):
        raise ValueError(f"{path!r} is not an HDF5 file, so it cannot be a Keras .h5 model or weights file. "
                         f"(minikeras reads Keras 2's HDF5 files; Keras 3 '.keras' zips and TensorFlow "
                         f"SavedModel folders are not supported.)")
    try:
        with h5py.File(path, "r") as f:
            yield f
    except (OSError, RuntimeError, KeyError) as e:
        raise ValueError(f"Cannot read {path!r}: the HDF5 file is truncated or corrupt ({e}). "
                         f"Nothing was loaded.") from e


def check_path(filepath, argument="filepath"):
    """Returns ``filepath`` as a ``str`` path.

    Raises:
        TypeError: for anything that is not a ``str`` or ``os.PathLike``.
    """
    if isinstance(filepath, h5py.Group):   # Keras 2.2.4 also took an open h5py.File
        raise TypeError(f"minikeras has no saving or loading through an open h5py.File: {argument} must be a "
                        f"path (str or os.PathLike). Pass the file's name ({argument}=f.filename) and close it "
                        f"first, so that the write can be atomic.")
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"{argument} must be a path (str or os.PathLike), got {type(filepath).__name__}.")
    return os.fspath(filepath)
