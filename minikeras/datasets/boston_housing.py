"""Boston housing prices: 13 features of 506 districts, the median price in k$ (Keras ``keras.datasets.boston_housing``).

Keras's own ``boston_housing.npz`` from Keras's URL, checked against Keras's sha256 and cached.
(Keras's warning applies: the feature "B" encodes a racist assumption; use the data to discuss
that, or prefer another regression set.) Offline (:func:`minikeras.datasets.use_offline`), 506
districts are generated: the 13 features in their real ranges, driven by a hidden "wealth" factor,
and a price in 5..50 that a small network can predict.
"""
import numpy as np

from . import offline
from .download import download_or_explain
from .safe_pickle import load_npz

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def standin(size=506, seed=0):
    """Generated districts as stored in ``boston_housing.npz``: ``{'x': (size, 13) float64, 'y': (size,) float64}``.

    Args:
        size: number of districts.
        seed: the same seed gives the same data.

    Returns:
        dict of arrays.
    """
    rng = np.random.default_rng(seed)
    wealth, noise = rng.normal(0, 1, size), lambda scale: rng.normal(0, scale, size)
    rooms = np.clip(6.28 + 0.55 * wealth + noise(0.4), 3.5, 8.8)
    lstat = np.clip(np.exp(2.4 - 0.45 * wealth + noise(0.25)), 1.7, 38.0)
    columns = [np.clip(np.exp(-1.0 - 1.3 * wealth + noise(1.2)), 0.006, 89.0),    # CRIM
               np.where(rng.random(size) < 0.26, rng.choice([12.5, 20, 25, 40, 80], size), 0.0),   # ZN
               np.clip(11.1 - 4 * wealth + noise(4), 0.46, 27.7),                 # INDUS
               (rng.random(size) < 0.07).astype(float),                           # CHAS
               np.clip(0.55 - 0.07 * wealth + noise(0.08), 0.385, 0.871),        # NOX
               rooms,                                                             # RM
               np.clip(68.6 - 18 * wealth + noise(18), 2.9, 100.0),               # AGE
               np.clip(3.8 + 1.3 * wealth + noise(1.4), 1.1, 12.1),               # DIS
               np.where(rng.random(size) < 0.26, 24.0, rng.integers(1, 9, size).astype(float)),   # RAD
               np.clip(408 - 110 * wealth + noise(100), 187, 711).round(),        # TAX
               np.clip(18.5 - 1.2 * wealth + noise(1.6), 12.6, 22.0),             # PTRATIO
               np.clip(396.9 - np.abs(noise(60)), 0.32, 396.9),                   # B
               lstat]                                                             # LSTAT
    price = 22.5 + 5.0 * (rooms - 6.28) - 0.45 * (lstat - 12.6) + 2.0 * columns[3] + noise(2.5)
    return {"x": np.stack(columns, axis=1), "y": np.clip(price, 5.0, 50.0).round(1)}


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """Loads the districts, shuffled with ``seed``; the last ``test_split`` of them is the test set.

    Args:
        path: file name in the cache folder.
        test_split: fraction of districts in the test set, in [0, 1).
        seed: seed of the shuffle.
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 ``(404, 13)``, ``(404,)``, ``(102, 13)``, ``(102,)``.

    Raises:
        ValueError: for ``test_split`` outside [0, 1), or a wrong sha256.
        OSError: when the file cannot be downloaded (use ``use_offline(True)``).
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split!r}.")
    if offline.is_offline():
        f = standin()
    else:
        f = load_npz(download_or_explain(path, ORIGIN, FILE_HASH, cache_dir, "boston_housing"))
    indices = np.arange(len(f["x"]))
    np.random.RandomState(seed).shuffle(indices)
    x, y = f["x"][indices], f["y"][indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])


__all__ = ["load_data", "standin", "ORIGIN", "FILE_HASH"]
