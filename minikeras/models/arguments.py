"""Checks of the arguments of ``fit``/``evaluate``/``predict``, shared by the array and generator loops.

Each raises before any work, with a message naming the argument.
"""
import math
import numbers

import numpy as np


def is_generator_input(x):
    """True for Python generators/iterators and ``utils.Sequence`` objects (the generator path).

    >>> is_generator_input(iter([])), is_generator_input(np.zeros(3))
    (True, False)
    """
    return hasattr(x, "__next__") or (hasattr(x, "__getitem__") and hasattr(x, "__len__")
                                      and not isinstance(x, (list, tuple, np.ndarray)) and hasattr(x, "on_epoch_end"))


def check_validation_freq(validation_freq):
    """Raises unless ``validation_freq`` is a positive int or a collection of 1-based epochs."""
    if isinstance(validation_freq, numbers.Integral) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(f"validation_freq must be a positive int or a list of epochs, got {validation_freq}.")
    elif not isinstance(validation_freq, (list, tuple, set)):
        raise TypeError(f"validation_freq must be an int or a list of 1-based epochs, got {validation_freq!r}.")


def check_verbose(verbose):
    """Returns ``verbose`` as 0, 1 or 2 (``'auto'`` is 1), or raises ValueError."""
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto', got {verbose!r}.")
    return int(verbose)


def check_int(value, name, minimum):
    """Returns ``value`` as an int if it is an int ``>= minimum``, else raises ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}.")
    return int(value)


def check_steps(value, name):
    """Returns a number of batches: an int ``>= 1``, or a positive float rounded up.

    Keras 2 counts ``while step < steps_per_epoch``, so the guides' ``len(x_train) / 32`` (a float)
    runs ``ceil(len(x_train) / 32)`` batches; tf_keras does the same.
    """
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)) \
            and math.isfinite(value) and value > 0:
        return math.ceil(value)
    return check_int(value, name, minimum=1)


#: Keras arguments about data loading workers, accepted and ignored (there are no workers here).
IGNORED = {"max_queue_size", "workers", "use_multiprocessing"}


def check_ignored_kwargs(kwargs):
    """Raises TypeError for keyword arguments other than the ignored worker options."""
    unknown = set(kwargs) - IGNORED
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s) {sorted(unknown)}.")


def format_results(logs, return_dict):
    """``evaluate``'s return value: the dict, the single loss, or the list in ``metrics_names`` order."""
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
