"""A small reverse-mode autodiff tape for NumPy arrays (micrograd's idea, for arrays).

Built-in layers have hand-written backward passes. Code that has none -- a user's custom
layer, a custom loss, a ``Lambda`` -- is differentiated here instead:

1. Wrap the inputs as :class:`Tensor` leaves. A ``Tensor`` holds a NumPy ``value``.
2. Run the user's code unchanged. NumPy calls on a ``Tensor`` (``x * 3``, ``np.dot``,
   ``K.mean``, ``x[:, :2]``...) are routed by NumPy's ``__array_ufunc__`` /
   ``__array_function__`` protocols to the rules of :mod:`minikeras.backend.vjps`. Each rule
   computes the forward value and returns its vector-Jacobian product (vjp); the result is a new
   ``Tensor`` that remembers its parents and that vjp. This record is the *tape*.
3. :func:`backward` (written in :mod:`~minikeras.backend.backprop`) walks the tape from the output back to the leaves, in reverse topological
   order, and applies each vjp: ``dL/d(parent) += vjp(dL/d(node))``.

Plain arrays never meet this code: built-in layers run at full NumPy speed.

>>> import numpy as np
>>> x = Tensor(np.array([1.0, 2.0, 3.0]))
>>> y = np.sum(x * x)              # recorded: multiply, then sum
>>> gradients(y, [x])[0]           # d(sum x^2)/dx = 2x
array([2., 4., 6.])
"""
import numpy as np

from . import vjps
from .operators import UfuncArithmetic
from .backprop import backward, gradients, topological_order  # noqa: F401 - the reverse pass, step 3


class NotDifferentiable(TypeError):
    """Raised when code being differentiated uses a NumPy function the tape has no gradient for."""


