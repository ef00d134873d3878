"""Python's arithmetic operators, spelled as NumPy ufuncs.

``a + b`` on an object of :class:`UfuncArithmetic` becomes ``np.add(a, b)``. An array-like class
that also defines ``__array_ufunc__`` (the autodiff tape's ``Tensor``) or ``__array__`` (a
backend ``Variable``) then handles every operator in one place: NumPy calls it back.

>>> import numpy as np
>>> class Box(UfuncArithmetic):
...     def __init__(self, v): self.v = np.asarray(v)
...     def __array__(self, dtype=None, copy=None): return self.v
>>> Box([1.0, 2.0]) * 3
array([3., 6.])
"""
import numpy as np


class UfuncArithmetic:
    """Python's arithmetic operators as NumPy ufuncs (``a + b`` is ``np.add(a, b)``), so that a class
    defining ``__array_ufunc__`` or ``__array__`` (a tape :class:`Tensor`, a backend ``Variable``)
    sends every operator through one place."""

    def __add__(self, o): return np.add(self, o)
    def __radd__(self, o): return np.add(o, self)
    def __sub__(self, o): return np.subtract(self, o)
    def __rsub__(self, o): return np.subtract(o, self)
    def __mul__(self, o): return np.multiply(self, o)
    def __rmul__(self, o): return np.multiply(o, self)
    def __truediv__(self, o): return np.divide(self, o)
    def __rtruediv__(self, o): return np.divide(o, self)
    def __pow__(self, o): return np.power(self, o)
    def __rpow__(self, o): return np.power(o, self)
    def __matmul__(self, o): return np.matmul(self, o)
    def __rmatmul__(self, o): return np.matmul(o, self)
    def __neg__(self): return np.negative(self)
