"""Cutting the arrays into batches: in order for validation and ``evaluate``, shuffled once per pass for ``fit``.

``x``, ``y`` and ``sample_weight`` are arrays, or lists of arrays for a model with several
inputs or outputs (:func:`rows` cuts each); a batch is a view of rows, not a copy.
"""
import numpy as np

from .. import backend


def num_samples(a):
    """The number of samples in an array, or in the first array of a list (several inputs/outputs)."""
    return len(a[0]) if isinstance(a, list) else len(a)


def rows(a, index):
    """``a[index]`` for an array, each array of a list, or None."""
    if a is None:
        return None
    if isinstance(a, list):
        return [rows(e, index) for e in a]
    return a[index]


def batch_slices(n, batch_size):
    """Yields ``slice(start, stop)`` for consecutive batches of ``n`` samples (the last may be short)."""
    for start in range(0, n, batch_size):
        yield slice(start, min(start + batch_size, n))


class ArrayBatches:
    """A re-iterable view of ``(x, y, sample_weight)`` in consecutive batches (validation, evaluate).

    Iterating it again starts again from the first row, so one object serves every epoch.
    """

    def __init__(self, x, y, sample_weight, batch_size):
        self.arrays = (x, y, sample_weight)
        self.batch_size = batch_size
        self.steps = num_batches(num_samples(x), batch_size)

    def __iter__(self):
        x, y, w = self.arrays
        for s in batch_slices(num_samples(x), self.batch_size):
            yield rows(x, s), rows(y, s), rows(w, s)

    def v2_validation_data(self):
        """Keras 2.2.4's ``callback.validation_data``: ``[x_val, y_val, sample_weights_val]``."""
        x, y, w = self.arrays
        return [x, y, np.ones(num_samples(x), dtype="float32") if w is None else w]


def num_batches(n, batch_size):
    """Returns ``ceil(n / batch_size)``."""
    return (n + batch_size - 1) // batch_size


def epoch_order(n, shuffle, batch_size):
    """Returns the sample order for one epoch: None (as given) or an index permutation.

    Args:
        n: number of samples.
        shuffle: False (keep the order), True (a new permutation each epoch) or ``'batch'``
            (Keras's ``batch_shuffle``: shuffle the order of whole batch-sized blocks; the
            incomplete last block stays last).
        batch_size: block size for ``'batch'``.

    Raises:
        ValueError: for any other ``shuffle``.
    """
    if shuffle is False or shuffle is None:
        return None
    if shuffle is True:
        return backend.rng().permutation(n)
    if shuffle == "batch":
        full = (n // batch_size) * batch_size
        blocks = np.arange(full).reshape(-1, batch_size)
        backend.rng().shuffle(blocks)  # shuffles the rows: the order of the blocks
        return np.concatenate([blocks.ravel(), np.arange(full, n)])
    raise ValueError(f"shuffle must be True, False or 'batch', got {shuffle!r}.")


class BatchStream:
    """Serves ``(x, y, sample_weight)`` batches to the fit loop, one epoch at a time.

    Each pass over the data shuffles once (one gather, so each batch is then a cheap view).
    With ``steps_per_epoch`` set to something other than a full pass, epochs are NOT aligned
    with passes: as tf_keras (whose array dataset is the data repeated ``passes`` times), the
    batches run on from pass to pass, and the loop stops with a warning when all ``passes``
    passes are used up.

    Args:
        x, y, sample_weight: the training arrays (``sample_weight`` may be None).
        batch_size: samples per batch.
        shuffle: see :func:`epoch_order`.
        steps_per_epoch: batches per epoch, or None for a full pass.
        passes: how many passes over the data exist in all (fit: ``epochs - initial_epoch``).
    """

    def __init__(self, x, y, sample_weight, batch_size, shuffle, steps_per_epoch=None, passes=1):
        if not (shuffle is None or isinstance(shuffle, bool) or shuffle == "batch"):
            raise ValueError(f"shuffle must be True, False or 'batch', got {shuffle!r}.")
        self.arrays = (x, y, sample_weight)
        self.batch_size = batch_size
        self.shuffle = shuffle
        full_pass = num_batches(num_samples(x), batch_size)
        self.steps = full_pass if steps_per_epoch is None else int(steps_per_epoch)
        self.restart_each_epoch = self.steps == full_pass
        self.passes = passes
        self._iterator = None
        self._buffers = None

    def _one_pass(self):
        x, y, w = self.arrays
        order = epoch_order(num_samples(x), self.shuffle, self.batch_size)
        if order is not None:
            x, y, w = self._gather(order) if not any(isinstance(a, list) for a in self.arrays) \
                else (rows(a, order) for a in self.arrays)
        if isinstance(x, list) or isinstance(y, list) or isinstance(w, list):  # several inputs/outputs
            for s in batch_slices(num_samples(x), self.batch_size):
                yield rows(x, s), rows(y, s), rows(w, s)
            return
        for s in batch_slices(len(x), self.batch_size):
            yield x[s], y[s], None if w is None else w[s]

    def _gather(self, order):
        """Copies the rows in ``order`` into buffers allocated once and reused every epoch.

        One gather per pass makes every batch a contiguous view; reusing the buffers avoids
        allocating (and page-faulting) a data-sized array each epoch.
        """
        if self._buffers is None:
            self._buffers = [None if a is None else np.empty_like(a) for a in self.arrays]
        # mode="clip": the indices are valid; the default mode="raise" would buffer a whole copy
        return tuple(None if a is None else np.take(a, order, axis=0, out=buf, mode="clip")
                     for a, buf in zip(self.arrays, self._buffers))

    def _all_passes(self):
        for _ in range(self.passes):
            yield from self._one_pass()

    def epoch(self):
        """Returns the iterator of batches for the next epoch."""
        if self.restart_each_epoch:
            self._iterator = self._one_pass()
        elif self._iterator is None:
            self._iterator = self._all_passes()
        return self._iterator

    def close(self):
        """Ends the pass under way and drops the shuffled copy (fit calls it when it ends).

        The suspended pass refers back to this stream, a reference cycle that Python's cycle
        collector frees only when it next runs: a script that calls ``fit`` in a loop would hold
        a data-sized copy per call until then.
        """
        if self._iterator is not None:
            self._iterator.close()
        self._iterator = self._buffers = None
