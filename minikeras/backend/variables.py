"""``Variable`` (what ``optimizer.lr`` is) and ``get_value``/``set_value``, as ``K`` names them."""
import numpy as np

from .autodiff import value_of
from .operators import UfuncArithmetic
from .config import floatx


class Variable(UfuncArithmetic):
    """A named, mutable array: what ``model.optimizer.lr`` is, so that it can be set in place.

    ``K.set_value(optimizer.lr, 0.01)`` must change the optimizer that holds it, which a
    plain Python float cannot do. A ``Variable`` behaves like its value in arithmetic and
    comparisons and converts with ``float()``.

    Args:
        value: initial value (scalar or array).
        dtype: NumPy dtype name; defaults to :func:`floatx`.
        name: a label for messages and saving.

    >>> v = Variable(0.5, name='lr')
    >>> set_value(v, 0.25); float(v) * 2
    0.5
    """

    def __init__(self, value, dtype=None, name=None):
        self.dtype = np.dtype(dtype or floatx())
        self.value = np.array(value, dtype=self.dtype)
        self.name = name

    def assign(self, value):
        """Overwrites the value, keeping dtype and shape."""
        new = np.asarray(value, dtype=self.dtype)
        if new.shape != self.value.shape:
            raise ValueError(f"Cannot assign a value of shape {new.shape} to variable "
                             f"{self.name!r} of shape {self.value.shape}.")
        self.value = new.copy()

    def numpy(self):
        """Returns the value: a NumPy scalar for a 0-d variable, else an array copy."""
        return self.value[()] if self.value.ndim == 0 else self.value.copy()

    def __array__(self, dtype=None, copy=None):
        return self.value if dtype is None else self.value.astype(dtype)

    def __float__(self):
        return float(self.value)

    def __repr__(self):
        return f"<Variable {self.name!r} value={self.numpy()!r}>"

    def __format__(self, spec):
        return format(self.numpy(), spec)

    # Arithmetic acts on the value, so user schedules can write ``lr * 0.5``. It goes through NumPy's
    # ufuncs so that, with a tensor of the autodiff tape, the op records the variable itself
    # (K.function then reads its current value, and K.gradients can differentiate with respect to it).
    # The operators themselves come from operators.UfuncArithmetic.
    def __lt__(self, o): return self.numpy() < o
    def __le__(self, o): return self.numpy() <= o
    def __gt__(self, o): return self.numpy() > o
    def __ge__(self, o): return self.numpy() >= o
    def __eq__(self, o): return self.numpy() == o
    __hash__ = object.__hash__


def variable(value, dtype=None, name=None):
    """Creates a :class:`Variable` (``K.variable``)."""
    return Variable(value, dtype=dtype, name=name)


def get_value(x):
    """Returns the value of a :class:`Variable`, or ``x`` itself for arrays and numbers.

    Args:
        x: a Variable, a NumPy array or a Python number.

    Returns:
        A NumPy scalar (0-d variables) or array.
    """
    return x.numpy() if isinstance(x, Variable) else np.asarray(x)[()]


def set_value(x, value):
    """Sets the value of a :class:`Variable` in place (``K.set_value``).

    Args:
        x: the Variable, e.g. ``model.optimizer.lr``.
        value: the new value.

    Raises:
        TypeError: if ``x`` is not a Variable (a plain number cannot be changed in place).
    """
    if not isinstance(x, Variable):
        raise TypeError(f"set_value needs a Variable such as model.optimizer.lr, got {type(x).__name__}.")
    x.assign(value)


def batch_get_value(xs):
    """Returns ``[get_value(x) for x in xs]``."""
    return [get_value(x) for x in xs]


def batch_set_value(pairs):
    """Calls :func:`set_value` on each ``(variable, value)`` pair."""
    for x, value in pairs:
        set_value(x, value)


def update(x, new_x):
    """Sets ``x`` to ``new_x`` now and returns ``x`` (``K.update``; minikeras runs eagerly, so the
    update happens when called, not when a graph runs).

    Args:
        x: a :class:`Variable`.
        new_x: its new value.

    Raises:
        TypeError: if ``x`` is not a Variable.
    """
    set_value(x, value_of(new_x))
    return x


def update_add(x, increment):
    """Adds ``increment`` to the Variable ``x`` now and returns ``x`` (``K.update_add``).

    Args:
        x: a :class:`Variable`.
        increment: what to add.

    Raises:
        TypeError: if ``x`` is not a Variable.

    >>> v = variable(1, dtype='int32'); int(get_value(update_add(v, 2)))
    3
    """
    return update(x, np.add(get_value(x), value_of(increment)))


def update_sub(x, decrement):
    """Subtracts ``decrement`` from the Variable ``x`` now and returns ``x`` (``K.update_sub``).

    Args:
        x: a :class:`Variable`.
        decrement: what to subtract.

    Raises:
        TypeError: if ``x`` is not a Variable.
    """
    return update(x, np.subtract(get_value(x), value_of(decrement)))
