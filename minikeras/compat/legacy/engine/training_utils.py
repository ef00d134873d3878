"""``keras.engine.training_utils`` (Keras 2.2.4's helpers of the training loop): ``make_batches``.

>>> make_batches(5, 2)
[(0, 2), (2, 4), (4, 5)]
"""
from ....models.batching import batch_slices


def make_batches(size, batch_size):
    """Returns the ``(start, end)`` index pairs of consecutive batches (the last one may be short).

    Args:
        size (int): number of samples.
        batch_size (int): samples per batch.

    Returns:
        list of tuples ``(start, end)``.
    """
    return [(s.start, s.stop) for s in batch_slices(size, batch_size)]
