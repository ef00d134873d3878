"""Reading Keras's pickled dataset files without running arbitrary code.

A pickle is a small program: ``pickle.load`` imports and calls whatever the file names, so a
tampered download could run anything. Keras's CIFAR batches are pickled dictionaries, and its
``imdb.npz``/``reuters.npz`` hold *object* arrays (lists of ints), which ``np.load`` can only read
with ``allow_pickle=True``. minikeras reads both through :class:`RestrictedUnpickler`, which
allows exactly what these files contain — NumPy arrays and dtypes, lists, dicts, ints, strings,
bytes — and refuses every other class or function with an ``UnpicklingError`` naming it.

>>> import io, pickle
>>> import numpy as np
>>> load_pickle(io.BytesIO(pickle.dumps({'x': np.arange(3)})))['x'].tolist()
[0, 1, 2]
>>> load_pickle(io.BytesIO(pickle.dumps(print)))
Traceback (most recent call last):
...
_pickle.UnpicklingError: refusing to load builtins.print from a dataset file: only NumPy arrays, lists, dicts, numbers, strings and bytes are allowed.
"""
import codecs
import pickle
import zipfile

import numpy as np

#: The only globals a dataset pickle may name: how NumPy pickles arrays, dtypes and scalars, and how
#: Python 3 pickles bytes at protocol 2. Keys are ``(module, name)`` as written in the file.
_ARRAY_REBUILD = np.zeros(1).__reduce__()[0]
_SCALAR_REBUILD = np.float64(0).__reduce__()[0]
ALLOWED = {(module, name): obj
           for module in ("numpy.core.multiarray", "numpy._core.multiarray")
           for name, obj in (("_reconstruct", _ARRAY_REBUILD), ("scalar", _SCALAR_REBUILD))}
ALLOWED.update({("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype, ("_codecs", "encode"): codecs.encode})


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that resolves only the globals in ``ALLOWED``."""

    def find_class(self, module, name):
        """Returns the allowed object for ``module.name``; refuses everything else.

        Args:
            module: the module named in the file.
            name: the attribute named in the file.

        Raises:
            pickle.UnpicklingError: for any global outside ``ALLOWED``.
        """
        if (module, name) in ALLOWED:
            return ALLOWED[(module, name)]
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a dataset file: only NumPy arrays, "
                                     f"lists, dicts, numbers, strings and bytes are allowed.")


def load_pickle(fileobj, encoding="ASCII"):
    """Unpickles ``fileobj`` with :class:`RestrictedUnpickler`.

    Args:
        fileobj: a binary file object.
        encoding: how Python 2 strings are decoded (``'bytes'`` keeps them as bytes, as Keras's CIFAR reader).

    Returns:
        the unpickled object.
    """
    return RestrictedUnpickler(fileobj, encoding=encoding).load()


def _read_npy(fileobj):
    """One ``.npy`` member: plain arrays straight from the bytes, object arrays through the restricted unpickler."""
    version = np.lib.format.read_magic(fileobj)
    shape, fortran, dtype = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                             else np.lib.format.read_array_header_2_0)(fileobj)
    if dtype.hasobject:
        return load_pickle(fileobj, encoding="latin1")
    count = int(np.prod(shape, dtype=np.int64))
    data = np.frombuffer(fileobj.read(count * dtype.itemsize), dtype=dtype, count=count)
    return data.reshape(shape, order="F" if fortran else "C").copy()


def load_npz(path):
    """All arrays of an ``.npz`` file as a dict (object arrays allowed, arbitrary code refused).

    Args:
        path: the ``.npz`` file.

    Returns:
        dict ``{name: np.ndarray}``.

    Raises:
        pickle.UnpicklingError: when an object array names anything but NumPy arrays and Python data.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            with archive.open(member) as f:
                arrays[member[:-4] if member.endswith(".npy") else member] = _read_npy(f)
    return arrays


__all__ = ["RestrictedUnpickler", "load_pickle", "load_npz", "ALLOWED"]
