"""The offline switch: every ``load_data`` returns its generated stand-in instead of downloading.

Classrooms without internet (or tests) run Keras scripts unchanged: after
``minikeras.datasets.use_offline(True)``, ``mnist.load_data()`` returns :mod:`~minikeras.datasets.digits`,
``imdb.load_data()`` generated reviews, ``cifar10.load_data()`` generated images, and so on — same
shapes, dtypes and label sets as the real files. Used as a context manager, the switch is put back
on exit. The environment variable ``MINIKERAS_DATA=offline`` turns it on for a whole process (for
scripts run in a subprocess); an explicit ``use_offline(...)`` wins over it.

>>> from minikeras.datasets import use_offline, is_offline
>>> with use_offline():
...     is_offline()
True
>>> is_offline()
False
"""
import os

#: The environment variable read when ``use_offline`` was never called.
ENVIRONMENT_VARIABLE = "MINIKERAS_DATA"
_STATE = {"offline": None}   # None: follow the environment variable


def is_offline():
    """True when dataset loaders should return their stand-ins.

    Returns:
        bool: the last ``use_offline`` setting, else whether ``MINIKERAS_DATA=offline``.
    """
    if _STATE["offline"] is None:
        return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() == "offline"
    return _STATE["offline"]


class use_offline:  # noqa: N801 - a switch that reads like a function call, as Keras's custom_object_scope
    """Turns the offline stand-ins on (or off); as a context manager, only inside the ``with`` block.

    Args:
        offline: True for stand-ins, False for the real downloads.

    Raises:
        TypeError: unless ``offline`` is a bool.
    """

    def __init__(self, offline=True):
        if not isinstance(offline, bool):
            raise TypeError(f"use_offline(offline) takes True or False, got {offline!r}.")
        self.previous = _STATE["offline"]
        _STATE["offline"] = offline

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _STATE["offline"] = self.previous


__all__ = ["use_offline", "is_offline", "ENVIRONMENT_VARIABLE"]
