"""Datasets (Keras ``keras.datasets``): Keras's real loaders, and offline stand-ins of the same shapes.

``mnist``, ``fashion_mnist``, ``cifar10``, ``cifar100``, ``imdb``, ``reuters`` and ``boston_housing``
download Keras's own files from Keras's URLs into Keras's cache (``~/.keras/datasets``), check
Keras's hashes, and return what Keras returns. ``use_offline(True)`` (or ``MINIKERAS_DATA=offline``)
makes every one of them return generated data with the same shapes, dtypes and labels instead —
for classrooms and tests without internet. ``digits`` is MNIST's stand-in.

>>> from minikeras.datasets import digits
>>> (x_train, y_train), (x_test, y_test) = digits.load_data(train_size=10, test_size=10)
>>> x_train.shape
(10, 28, 28)
"""
from . import boston_housing, cifar10, cifar100, digits, fashion_mnist, imdb, mnist, reuters
from .offline import is_offline, use_offline

__all__ = ["boston_housing", "cifar10", "cifar100", "digits", "fashion_mnist", "imdb", "mnist", "reuters",
           "use_offline", "is_offline"]
