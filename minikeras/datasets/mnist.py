"""MNIST handwritten digits, downloaded once into Keras's cache (Keras ``keras.datasets.mnist``).

The file is Keras's own ``mnist.npz`` (11 MB) from Keras's URL, checked against Keras's sha256,
and cached in ``~/.keras/datasets/`` (or ``$KERAS_HOME/datasets/``): if Keras already downloaded
it, it is reused. Without internet, ``minikeras.datasets.use_offline(True)`` makes it return
:func:`minikeras.datasets.digits.load_data`: generated digits of the same shapes.
"""
import numpy as np

from ..utils.data_utils import get_file
from . import digits, offline
from .download import offline_hint

#: Where Keras downloads MNIST from, and the sha256 of that file (both as in tf_keras 2.21).
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz", cache_dir=None):
    """Loads MNIST: 60,000 training and 10,000 test images of 28x28 grey pixels, labels 0-9.

    Args:
        path: file name in the cache folder (an absolute path is used as it is).
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras`` (then ``datasets/``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes ``(60000, 28, 28)``,
        ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``; pixels 0..255, labels 0..9.

    Raises:
        OSError: when the file is not cached and cannot be downloaded (offline).
        ValueError: when the downloaded file's sha256 is wrong (a corrupted download).
    """
    if offline.is_offline():
        return digits.load_data(**offline.scaled_sizes(train_size=60000, test_size=10000))
    try:
        path = get_file(path, origin=ORIGIN, file_hash=FILE_HASH, cache_dir=cache_dir)
    except OSError as e:
        raise OSError(f"{e} {offline_hint('mnist')} (Those are minikeras.datasets.digits.load_data(): "
                      f"generated MNIST-shaped digits.)") from e
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


__all__ = ["load_data", "ORIGIN", "FILE_HASH"]
