"""``IndexedSlices``: a gradient that is zero outside a few rows (TensorFlow's ``tf.IndexedSlices``).

An ``Embedding(20000, 128)`` looks up a few thousand rows per batch, so its gradient is zero in
most of its 2.5 million numbers. :meth:`~minikeras.layers.Embedding.backward` returns only the
rows it touched, summed per row, and optimizers that know this form use it as tf_keras does:
Adam decays its moments everywhere but adds the new gradient to those rows only
(``m = m - m*(1 - beta_1)``, then ``m[indices] += values*(1 - beta_1)``), with no dense
gradient built. Code that takes an array sees the full one, as :meth:`IndexedSlices.__array__`
fills it in: ``np.asarray(g)``, ``np.testing``, ``g + penalty``, ``accumulator += g``. For
anything else (``g.sum()``, ``g / 2``), call ``np.asarray(g)`` first.

>>> g = IndexedSlices(np.array([[1., 2.], [3., 4.]]), np.array([0, 2]), (3, 2))
>>> np.asarray(g)
array([[1., 2.],
       [0., 0.],
       [3., 4.]])
"""
import numpy as np


class IndexedSlices:
    """Rows ``values[k]`` at ``indices[k]`` of a ``dense_shape`` array that is zero elsewhere.

    Args:
        values: ``(n, *dense_shape[1:])`` the rows.
        indices: ``(n,)`` integer row numbers in ``[0, dense_shape[0])``. Repeated or unsorted
            ones are summed and sorted here (tf_keras's optimizers deduplicate them the same way).
        dense_shape: the shape of the full array.

    Raises:
        TypeError: for indices that are not integers.
        ValueError: if ``values`` and ``indices`` do not match, ``values`` and ``dense_shape``
            do not match, or an index is outside the rows.
    """

    def __init__(self, values, indices, dense_shape):
        values, indices, dense_shape = np.asarray(values), np.asarray(indices), tuple(dense_shape)
        if indices.ndim != 1 or len(indices) != len(values) or values.shape[1:] != dense_shape[1:]:
            raise ValueError(f"IndexedSlices: values {values.shape} and indices {indices.shape} must give one "
                             f"row of {dense_shape[1:]} per index.")
        if indices.dtype.kind not in "iu":
            raise TypeError(f"IndexedSlices: indices must be integers, got {indices.dtype}.")
        if len(indices) and (indices.min() < 0 or indices.max() >= dense_shape[0]):
            raise ValueError(f"IndexedSlices: indices must be in [0, {dense_shape[0]}), got "
                             f"{indices.min()}..{indices.max()}.")
        if np.any(np.diff(indices) <= 0):                              # repeated or unsorted: sum and sort
            indices, inverse = np.unique(indices, return_inverse=True)
            summed = np.zeros((len(indices),) + values.shape[1:], values.dtype)
            np.add.at(summed, inverse, values)
            values = summed
        self.values, self.indices, self.dense_shape = values, indices, dense_shape

    @property
    def shape(self):
        """The full array's shape."""
        return self.dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def ndim(self):
        return len(self.dense_shape)

    def to_dense(self, dtype=None):
        """The full array: zeros, with ``values`` at their rows."""
        dense = np.zeros(self.dense_shape, dtype or self.values.dtype)
        dense[self.indices] = self.values
        return dense

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("an IndexedSlices becomes an array only as a new, filled-in copy.")
        return self.to_dense(dtype)

    def __getitem__(self, key):
        return self.to_dense()[key]

    def astype(self, dtype):
        """The same rows as ``dtype`` (a new object; the values are copied only if the dtype changes)."""
        return IndexedSlices(self.values.astype(dtype, copy=False), self.indices, self.dense_shape)

    def __mul__(self, scale):
        """``slices * number``: the rows scaled (how gradient clipping by norm scales a gradient)."""
        if np.ndim(scale) != 0:
            return self.to_dense() * scale
        return IndexedSlices(self.values * scale, self.indices, self.dense_shape)

    __rmul__ = __mul__

    def __add__(self, other):
        """The dense sum (shared layers add their calls' gradients; regularizers add a penalty's)."""
        other = other.to_dense() if isinstance(other, IndexedSlices) else other
        dtype = np.result_type(self.values, other)                    # float32 + 1.0 stays float32
        dense = np.broadcast_to(np.asarray(other), self.dense_shape).astype(dtype)  # a copy
        dense[self.indices] += self.values
        return dense

    __radd__ = __add__

    def __repr__(self):
        return f"IndexedSlices({len(self.indices)} rows of {self.dense_shape})"
