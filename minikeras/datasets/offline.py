"""The offline switch: every ``load_data`` returns its generated stand-in instead of downloading.

Classrooms without internet (or tests) run Keras scripts unchanged: after
``minikeras.datasets.use_offline(True)``, ``mnist.load_data()`` returns :mod:`~minikeras.datasets.digits`,
``imdb.load_data()`` generated reviews, ``cifar10.load_data()`` generated images, and so on — same
shapes, dtypes and label sets as the real files. Used as a context manager, the switch is put back
on exit. The environment variable ``MINIKERAS_DATA=offline`` turns it on for a whole process (for
scripts run in a subprocess); an explicit ``use_offline(...)`` wins over it.

The stand-ins are as large as the real datasets (60,000 MNIST images, 25,000 + 25,000 reviews...).
For a quick run, ``use_offline(True, scale=0.05)`` (or ``MINIKERAS_DATA_SCALE=0.05``) makes every
stand-in hold 5 % of that many samples (at least ``MINIMUM_SAMPLES``); shapes of a sample, dtypes and
label sets stay the same, only the number of samples changes.

>>> from minikeras.datasets import use_offline, is_offline
>>> with use_offline():
...     is_offline()
True
>>> is_offline()
False
>>> with use_offline(scale=0.05):
...     scaled(60000)
3000
"""
import os

#: The environment variable read when ``use_offline`` was never called.
ENVIRONMENT_VARIABLE = "MINIKERAS_DATA"
#: The environment variable read for the stand-ins' size when ``use_offline`` set no ``scale``.
SCALE_VARIABLE = "MINIKERAS_DATA_SCALE"
#: The fewest samples a scaled stand-in holds (enough for every label of CIFAR-100, and for the
#: 300 test images the Keras examples' pictures show).
MINIMUM_SAMPLES = 1000
_STATE = {"offline": None, "scale": None}   # None: follow the environment variables


def is_offline():
    """True when dataset loaders should return their stand-ins.

    Returns:
        bool: the last ``use_offline`` setting, else whether ``MINIKERAS_DATA=offline``.
    """
    if _STATE["offline"] is None:
        return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() == "offline"
    return _STATE["offline"]


def data_scale():
    """The fraction of the real datasets' sizes the stand-ins hold.

    Returns:
        float in (0, 1]: the last ``use_offline(scale=...)``, else ``MINIKERAS_DATA_SCALE``, else 1.

    Raises:
        ValueError: when ``MINIKERAS_DATA_SCALE`` is not a number in (0, 1].
    """
    if _STATE["scale"] is not None:
        return _STATE["scale"]
    text = os.environ.get(SCALE_VARIABLE, "").strip()
    if not text:
        return 1.0
    try:
        return check_scale(float(text))
    except ValueError:
        raise ValueError(f"{SCALE_VARIABLE} must be a number in (0, 1], got {text!r}.") from None


def check_scale(scale):
    """Returns ``scale`` as a float if it is a number in (0, 1], else raises ValueError (or TypeError)."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)):
        raise TypeError(f"scale must be a number in (0, 1], got {scale!r}.")
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1] (the fraction of the real dataset's size), got {scale!r}.")
    return float(scale)


def scaled(n):
    """The number of samples a stand-in holds in place of the real dataset's ``n``.

    Args:
        n: the real dataset's number of samples.

    Returns:
        int: ``n`` times :func:`data_scale`, rounded, but at least ``MINIMUM_SAMPLES`` (and at most ``n``).
    """
    return min(n, max(MINIMUM_SAMPLES, int(round(n * data_scale()))))


def scaled_sizes(**sizes):
    """The keyword arguments that ask a stand-in for its scaled sizes: ``{}`` at full size.

    Args:
        **sizes: the real sizes, e.g. ``train_size=50000, test_size=10000``.

    Returns:
        dict: each size through :func:`scaled`, or ``{}`` when :func:`data_scale` is 1 (the stand-in's defaults).
    """
    return {} if data_scale() == 1 else {name: scaled(n) for name, n in sizes.items()}


class use_offline:  # noqa: N801 - a switch that reads like a function call, as Keras's custom_object_scope
    """Turns the offline stand-ins on (or off); as a context manager, only inside the ``with`` block.

    Args:
        offline: True for stand-ins, False for the real downloads.
        scale: the fraction of the real dataset's size the stand-ins hold, in (0, 1]; None keeps the
            current setting (``MINIKERAS_DATA_SCALE``, else 1: full size).

    Raises:
        TypeError: unless ``offline`` is a bool and ``scale`` a number or None.
        ValueError: when ``scale`` is outside (0, 1].
    """

    def __init__(self, offline=True, scale=None):
        if not isinstance(offline, bool):
            raise TypeError(f"use_offline(offline) takes True or False, got {offline!r}.")
        if scale is not None:
            scale = check_scale(scale)
        self.previous = dict(_STATE)
        _STATE["offline"] = offline
        if scale is not None:
            _STATE["scale"] = scale

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _STATE.update(self.previous)


__all__ = ["use_offline", "is_offline", "data_scale", "check_scale", "scaled", "scaled_sizes", "ENVIRONMENT_VARIABLE",
           "SCALE_VARIABLE", "MINIMUM_SAMPLES"]
