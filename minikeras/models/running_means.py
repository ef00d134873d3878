"""``RunningMeans``: the epoch-so-far averages that batch logs and epoch logs report."""
import numpy as np


class RunningMeans:
    """Accumulates ``total`` and ``count`` per name; the result is ``total / count``.

    The fit loop adds ``batch_loss * batch_size`` with count ``batch_size`` for the loss (so the
    epoch loss is the sample-weighted mean of batch losses, as in every Keras version), and for
    a metric the sum and number of the values its function returned (so a metric that returns
    one scalar per batch counts once per batch, as tf_keras's ``MeanMetricWrapper`` does).

    >>> m = RunningMeans(); m.update('loss', 4.0, 2); m.update('loss', 1.0, 1); m.result()
    {'loss': 1.6666666269302368}
    """

    def __init__(self):
        self._totals = {}

    def reset(self):
        """Forgets everything (a new epoch or evaluation)."""
        self._totals = {}

    def update(self, name, total, count):
        """Adds ``total`` spread over ``count`` values to the mean called ``name``."""
        t = self._totals.setdefault(name, [0.0, 0])
        t[0] += total
        t[1] += count

    def state(self):
        """Returns a copy of the totals, ``{name: [total, count]}`` (what a backup saves)."""
        return {name: list(t) for name, t in self._totals.items()}

    def set_state(self, state):
        """Puts back totals from :meth:`state` (a resumed epoch continues its means).

        Args:
            state: ``{name: [total, count]}``.
        """
        self._totals = {str(name): [float(total), int(count)] for name, (total, count) in state.items()}

    def result(self):
        """Returns ``{name: total / count}`` in first-update order.

        Each mean is rounded to float32 and returned as a Python float, as tf_keras's float32
        metrics are: a CSV log or ``History`` then shows the same digits (``0.5799999833106995``).
        """
        return {name: float(np.float32(t[0] / t[1])) if t[1] else 0.0 for name, t in self._totals.items()}