class Tensor(UfuncArithmetic):
    """An array on the tape: its ``value`` plus how it was computed.

    Args:
        value: the array (or number) this tensor holds.
        parents: the tensors it was computed from (empty for a leaf).
        vjp: function ``g -> [dL/d(parent) for each parent]`` (None for a leaf).
        op: ``(rule, args, kwargs)`` that computed it, so :func:`replay` can redo it.
        name: optional label (placeholders and variables).
    """

    __array_priority__ = 1000  # ndarray op Tensor -> Tensor's reflected method wins

    def __init__(self, value, parents=(), vjp=None, op=None, name=None):
        self.value = value if isinstance(value, np.ndarray) else np.asarray(value)
        self.parents = tuple(parents)
        self.vjp = vjp
        self.op = op
        self.name = name

    # What an array has, so that user code reads the same on arrays and tensors.
    shape = property(lambda self: self.value.shape, doc="The value's shape.")
    ndim = property(lambda self: self.value.ndim, doc="The value's number of axes.")
    dtype = property(lambda self: self.value.dtype, doc="The value's dtype.")
    size = property(lambda self: self.value.size, doc="The value's number of elements.")
    T = property(lambda self: np.transpose(self), doc="The transpose (recorded).")

    def __len__(self):
        return len(self.value)

    def __repr__(self):
        return f"Tensor({self.value!r})"

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __bool__(self):
        return bool(self.value)

    def __array__(self, dtype=None, copy=None):
        raise NotDifferentiable("A tensor on minikeras's autodiff tape was converted to a plain array (np.asarray, "
                        "np.array or a NumPy function the tape does not know), which would cut its gradient. "
                        "Write the computation with K ops or NumPy functions applied to the tensor itself.")

    # ------------------------------------------------------------------ NumPy routes calls here
    def __array_ufunc__(self, ufunc, method, *args, **kwargs):
        if method != "__call__" or kwargs.get("out") is not None:
            raise NotDifferentiable(f"minikeras's tape cannot record numpy.{ufunc.__name__}.{method} or an in-place "
                            f"update (out=...) of a tensor; write a new value instead (y = y + x, not y += x "
                            f"on an array).")
        return _dispatch(ufunc, args, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _dispatch(func, args, kwargs)

    # ------------------------------------------------------------------ operators and methods
    # (+ - * / ** @ and unary -: see UfuncArithmetic, below)
    def __pos__(self): return self
    def __abs__(self): return np.abs(self)
    def __lt__(self, o): return np.less(self, o)
    def __le__(self, o): return np.less_equal(self, o)
    def __gt__(self, o): return np.greater(self, o)
    def __ge__(self, o): return np.greater_equal(self, o)
    def __getitem__(self, index): return record(vjps.getitem, (self, _plain(index)), {})
    __hash__ = object.__hash__

    def reshape(self, *shape, **kwargs):
        """``np.reshape(self, shape)``, recorded."""
        return np.reshape(self, shape[0] if len(shape) == 1 else shape, **kwargs)

    def transpose(self, *axes):
        """``np.transpose(self, axes)``, recorded."""
        return np.transpose(self, (axes[0] if len(axes) == 1 else axes) or None)

    def astype(self, dtype, **kwargs):
        """The value cast to ``dtype``; recorded (the gradient is cast back)."""
        return record(vjps.astype, (self, dtype), {})

    def sum(self, axis=None, keepdims=False, **kwargs):
        """``np.sum(self, axis)``, recorded."""
        return np.sum(self, axis=axis, keepdims=keepdims, **kwargs)

    def mean(self, axis=None, keepdims=False, **kwargs):
        """``np.mean(self, axis)``, recorded."""
        return np.mean(self, axis=axis, keepdims=keepdims, **kwargs)

    def max(self, axis=None, keepdims=False, **kwargs):
        """``np.max(self, axis)``, recorded."""
        return np.max(self, axis=axis, keepdims=keepdims, **kwargs)

    def min(self, axis=None, keepdims=False, **kwargs):
        """``np.min(self, axis)``, recorded."""
        return np.min(self, axis=axis, keepdims=keepdims, **kwargs)

    def var(self, axis=None, keepdims=False, **kwargs):
        """``np.var(self, axis)``, recorded."""
        return np.var(self, axis=axis, keepdims=keepdims, **kwargs)

    def repeat(self, repeats, axis=None):
        """``np.repeat(self, repeats, axis)``, recorded."""
        return np.repeat(self, repeats, axis=axis)

    def argmax(self, axis=None, **kwargs):
        """``np.argmax(self, axis)``: plain indices, off the tape."""
        return np.argmax(self.value, axis=axis, **kwargs)

    def numpy(self):
        """Returns the value (a plain array, off the tape)."""
        return self.value


def value_of(x):
    """The plain value behind ``x``: a Tensor's array, a ``K.variable``'s array, else ``x``."""
    if isinstance(x, Tensor):
        return x.value
    if type(x).__name__ == "Variable" and hasattr(x, "assign"):  # backend.variables.Variable
        return x.value
    return x


def _plain(x):
    """``x`` with every Tensor inside (one level of list/tuple) replaced by its value."""
    if isinstance(x, (list, tuple)):
        return type(x)(value_of(v) for v in x)
    return value_of(x)


def _dispatch(func, args, kwargs):
    """Runs NumPy function ``func``: recorded if it has a vjp rule, on values if it has no gradient."""
    rule = vjps.RULES.get(func)
    if rule is not None:
        return record(rule, args, kwargs)
    if func in vjps.NO_GRADIENT:  # comparisons, argmax, zeros_like...: values only, off the tape
        return func(*[_plain(a) for a in args], **{k: _plain(v) for k, v in kwargs.items()})
    name = getattr(func, "__name__", repr(func))
    raise NotDifferentiable(f"minikeras's autodiff tape has no gradient for numpy.{name}. Write this step with "
                    f"the K ops of minikeras.backend (see docs/gradients.md for the list), or give the "
                    f"layer a hand-written backward().")


def record(rule, args, kwargs):
    """Computes ``rule`` on the values of ``args`` and records the result on the tape.

    Args:
        rule: a function of :mod:`vjps`: ``rule(*values, **kwargs) -> (out, vjp)``.
        args: positional arguments; Tensors (also inside a list, for concatenate/stack).
        kwargs: keyword arguments (never Tensors).

    Returns:
        Tensor: the output, with the Tensors of ``args`` as parents.
    """
    out, vjp = rule(*[_plain(a) for a in args], **kwargs)
    parents, where = [], []                      # each parent and where its gradient is found
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            parents.append(a), where.append((i, None))
        elif isinstance(a, (list, tuple)):
            for j, v in enumerate(a):
                if isinstance(v, Tensor):
                    parents.append(v), where.append((i, j))

    def parent_grads(g):
        grads = vjp(g)
        picked = [grads[i] if j is None else grads[i][j] for i, j in where]
        return [_unbroadcast(np.zeros_like(p.value) if d is None else d, p.value) for d, p in zip(picked, parents)]

    return Tensor(out, parents, parent_grads, op=(rule, args, kwargs))


def _unbroadcast(grad, like):
    """Sums ``grad`` over the axes along which ``like`` was broadcast; returns ``like``'s shape and dtype.

    ``a + b`` with ``a`` of shape (B, n) and ``b`` of shape (n,): ``b`` was copied along the batch
    axis, so its gradient is the sum of the copies' gradients.
    """
    grad = np.asarray(grad)
    while grad.ndim > like.ndim:
        grad = grad.sum(axis=0)
    axes = tuple(i for i, n in enumerate(like.shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if grad.shape != like.shape:
        grad = np.broadcast_to(grad, like.shape)
    return grad.astype(like.dtype, copy=False) if like.dtype.kind == "f" else grad


def primitive(rule):
    """Makes a ``K`` function from a rule of :mod:`vjps`: recorded on tensors, plain NumPy otherwise.

    Args:
        rule: ``rule(*arrays, **kwargs) -> (out, vjp)``.

    Returns:
        function with the rule's arguments, returning ``out`` (a Tensor if any argument is one).
    """
    def k_function(*args, **kwargs):
        if any(isinstance(a, Tensor) for a in args):
            return record(rule, args, kwargs)
        return rule(*args, **kwargs)[0]
    k_function.__name__ = k_function.__qualname__ = rule.__name__
    k_function.__doc__ = rule.__doc__
    return k_function


def through(forward, gradient, x, **kwargs):
    """Records ``forward(x, **kwargs)`` whose backward is a hand-written ``gradient(x, y, dy, **kwargs)``.

    This is how an activation function (which carries its own ``.gradient``) joins the tape.

    Args:
        forward: the function on arrays.
        gradient: its backward pass ``(x, y, dy, **kwargs) -> dx``.
        x: a Tensor.
        **kwargs: keyword arguments of both.

    Returns:
        Tensor
    """
    return record(vjps.hand_written(forward, gradient), (x,), kwargs)


def replay(outputs, feed):
    """Recomputes recorded ``outputs`` with new leaf values: the tape as a reusable graph.

    ``K.placeholder`` is a leaf; ``K.function([p], [y])`` replays the ops that made ``y``
    with ``p`` replaced by the array it is given.

    Args:
        outputs: list of Tensors recorded from some leaves.
        feed: ``{id(leaf or K.variable): Tensor}``, the replacements.

    Returns:
        list of new Tensors (on the tape: they can be differentiated).
    """
    new = dict(feed)

    def mapped(a):
        if isinstance(a, (list, tuple)):
            return type(a)(mapped(v) for v in a)
        return new.get(id(a), a) if isinstance(a, Tensor) or id(a) in feed else a

    for out in outputs:
        for node in topological_order(out):
            if id(node) not in new and node.op is not None:
                rule, args, kwargs = node.op
                args = [mapped(a) for a in args]
                new[id(node)] = rule(*args, **kwargs) if getattr(rule, "on_tensors", False) \
                    else record(rule, args, kwargs)
    return [new.get(id(o), o) for o in outputs]
