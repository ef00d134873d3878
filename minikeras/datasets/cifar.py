"""Reading one CIFAR batch file (Keras ``keras.datasets.cifar.load_batch``), without running pickled code.

The CIFAR "python version" files are pickled dictionaries written by Python 2:
``{b'data': uint8 array (n, 3072), b'labels': [...], ...}``. They are read with
:class:`~minikeras.datasets.safe_pickle.RestrictedUnpickler`, which builds NumPy arrays, lists, dicts,
ints and bytes and refuses anything else, so a tampered file cannot run code.
"""
import numpy as np

from .safe_pickle import load_pickle


def load_batch(fpath, label_key="labels"):
    """Reads a CIFAR batch: ``(images (n, 3, 32, 32) uint8, labels list)``.

    Args:
        fpath: the batch file (e.g. ``cifar-10-batches-py/data_batch_1``).
        label_key: ``'labels'`` (CIFAR-10), ``'fine_labels'`` or ``'coarse_labels'`` (CIFAR-100).

    Returns:
        ``(data, labels)``.

    Raises:
        pickle.UnpicklingError: when the file names anything but arrays and plain Python data.
    """
    with open(fpath, "rb") as f:
        stored = load_pickle(f, encoding="bytes")
    stored = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in stored.items()}
    data = np.asarray(stored["data"])
    return data.reshape(data.shape[0], 3, 32, 32), stored[label_key]


__all__ = ["load_batch"]
