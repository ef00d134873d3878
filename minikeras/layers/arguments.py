"""The arguments every layer takes (Keras 2's base ``Layer``), checked: shapes, dtype, the allowed names.

``input_shape``, ``input_dim``, ``batch_input_shape`` and ``batch_size`` declare the shape of the
first layer's input; ``dtype`` its numbers' type. A bad value is refused here, naming the
argument, before the layer exists.

>>> batch_input_shape({"input_shape": (28, 28, 1)})
(None, 28, 28, 1)
>>> check_shape((None, 4), "input_shape")
(None, 4)
"""
import numpy as np

from .. import backend

#: The keyword arguments the base ``Layer`` accepts; any other is a TypeError naming it.
ALLOWED_KWARGS = {"input_shape", "input_dim", "batch_input_shape", "batch_size", "name", "trainable", "dtype",
                   "activity_regularizer", "weights"}


def dtype_name(dtype, layer_name):
    """A layer's ``dtype`` argument as a NumPy dtype name; None is ``backend.floatx()``."""
    if dtype is None:
        return backend.floatx()
    try:
        found = np.dtype(dtype)
    except TypeError:
        found = None
    if found is None or found.kind not in "fiub":
        raise TypeError(f"Layer {layer_name!r}: dtype must be a NumPy number type such as 'float32', got {dtype!r} "
                        f"(minikeras has no mixed-precision policies).")
    return found.name


def batch_input_shape(kwargs):
    """Reads ``batch_input_shape``/``input_shape``/``input_dim`` into ``(batch, ...)`` or None.

    Raises:
        ValueError: for a shape that is not a tuple of non-negative ints and Nones, naming the argument.
    """
    if kwargs.get("batch_input_shape") is not None:
        return check_shape(kwargs["batch_input_shape"], "batch_input_shape")
    batch = kwargs.get("batch_size")
    if batch is not None:
        check_shape((batch,), "batch_size")
    if kwargs.get("input_shape") is not None:
        return (batch,) + check_shape(kwargs["input_shape"], "input_shape")
    if kwargs.get("input_dim") is not None:
        dim = kwargs["input_dim"]
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim <= 0:
            raise ValueError(f"input_dim must be a positive int, got {dim!r}.")
        return (batch, int(dim))
    return None


def as_shape(shape, unknown_sizes=True):
    """``shape`` (an int, or a tuple/list of ints, and Nones if ``unknown_sizes``) as a tuple, or None
    if it is not a shape."""
    if isinstance(shape, str):
        return None
    dims = (shape,) if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool) else shape
    try:
        dims = tuple(dims)
    except TypeError:
        return None
    fits = all((d is None and unknown_sizes) or (isinstance(d, (int, np.integer)) and not isinstance(d, bool)
                                                  and d >= 0) for d in dims)
    return tuple(None if d is None else int(d) for d in dims) if fits else None


def check_shape(shape, argument):
    """``shape`` (an int, or a tuple/list of ints and Nones) as a tuple; a ValueError naming ``argument``."""
    dims = as_shape(shape)
    if dims is None:
        raise ValueError(f"{argument} must be a tuple of non-negative ints (None for a size known only later), "
                         f"e.g. {argument}={'32' if argument == 'batch_size' else '(28, 28, 1)'}; got {shape!r}.")
    return dims
