"""Tensor functions (``K.mean``, ``K.square``, ...) on NumPy arrays, for custom metrics and losses."""
import numpy as np

from .autodiff import Tensor, value_of
from .config import floatx


def constant(value, dtype=None):
    """Returns ``value`` as an array of ``dtype`` (default :func:`floatx`)."""
    return np.asarray(value_of(value), dtype=dtype or floatx())


def cast(x, dtype):
    """Returns ``x`` converted to ``dtype`` (on the tape, the gradient is cast back)."""
    return x.astype(dtype) if isinstance(x, Tensor) else np.asarray(value_of(x)).astype(dtype)


def cast_to_floatx(x):
    """Returns ``x`` as an array of :func:`floatx`."""
    return cast(x, floatx())


def int_shape(x):
    """Returns the shape of ``x`` as a tuple (``None`` for a placeholder's or a Keras tensor's unknown axes).

    Raises:
        TypeError: for a list of Keras tensors (one shape each: ask for each).

    >>> from minikeras.layers import Input
    >>> int_shape(Input(shape=(28, 28, 1)))
    (None, 28, 28, 1)
    """
    if isinstance(x, (list, tuple)) and [e for e in x if hasattr(e, "keras_history")]:  # (K.any is not any)
        raise TypeError(f"int_shape takes one tensor, got a list of {len(x)}; ask for each: "
                        f"[K.int_shape(t) for t in tensors].")
    keras_shape = getattr(x, "keras_shape", None)
    if keras_shape is None and isinstance(getattr(x, "shape", None), tuple):
        keras_shape = x.shape                      # an array's, or a symbolic Keras tensor's (no values)
    return tuple(keras_shape) if keras_shape is not None else tuple(np.shape(x))


def ndim(x):
    """Returns the number of axes of ``x`` (an array, a placeholder or a Keras tensor)."""
    return len(int_shape(x))


def dtype(x):
    """Returns the dtype name of ``x``."""
    return np.dtype(getattr(x, "dtype", None) or np.asarray(x).dtype).name


def zeros_like(x):
    """Returns an array of zeros with the shape and dtype of ``x``."""
    return np.zeros_like(x)


def ones_like(x):
    """Returns an array of ones with the shape and dtype of ``x``."""
    return np.ones_like(x)


def mean(x, axis=None, keepdims=False):
    """Mean of ``x`` over ``axis`` (all axes if None)."""
    return np.mean(x, axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Sum of ``x`` over ``axis`` (all axes if None)."""
    return np.sum(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Maximum of ``x`` over ``axis`` (all axes if None)."""
    return np.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Minimum of ``x`` over ``axis`` (all axes if None)."""
    return np.min(x, axis=axis, keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    """Product of ``x`` over ``axis`` (all axes if None)."""
    return np.prod(x, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Standard deviation of ``x`` over ``axis``."""
    return np.std(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    """Variance of ``x`` over ``axis``."""
    return np.var(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=-1):
    """Index of the largest value along ``axis`` (default: the last)."""
    return np.argmax(x, axis=axis)


def argmin(x, axis=-1):
    """Index of the smallest value along ``axis`` (default: the last)."""
    return np.argmin(x, axis=axis)


def any(x, axis=None, keepdims=False):  # noqa: A001
    """True where any value along ``axis`` is true."""
    return np.any(x, axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    """True where every value along ``axis`` is true."""
    return np.all(x, axis=axis, keepdims=keepdims)


def clip(x, min_value, max_value):
    """``x`` limited to ``[min_value, max_value]`` element-wise."""
    return np.clip(x, min_value, max_value)


def round(x):  # noqa: A001
    """``x`` rounded to the nearest integer (halves to even, like NumPy and TensorFlow)."""
    return np.round(x)


def dot(x, y):
    """Matrix product of ``x`` and ``y``."""
    return np.dot(x, y)


def transpose(x):
    """``x`` with its axes reversed."""
    return np.transpose(x)


def reshape(x, shape):
    """``x`` in a new ``shape``."""
    return np.reshape(x, shape)


def permute_dimensions(x, pattern):
    """``x`` with its axes in the order ``pattern`` (``np.transpose``)."""
    return np.transpose(x, pattern)


def repeat_elements(x, rep, axis):
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times (``np.repeat``)."""
    return np.repeat(x, rep, axis=axis)


def tile(x, n):
    """``x`` tiled ``n`` times along each axis (``np.tile``)."""
    return np.tile(x, n)


def stop_gradient(x):
    """``x``'s value as a constant: on the autodiff tape, no gradient flows back through it."""
    return np.array(value_of(x))


def shape(x):
    """The shape of ``x`` (a tuple of ints)."""
    return tuple(np.shape(x))


def flatten(x):
    """``x`` as one axis."""
    return np.reshape(x, (-1,))


def batch_flatten(x):
    """``x`` as ``(samples, everything else)``."""
    return np.reshape(x, (np.shape(x)[0], -1))


def expand_dims(x, axis=-1):
    """``x`` with a new axis of length 1 at ``axis``."""
    return np.expand_dims(x, axis)


def squeeze(x, axis):
    """``x`` without its length-1 axis ``axis``."""
    return np.squeeze(x, axis)


def concatenate(tensors, axis=-1):
    """The arrays of ``tensors`` joined along ``axis``."""
    return np.concatenate(tensors, axis=axis)


def stack(tensors, axis=0):
    """The arrays of ``tensors`` stacked along a new ``axis``."""
    return np.stack(tensors, axis=axis)


def one_hot(indices, num_classes):
    """One-hot rows of length ``num_classes`` for integer ``indices``."""
    return np.eye(num_classes, dtype=floatx())[np.asarray(value_of(indices), dtype=int)]


def l2_normalize(x, axis=None):
    """``x`` divided by its L2 norm along ``axis`` (the norm floored at 1e-6)."""
    x = x if isinstance(x, Tensor) else np.asarray(value_of(x))
    return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), 1e-12))


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``."""
    return np.where(condition, then_expression, else_expression)


def in_top_k(predictions, targets, k):
    """True where the target class is among the ``k`` largest predictions of its row."""
    predictions = np.asarray(value_of(predictions))
    target_scores = predictions[np.arange(len(predictions)), np.asarray(value_of(targets), dtype=int).reshape(-1)]
    return np.sum(predictions > target_scores[:, None], axis=-1) < k


def _elementwise(name, fn):
    def wrapper(*args):
        return fn(*args)
    wrapper.__name__ = name
    wrapper.__qualname__ = name
    wrapper.__doc__ = f"Element-wise ``{fn.__name__}`` (``K.{name}``)."
    return wrapper


square = _elementwise("square", np.square)
sqrt = _elementwise("sqrt", np.sqrt)
abs = _elementwise("abs", np.abs)  # noqa: A001
exp = _elementwise("exp", np.exp)
log = _elementwise("log", np.log)
sign = _elementwise("sign", np.sign)
pow = _elementwise("pow", np.power)  # noqa: A001
maximum = _elementwise("maximum", np.maximum)
minimum = _elementwise("minimum", np.minimum)
equal = _elementwise("equal", np.equal)
not_equal = _elementwise("not_equal", np.not_equal)
greater = _elementwise("greater", np.greater)
greater_equal = _elementwise("greater_equal", np.greater_equal)
less = _elementwise("less", np.less)
less_equal = _elementwise("less_equal", np.less_equal)
sin = _elementwise("sin", np.sin)
cos = _elementwise("cos", np.cos)
tanh = _elementwise("tanh", np.tanh)
