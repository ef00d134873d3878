"""``BaseLogger``: averages batch values into epoch values (Keras 2.2.4's first callback)."""
from .callback import Callback


class BaseLogger(Callback):
    """Accumulates the epoch average of each batch-level metric (Keras ``keras.callbacks.BaseLogger``).

    As the Keras 2 callbacks guide says, ``fit`` applies it to every model (first in the list). Keras 2.2.4
    needed it to turn per-batch values into epoch values; in tf_keras (and here) the model
    already reports running means, which count as *stateful* metrics: for them the epoch value
    is the last batch value, exactly what the epoch logs already hold. So inside ``fit`` it
    never changes a value that tf_keras would log: it only ever writes a key that is missing
    from the epoch logs. (The automatic one runs first in every hook call, so it cannot see
    keys that your callbacks add to the batch logs; a ``BaseLogger`` you place after such a
    callback averages them.)

    Algorithm (2.2.4's): at each batch end ``seen += size`` and, for every key,
    ``totals[k] += value * size`` (stateful names: ``totals[k] = value``); at epoch end
    ``logs[k] = totals[k] / seen`` (stateful: the last value), for the names in
    ``params['metrics']`` when that key exists (2.2.4's params), otherwise for every key seen.

    Args:
        stateful_metrics: names whose values are reported as-is, not averaged.

    >>> bl = BaseLogger(); bl.on_epoch_begin(0)
    >>> bl.on_batch_end(0, {'size': 4, 'foo': 1.0}); bl.on_batch_end(1, {'size': 2, 'foo': 4.0})
    >>> logs = {}; bl.on_epoch_end(0, logs); logs
    {'foo': 2.0}
    """

    #: It does not make fit call batch hooks; it listens when another callback needs them.
    _passive_batch_hooks = True

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        self.seen += size
        for key, value in logs.items():
            if key in ("batch", "size"):
                continue
            if key in self.stateful_metrics:
                self.totals[key] = value
            else:
                self.totals[key] = self.totals.get(key, 0.0) + value * size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        names = self.params.get("metrics", list(self.totals))
        for key in names:
            if key in self.totals and key not in logs:
                value = self.totals[key]
                logs[key] = value if key in self.stateful_metrics else value / max(self.seen, 1)
