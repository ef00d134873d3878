"""Fashion-MNIST: 60,000 + 10,000 grey 28x28 images of clothes, 10 classes (Keras ``keras.datasets.fashion_mnist``).

Keras's four gzipped IDX files from Keras's URL, cached in ``~/.keras/datasets/fashion-mnist/``
(Keras gives no hash for them). Offline (:func:`minikeras.datasets.use_offline`), the images are
generated: 10 light object shapes on black, shifted, flipped and noisy.

Classes: 0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot.
"""
import gzip

import numpy as np

from . import image_standins, offline
from .download import download_or_explain

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz")
CACHE_SUBDIR = "datasets/fashion-mnist"


def standin(train_size=60000, test_size=10000):
    """Generated Fashion-MNIST-shaped data (see :mod:`~minikeras.datasets.image_standins`).

    Args:
        train_size, test_size: numbers of images.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as :func:`load_data`.
    """
    (x_train, y_train), (x_test, y_test) = image_standins.train_and_test(train_size, test_size,
                                                                         num_classes=10, size=28, channels=1,
                                                                         dark_background=True)
    return (x_train[..., 0], y_train.astype(np.uint8)), (x_test[..., 0], y_test.astype(np.uint8))


def _read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data(cache_dir=None):
    """Loads Fashion-MNIST.

    Args:
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` and ``(10000, 28, 28)``,
        uint8 labels ``(60000,)`` and ``(10000,)`` in 0..9.

    Raises:
        OSError: when a file cannot be downloaded (use ``use_offline(True)``).
    """
    if offline.is_offline():
        return standin(**offline.scaled_sizes(train_size=60000, test_size=10000))
    paths = [download_or_explain(name, BASE + name, None, cache_dir, "fashion_mnist", cache_subdir=CACHE_SUBDIR)
             for name in FILES]
    y_train, y_test = _read_idx(paths[0], 8), _read_idx(paths[2], 8)
    x_train = _read_idx(paths[1], 16).reshape(len(y_train), 28, 28)
    x_test = _read_idx(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data", "standin", "BASE", "FILES"]
