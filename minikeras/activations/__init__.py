"""Activation functions, each written next to its gradient (forward, then backward).

A layer calls ``y = fn(x)`` in its forward pass and keeps ``x`` and ``y``; in the backward
pass it calls ``gradient(fn)(x, y, dy)`` to turn the upstream gradient ``dy = dL/dy`` into
``dx = dL/dx``. Every function here carries its backward pass as ``fn.gradient``, and so
can a user's own activation.

Inputs of a float dtype keep it (float32 stays float32); anything else becomes
``backend.floatx()``. Forward values equal ``tf_keras.activations`` to float32 precision.

>>> import numpy as np
>>> y = relu(np.array([-1.0, 2.0], dtype='float32')); y
array([0., 2.], dtype=float32)
>>> gradient(relu)(np.array([-1.0, 2.0]), y, np.ones(2))
array([0., 1.])
"""
import functools

from .rectifiers import elu, hard_sigmoid, linear, relu, selu
from .smooth import exponential, sigmoid, softmax, softplus, softsign, tanh
from ..utils.generic_utils import custom_object

ACTIVATIONS = {
    "softmax": softmax,
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "linear": linear,
    "elu": elu,
    "selu": selu,
    "softplus": softplus,
    "softsign": softsign,
    "hard_sigmoid": hard_sigmoid,
    "exponential": exponential,
}


def gradient(fn):
    """Returns the backward pass ``grad(x, y, dy) -> dx`` of an activation.

    Args:
        fn: an activation from this module, a ``functools.partial`` of one with keyword
            arguments (e.g. ``partial(relu, max_value=6.0)``), or a user callable that has a
            ``.gradient`` attribute with the signature ``(x, y, dy) -> dx``.

    Returns:
        Callable mapping the forward input ``x``, output ``y = fn(x)`` and upstream
        gradient ``dy`` (all of one shape) to ``dL/dx`` of that shape.

    Raises:
        TypeError: if ``fn`` has no ``.gradient``.

    >>> import numpy as np
    >>> def cube(x): return x ** 3
    >>> cube.gradient = lambda x, y, dy: dy * 3 * x ** 2
    >>> gradient(cube)(np.array([2.0]), None, np.array([1.0]))
    array([12.])
    """
    if isinstance(fn, functools.partial) and not fn.args and hasattr(fn.func, "gradient"):
        return functools.partial(fn.func.gradient, **fn.keywords)
    grad = getattr(fn, "gradient", None)
    if grad is None:
        name = getattr(fn, "__name__", repr(fn))
        raise TypeError(
            f"Activation {name!r} has no gradient, so it cannot be trained. Give it one: "
            f"`{name}.gradient = lambda x, y, dy: ...` returning dL/dx, where x is the input, "
            "y the activation's output and dy the upstream gradient.")
    return grad


def get(identifier):
    """Turns an activation identifier into a function, as ``Dense(activation=...)`` does.

    Args:
        identifier: ``None`` (linear), a name from :data:`ACTIVATIONS` or a callable.

    Returns:
        The activation function.

    Raises:
        ValueError: for an unknown name.
        TypeError: for anything that is neither a string, ``None`` nor callable.

    >>> get('relu') is relu, get(None) is linear
    (True, True)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        custom = custom_object(identifier)
        if custom is not None:
            return custom
        if identifier not in ACTIVATIONS:
            raise ValueError(f"Unknown activation function: {identifier!r}. Valid names are "
                             f"{sorted(ACTIVATIONS)}, or pass a callable.")
        return ACTIVATIONS[identifier]
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}. "
                    "Pass a name such as 'relu', a callable or None.")


def serialize(fn):
    """Returns the name stored in a layer config (Keras's legacy format: the function name).

    Args:
        fn: an activation function (or a valid name).

    Returns:
        str, e.g. ``'relu'``.

    Raises:
        ValueError: if ``fn`` has no ``__name__`` (e.g. a ``functools.partial``).

    >>> serialize(relu)
    'relu'
    """
    if isinstance(fn, str):
        return get(fn).__name__
    name = getattr(get(fn), "__name__", None)
    if name is None:
        raise ValueError(f"Cannot serialize activation {fn!r}: it has no __name__. "
                         "Use a named function (def ...) instead.")
    return name


def deserialize(name):
    """Inverse of :func:`serialize`; the same as :func:`get`."""
    return get(name)
