"""The helpers every activation shares."""
import functools
import inspect

import numpy as np

from .. import backend
from ..backend import autodiff


def _float(x):
    """``x`` as an array, keeping a float dtype, otherwise cast to ``floatx()``."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(backend.floatx())


def on_tape(fn):
    """Decorator: on an autodiff-tape tensor, ``fn`` is recorded with its own ``fn.gradient``.

    A custom layer's ``call`` may apply an activation to a tape tensor; its gradient is then the
    activation's hand-written one (exact at kinks), not one derived from the NumPy ops inside.
    On arrays the decorated function is ``fn`` itself.
    """
    names = list(inspect.signature(fn).parameters)[1:]

    @functools.wraps(fn)
    def activation(x, *args, **kwargs):
        if isinstance(x, autodiff.Tensor):
            kwargs.update(zip(names, args))
            return autodiff.through(fn, activation.gradient, x, **kwargs)
        return fn(x, *args, **kwargs)
    return activation
