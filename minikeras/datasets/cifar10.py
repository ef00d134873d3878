"""CIFAR-10: 50,000 + 10,000 colour images 32x32 of 10 classes (Keras ``keras.datasets.cifar10``).

Keras's own archive ``cifar-10-python.tar.gz`` (163 MB) from the CIFAR page, checked against
tf_keras's sha256, cached and extracted in ``~/.keras/datasets/cifar-10-batches-py/``; the pickled
batches are read without running code (:mod:`minikeras.datasets.cifar`). Offline
(:func:`minikeras.datasets.use_offline`), the images are generated: coloured objects of 10 classes.

Classes: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck.
"""
import os

import numpy as np

from . import image_standins, offline
from .cifar import load_batch
from .download import download_or_explain

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
DIRNAME = "cifar-10-batches-py"


def standin(train_size=50000, test_size=10000):
    """Generated CIFAR-10-shaped data (see :mod:`~minikeras.datasets.image_standins`).

    Args:
        train_size, test_size: numbers of images.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as :func:`load_data`.
    """
    (x_train, y_train), (x_test, y_test) = image_standins.train_and_test(train_size, test_size, num_classes=10,
                                                                         size=32, channels=3)
    return (x_train, y_train.astype(np.uint8)[:, None]), (x_test, y_test.astype(np.uint8)[:, None])


def load_data(cache_dir=None):
    """Loads CIFAR-10.

    Args:
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)`` (channels last), uint8 labels ``(50000, 1)`` and ``(10000, 1)`` in 0..9.

    Raises:
        OSError: when the archive cannot be downloaded (use ``use_offline(True)``).
        ValueError: when the download's sha256 is wrong.
    """
    if offline.is_offline():
        return standin(**offline.scaled_sizes(train_size=50000, test_size=10000))
    path = download_or_explain(DIRNAME, ORIGIN, FILE_HASH, cache_dir, "cifar10", untar=True)
    batches = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in batches]).astype(np.uint8)
    y_train = np.concatenate([np.asarray(y) for _, y in batches]).astype(np.uint8)
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    return ((x_train.transpose(0, 2, 3, 1), y_train.reshape(-1, 1)),
            (np.asarray(x_test, dtype=np.uint8).transpose(0, 2, 3, 1), np.asarray(y_test, np.uint8).reshape(-1, 1)))


__all__ = ["load_data", "standin", "ORIGIN", "FILE_HASH"]
