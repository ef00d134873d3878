"""Checking a callback state read back from a backup (``Callback.set_state``), before using any of it.

A backup file may be damaged or edited; ``set_state`` must then raise ``ValueError`` and change
nothing. These helpers read one entry of the state dict and check its type.
"""
import numbers

import numpy as np


def entries(state, owner, keys):
    """Returns ``[state[k] for k in keys]`` after checking ``state`` is a dict holding them all.

    Args:
        state: what ``set_state`` received.
        owner: the callback's class name, for the message.
        keys: the keys ``get_state`` writes.

    Raises:
        ValueError: for anything else.
    """
    if not isinstance(state, dict) or not set(keys) <= set(state):
        raise ValueError(f"{owner} state must be a dict with the keys {sorted(keys)}, got {state!r}.")
    return [state[k] for k in keys]


def integer(value, name, minimum=None):
    """Returns ``value`` as an int; raises ValueError unless it is a whole number (``>= minimum``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or \
            (minimum is not None and value < minimum):
        raise ValueError(f"state entry {name!r} must be an int" + (f" >= {minimum}" if minimum is not None else "")
                         + f", got {value!r}.")
    return int(value)


def real(value, name):
    """Returns ``value`` as a float (inf allowed: a "best" before any epoch); raises ValueError for
    NaN or a non-number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"state entry {name!r} must be a number, got {value!r}.")
    return float(value)


def arrays(value, name):
    """Returns ``value`` as a list of numeric NumPy arrays (or None); raises ValueError otherwise."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(a, np.ndarray) and a.dtype.kind in "biuf" for a in value):
        raise ValueError(f"state entry {name!r} must be a list of numeric arrays, got {type(value).__name__}.")
    return value
