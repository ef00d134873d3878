"""Global settings: the fuzz factor, the float type, Keras's name counters and the random generator."""
import random as _py_random

import numpy as np

_EPSILON = 1e-7
_FLOATX = "float32"
_UIDS = {}
_RNG = np.random.default_rng()
_IMAGE_DATA_FORMAT = "channels_last"


def backend():
    """Returns ``'numpy'``: the name of the engine behind ``K``.

    tf_keras answers ``'tensorflow'``; minikeras answers ``'numpy'`` (as Keras 3 does with its
    NumPy backend), so code that branches on the backend never takes a TensorFlow-only path.
    """
    return "numpy"


def image_data_format():
    """Returns ``'channels_last'`` (images as ``(batch, height, width, channels)``) unless set."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets what :func:`image_data_format` returns.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Raises:
        ValueError: for any other value.
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format: {data_format!r}; use 'channels_last' or 'channels_first'.")
    _IMAGE_DATA_FORMAT = data_format


def normalize_data_format(value):
    """Returns ``value`` lower-cased, or :func:`image_data_format` for ``None`` (Keras ``K.normalize_data_format``).

    Raises:
        ValueError: unless it is ``'channels_first'`` or ``'channels_last'``.

    >>> normalize_data_format(None), normalize_data_format('Channels_Last')
    ('channels_last', 'channels_last')
    """
    data_format = image_data_format() if value is None else str(value).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of 'channels_first', 'channels_last'. "
                         f"Received: {value!r}")
    return data_format


def epsilon():
    """Returns the fuzz factor used to keep logs and divisions finite (default ``1e-7``)."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor returned by :func:`epsilon`.

    Args:
        value: a positive float.
    """
    global _EPSILON
    _EPSILON = float(value)


def floatx():
    """Returns the default float type as a string (``'float32'``)."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type.

    Args:
        value: ``'float16'``, ``'float32'`` or ``'float64'``.

    Raises:
        ValueError: for any other name.
    """
    global _FLOATX
    if value not in ("float16", "float32", "float64"):
        raise ValueError(f"Unknown floatx type: {value!r}; use 'float16', 'float32' or 'float64'.")
    _FLOATX = value



def get_uid(prefix=""):
    """Returns 1, 2, 3, ... for successive calls with the same prefix (Keras's layer naming).

    Args:
        prefix: the name stem, e.g. ``'dense'``.

    Returns:
        int: how many times this prefix has been asked for, this call included.
    """
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def reset_uids():
    """Forgets every name counter, so the next layer is ``dense`` again."""
    _UIDS.clear()


def clear_session():
    """Resets the name counters, as ``K.clear_session()`` does in Keras."""
    reset_uids()


def set_seed(seed):
    """Seeds minikeras's generator, NumPy's global generator and Python's ``random``.

    Every random draw in minikeras (initializers, dropout masks, shuffling) comes from
    :func:`rng`, so after ``set_seed(s)`` a ``fit`` is reproducible bit for bit - on the same
    machine with the same number of BLAS threads: a different thread count (``OMP_NUM_THREADS``,
    ``OPENBLAS_NUM_THREADS``) can change the last bits of a matrix product (about 8e-7 relative
    was measured), a difference that training then grows.

    Args:
        seed: a non-negative int.

    Raises:
        TypeError: if ``seed`` is not an int.
    """
    global _RNG
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r}.")
    _RNG = np.random.default_rng(int(seed))
    np.random.seed(int(seed) % 2**32)
    _py_random.seed(int(seed))


def rng():
    """Returns the ``numpy.random.Generator`` that every unseeded random draw uses."""
    return _RNG
