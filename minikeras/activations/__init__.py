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

import numpy as np

from .rectifiers import elu, hard_sigmoid, linear, relu, selu
from .smooth import exponential, sigmoid, softmax, softplus, softsign, tanh
from ..backend import autodiff
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
            arguments (e.g. ``partial(relu, max_value=6.0)``), a user callable with a
            ``.gradient`` attribute of the signature ``(x, y, dy) -> dx``, or any other callable
            written with ``K`` ops (``K.tanh``, ``lambda x: K.relu(x) * 2``): its gradient then
            comes from the autodiff tape (:func:`tape_gradient`).

    Returns:
        Callable mapping the forward input ``x``, output ``y = fn(x)`` and upstream
        gradient ``dy`` (all of one shape) to ``dL/dx`` of that shape.

    >>> import numpy as np
    >>> def cube(x): return x ** 3
    >>> cube.gradient = lambda x, y, dy: dy * 3 * x ** 2
    >>> gradient(cube)(np.array([2.0]), None, np.array([1.0]))
    array([12.])
    """
    if isinstance(fn, functools.partial) and not fn.args and hasattr(fn.func, "gradient"):
        return functools.partial(fn.func.gradient, **fn.keywords)
    grad = getattr(fn, "gradient", None)
    return tape_gradient(fn) if grad is None else grad


def tape_gradient(fn):
    """The backward pass of an activation that has none written, from the autodiff tape.

    ``fn`` runs again on the tape's tensor of ``x`` and the tape walks back from ``dy``; a
    NumPy call the tape cannot follow raises its ``NotDifferentiable`` error, naming the call.

    >>> import numpy as np
    >>> from minikeras import backend as K
    >>> tape_gradient(lambda x: K.tanh(x) * 2)(np.array([0.0]), None, np.array([1.0]))
    array([2.])
    """
    def grad(x, y, dy):
        leaf = autodiff.Tensor(np.asarray(x))
        out = fn(leaf)
        if not isinstance(out, autodiff.Tensor):       # e.g. K.ones_like(x): the output does not depend on x
            return np.zeros_like(leaf.value)
        return autodiff.gradients(out, [leaf], grad=dy)[0]                   # dL/dx, x's shape
    grad.__name__ = f"{getattr(fn, '__name__', type(fn).__name__)}_tape_gradient"
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
