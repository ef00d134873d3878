"""CIFAR-100: 50,000 + 10,000 colour images 32x32 of 100 fine / 20 coarse classes (Keras ``keras.datasets.cifar100``).

Keras's own archive ``cifar-100-python.tar.gz`` from the CIFAR page, checked against tf_keras's
sha256, cached and extracted in ``~/.keras/datasets/cifar-100-python/``; read without running
pickled code. Offline (:func:`minikeras.datasets.use_offline`), the images are generated: 20 object
shapes (the coarse classes), each in 5 colour schemes (the fine classes ``5 * coarse .. 5 * coarse + 4``).
"""
import os

import numpy as np

from . import image_standins, offline
from .cifar import load_batch
from .download import download_or_explain

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
DIRNAME = "cifar-100-python"
LABEL_MODES = ("fine", "coarse")


def standin(label_mode="fine", train_size=50000, test_size=10000):
    """Generated CIFAR-100-shaped data; the coarse label of fine class ``f`` is ``f // 5``.

    Args:
        label_mode: ``'fine'`` or ``'coarse'``.
        train_size, test_size: numbers of images.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as :func:`load_data`.
    """
    (x_train, y_train), (x_test, y_test) = image_standins.train_and_test(train_size, test_size, num_classes=100,
                                                                         size=32, channels=3, groups=5, styles=12)
    if label_mode == "coarse":
        y_train, y_test = y_train // 5, y_test // 5
    return (x_train, y_train.astype(np.int64)[:, None]), (x_test, y_test.astype(np.int64)[:, None])


def load_data(label_mode="fine", cache_dir=None):
    """Loads CIFAR-100.

    Args:
        label_mode: ``'fine'`` (100 classes) or ``'coarse'`` (20 superclasses).
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)``, labels ``(50000, 1)`` and ``(10000, 1)`` (int64, as Keras's lists become).

    Raises:
        ValueError: for another ``label_mode``, or a wrong sha256.
        OSError: when the archive cannot be downloaded (use ``use_offline(True)``).
    """
    if label_mode not in LABEL_MODES:
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    if offline.is_offline():
        return standin(label_mode, **offline.scaled_sizes(train_size=50000, test_size=10000))
    path = download_or_explain(DIRNAME, ORIGIN, FILE_HASH, cache_dir, "cifar100", untar=True)
    parts = [load_batch(os.path.join(path, name), label_key=label_mode + "_labels") for name in ("train", "test")]
    return tuple((np.asarray(x).transpose(0, 2, 3, 1), np.reshape(y, (len(y), 1))) for x, y in parts)


__all__ = ["load_data", "standin", "ORIGIN", "FILE_HASH"]
