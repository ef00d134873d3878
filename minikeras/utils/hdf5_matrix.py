"""``HDF5Matrix``: a dataset of an HDF5 file used like a NumPy array (Keras 2.2.4 ``keras.utils.io_utils``).

Rows are read from the file when indexed, so a data set larger than memory can be sliced
batch by batch. ``np.asarray(matrix)`` (what ``fit``, ``evaluate`` and ``predict`` do with an
input) reads the whole slice. tf_keras 2.21 no longer has it; minikeras keeps Keras 2.2.4's.

>>> import os, tempfile, h5py
>>> path = os.path.join(tempfile.mkdtemp(), 'data.h5')
>>> with h5py.File(path, 'w') as f:
...     _ = f.create_dataset('x', data=np.arange(12.0).reshape(6, 2))
>>> rows = HDF5Matrix(path, 'x', start=2, end=5, normalizer=lambda x: x / 2)
>>> rows.shape, rows[0].tolist(), rows[[0, 2]].tolist()
((3, 2), [2.0, 2.5], [[2.0, 2.5], [4.0, 4.5]])
"""
import numbers

import numpy as np


class HDF5Matrix:
    """Rows ``start:end`` of the dataset ``datapath`` in the HDF5 file ``datapath``, read on indexing.

    Args:
        datapath (str): the HDF5 file.
        dataset (str): the dataset's name in the file.
        start (int): first row (default 0).
        end (int or None): one past the last row (default: the dataset's end).
        normalizer: optional function applied to every block of rows read.

    Raises:
        ImportError: when h5py is not installed.
    """

    def __init__(self, datapath, dataset, start=0, end=None, normalizer=None):
        import h5py
        self._file = h5py.File(datapath, "r")
        self.data = self._file[dataset]
        self.start = start
        self.end = len(self.data) if end is None else end
        self.normalizer = normalizer
        sample = self._read(slice(self.start, self.start + 1)) if normalizer is not None else None
        self._shape = ((self.end - self.start,) + (sample.shape[1:] if sample is not None else self.data.shape[1:]))
        self._dtype = sample.dtype if sample is not None else self.data.dtype

    def __len__(self):
        """The number of rows, ``end - start``."""
        return self.end - self.start

    def _read(self, index):
        rows = self.data[index]
        return self.normalizer(rows) if self.normalizer is not None else rows

    def __getitem__(self, key):
        """Reads rows: an int, a slice (step 1), a list/range/array of ints (relative to ``start``).

        Raises:
            IndexError: for a row beyond the end.
            TypeError: for any other key.
        """
        if isinstance(key, slice):
            first = 0 if key.start is None else key.start
            last = len(self) if key.stop is None else key.stop
            if first + self.start > self.end or last + self.start > self.end:
                raise IndexError(f"Rows {first}:{last} are beyond the {len(self)} rows of this HDF5Matrix.")
            return self._read(slice(first + self.start, last + self.start))
        if isinstance(key, (numbers.Integral, np.integer)) and not isinstance(key, bool):
            if not 0 <= key < len(self):
                raise IndexError(f"Row {key} is beyond the {len(self)} rows of this HDF5Matrix.")
            return self._read(int(key) + self.start)
        if isinstance(key, (list, range, np.ndarray)):
            rows = np.asarray(key, dtype=int) + self.start
            if rows.size and (rows.max() >= self.end or rows.min() < self.start):
                raise IndexError(f"Rows {list(key)} are beyond the {len(self)} rows of this HDF5Matrix.")
            return self._read(rows.tolist())
        raise TypeError(f"HDF5Matrix indices must be ints, slices or lists of ints, got {key!r}.")

    def __array__(self, dtype=None, copy=None):
        """All the rows as one array (what ``np.asarray`` and ``fit`` use)."""
        rows = np.asarray(self[:])
        return rows if dtype is None else rows.astype(dtype)

    @property
    def shape(self):
        """``(rows,) + row shape`` (after the normalizer)."""
        return self._shape

    @property
    def dtype(self):
        """The dtype of the rows (after the normalizer)."""
        return self._dtype

    @property
    def ndim(self):
        """Number of axes."""
        return len(self._shape)

    @property
    def size(self):
        """Number of values."""
        return int(np.prod(self._shape))
