"""``Metric``: a value accumulated over many batches (the base of every metric class).

A metric *class* keeps state between calls, as Keras's do: ``update_state(y_true, y_pred)`` adds
a batch, ``result()`` reads the value of everything added so far, ``reset_state()`` starts again.
``model.fit`` resets every metric at the start of each epoch and of each evaluation, so an epoch's
value is computed from the whole epoch at once. For an average that is the same as averaging the
batches; for a ratio such as precision, ``TP / (TP + FP)`` over the epoch, it is not.

The state is a few float32 arrays (``variables``), made by :meth:`Metric.add_weight`.

>>> class Count(Metric):
...     def __init__(self, name='count', dtype=None):
...         super().__init__(name=name, dtype=dtype)
...         self.add_weight('n')
...     def update_state(self, y_true, y_pred, sample_weight=None):
...         self.n = self.n + len(y_true)
...     def result(self):
...         return self.n
>>> c = Count(); _ = c([1, 2], [1, 2]); float(c([3], [3]))
3.0
"""
import numpy as np

from .. import backend as K
from ..utils.generic_utils import to_snake_case


def unique_name(cls):
    """``'auc'``, then ``'auc_1'``, ...: the name a metric gets without ``name=`` (as Keras layers)."""
    prefix = to_snake_case(cls.__name__)
    uid = K.get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def as_float_array(x, dtype):
    """``x`` as a NumPy array of ``dtype`` (lists, numbers and ``K.variable`` accepted)."""
    return np.asarray(x, dtype=dtype)


def squeeze_or_expand(values, sample_weight):
    """Fits ``sample_weight`` to ``values`` as Keras does: a trailing axis of size 1 is dropped,
    a missing one added, then the weights are broadcast to the values' shape.

    Raises:
        ValueError: if the weights cannot be broadcast to the values.
    """
    if sample_weight.ndim == values.ndim + 1 and sample_weight.shape[-1] == 1:
        sample_weight = sample_weight[..., 0]
    elif sample_weight.ndim == values.ndim - 1:
        sample_weight = sample_weight[..., None]
    try:
        return np.broadcast_to(sample_weight, values.shape)
    except ValueError:
        raise ValueError(f"sample_weight of shape {sample_weight.shape} does not fit the metric's values of "
                         f"shape {values.shape}; give one weight per sample.") from None


class Metric:
    """The base of every metric class: state, ``update_state``, ``result``, ``reset_state``.

    A subclass creates its state in ``__init__`` with :meth:`add_weight` and writes
    ``update_state`` and ``result``. Calling the metric, ``m(y_true, y_pred)``, updates it and
    returns the result, as in tf_keras.

    Args:
        name: the name it logs under; default: the class name in snake case, numbered
            (``auc``, ``auc_1``, ...) for classes whose default is not a fixed name.
        dtype: the dtype of the state and of the result (default ``K.floatx()``).

    Raises:
        TypeError: if ``name`` is not a string.
    """

    def __init__(self, name=None, dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string, got {name!r}.")
        self.name = name or unique_name(type(self))
        self.dtype = np.dtype(dtype or K.floatx()).name
        self.stateful = True
        self._weight_names = []

    def add_weight(self, name, shape=(), initializer="zeros"):
        """Creates one state array ``self.<name>`` (zeros), reset by :meth:`reset_state`.

        Args:
            name: attribute name, e.g. ``'total'``.
            shape: the array's shape.
            initializer: only ``'zeros'`` (the state of every Keras metric starts at 0).

        Returns:
            The new array.
        """
        if initializer != "zeros":
            raise ValueError(f"minikeras metrics start their state at zeros; got initializer={initializer!r}.")
        self._weight_names.append(name)
        setattr(self, name, np.zeros(shape, dtype=self.dtype))
        return getattr(self, name)

    @property
    def variables(self):
        """The state arrays, in creation order."""
        return [getattr(self, n) for n in self._weight_names]

    weights = variables

    def get_weights(self):
        """Returns a copy of the state arrays (what ``BackupAndRestore`` saves mid-epoch)."""
        return [np.array(v) for v in self.variables]

    def set_weights(self, weights):
        """Puts back state arrays from :meth:`get_weights`.

        Args:
            weights: one array per state array, of the same shapes.

        Raises:
            ValueError: for a wrong number or shape of arrays.
        """
        if len(weights) != len(self._weight_names):
            raise ValueError(f"{self.name}: expected {len(self._weight_names)} state arrays, got {len(weights)}.")
        for n, w in zip(self._weight_names, weights):
            w = np.asarray(w, dtype=self.dtype)
            if w.shape != getattr(self, n).shape:
                raise ValueError(f"{self.name}: state {n!r} has shape {getattr(self, n).shape}, got {w.shape}.")
            setattr(self, n, w.copy())

    def update_state(self, *args, **kwargs):
        """Adds a batch to the state (written by each subclass)."""
        raise NotImplementedError(f"{type(self).__name__} must define update_state().")

    def result(self):
        """Returns the metric's value from the state (written by each subclass)."""
        raise NotImplementedError(f"{type(self).__name__} must define result().")

    def reset_state(self):
        """Sets every state array back to zeros (called at each epoch and evaluation start)."""
        for n in self._weight_names:
            setattr(self, n, np.zeros_like(getattr(self, n)))

    def reset_states(self):
        """Keras 2's older name for :meth:`reset_state`."""
        self.reset_state()

    def __call__(self, *args, **kwargs):
        """``update_state(*args, **kwargs)``, then returns :meth:`result`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        """Returns ``{'name', 'dtype'}`` plus the subclass's arguments (to rebuild it)."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Builds a new metric (fresh state) from :meth:`get_config`'s output.

        Args:
            config: the dict from :meth:`get_config`.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


def divide_no_nan(a, b):
    """``a / b`` elementwise, 0 where ``b`` is 0 (TensorFlow's ``divide_no_nan``)."""
    a, b = np.asarray(a), np.asarray(b)
    if b.ndim == 0:                     # the common case (a mean's total / count), kept fast
        return np.asarray(a / b) if b != 0 else np.zeros_like(a)
    return np.where(b == 0, np.zeros_like(a), a / np.where(b == 0, np.ones_like(b), b)).astype(a.dtype)
