"""``Metric``: a value accumulated over many batches, and the averaging metrics built on it.

A metric *class* keeps state between calls, as Keras's do: ``update_state(y_true, y_pred)`` adds
a batch, ``result()`` reads the value of everything added so far, ``reset_state()`` starts again.
``model.fit`` resets every metric at the start of each epoch and of each evaluation, so an epoch's
value is computed from the whole epoch at once. For an average that is the same as averaging the
batches; for a ratio such as precision, ``TP / (TP + FP)`` over the epoch, it is not.

The state is a few float32 arrays (``variables``): ``Mean`` keeps ``total`` and ``count``::

    update_state(values, w):  total += sum(w * values);  count += sum(w)   (w = 1 when not given)
    result():                 total / count   (0 when count is 0)

>>> m = Mean()
>>> m.update_state([1.0, 2.0, 3.0]); m.update_state([10.0], sample_weight=[2.0])
>>> float(m.result())       # (1 + 2 + 3 + 2*10) / (3 + 2)
5.2
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


class Reduce(Metric):
    """Sums values (``reduction='sum'``) or averages them (``'weighted_mean'``) over all batches.

    Args:
        reduction: ``'sum'`` or ``'weighted_mean'``.
        name: see :class:`Metric`.
        dtype: see :class:`Metric`.
    """

    def __init__(self, reduction, name=None, dtype=None):
        if reduction not in ("sum", "weighted_mean"):
            raise ValueError(f"reduction must be 'sum' or 'weighted_mean', got {reduction!r}.")
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_weight("total")
        if reduction == "weighted_mean":
            self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        """Adds ``sum(w * values)`` to ``total`` and, for a mean, ``sum(w)`` to ``count``.

        Args:
            values: numbers of any shape.
            sample_weight: None, or weights broadcastable to ``values`` (one per sample).
        """
        values = as_float_array(values, self.dtype)
        if sample_weight is None:
            weight_sum = values.size
        else:
            w = squeeze_or_expand(values, as_float_array(sample_weight, self.dtype))
            values = values * w
            weight_sum = np.sum(w, dtype=self.dtype)
        self.total = self.total + np.sum(values, dtype=self.dtype)
        if self.reduction == "weighted_mean":
            self.count = self.count + np.asarray(weight_sum, dtype=self.dtype)

    def result(self):
        """Returns ``total`` (sum) or ``total / count`` (mean; 0 when nothing was counted)."""
        if self.reduction == "sum":
            return np.array(self.total)
        return divide_no_nan(self.total, self.count)


def divide_no_nan(a, b):
    """``a / b`` elementwise, 0 where ``b`` is 0 (TensorFlow's ``divide_no_nan``)."""
    a, b = np.asarray(a), np.asarray(b)
    return np.where(b == 0, np.zeros_like(a), a / np.where(b == 0, np.ones_like(b), b)).astype(a.dtype)


class Sum(Reduce):
    """The sum of every value given since the last reset (``keras.metrics.Sum``).

    Args:
        name: default ``'sum'``.
        dtype: see :class:`Metric`.

    >>> s = Sum(); s.update_state([1.0, 2.0]); s.update_state([3.0], sample_weight=[0.5]); float(s.result())
    4.5
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__("sum", name=name, dtype=dtype)


class Mean(Reduce):
    """The (weighted) mean of every value given since the last reset (``keras.metrics.Mean``).

    Args:
        name: default ``'mean'``.
        dtype: see :class:`Metric`.

    >>> m = Mean(); m.update_state([1.0, 3.0]); m.update_state([5.0]); float(m.result())
    3.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__("weighted_mean", name=name, dtype=dtype)


def match_ranks(y_true, y_pred):
    """Drops a trailing axis of size 1 from whichever of ``y_true``/``y_pred`` has one axis more
    (Keras's ``squeeze_or_expand_dimensions``): labels ``(batch,)`` meet predictions ``(batch, 1)``."""
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true, y_pred


class MeanMetricWrapper(Mean):
    """The mean, over every sample seen, of a function ``fn(y_true, y_pred)`` of one batch.

    This is how every per-sample function becomes a metric class (``BinaryAccuracy`` is
    ``MeanMetricWrapper(binary_accuracy)``), and what ``compile`` makes of ``metrics=['mse']``.

    Args:
        fn: ``fn(y_true, y_pred, **kwargs)`` returning one value per sample.
        name: the log name (default ``mean_metric_wrapper``, numbered).
        dtype: see :class:`Metric`; ``y_true`` and ``y_pred`` are cast to it first.
        **kwargs: extra keyword arguments for ``fn`` (e.g. ``threshold=0.7``).

    Raises:
        TypeError: if ``fn`` is not callable.

    >>> from minikeras.losses import mean_absolute_error
    >>> m = MeanMetricWrapper(mean_absolute_error, name='mae')
    >>> float(m([[1.0], [2.0]], [[1.5], [2.0]]))
    0.25
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper needs a function fn(y_true, y_pred), got {fn!r}.")
        Reduce.__init__(self, "weighted_mean", name=name, dtype=dtype)
        self.fn = fn
        self.fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds ``fn(y_true, y_pred)`` (one value per sample) to the mean.

        Args:
            y_true: labels, a batch.
            y_pred: predictions, a batch.
            sample_weight: None, or one weight per sample.
        """
        y_true, y_pred = match_ranks(as_float_array(y_true, self.dtype), as_float_array(y_pred, self.dtype))
        super().update_state(self.fn(y_true, y_pred, **self.fn_kwargs), sample_weight=sample_weight)

    def get_config(self):
        """Returns the name, dtype and ``fn``'s keyword arguments (a subclass knows its ``fn``)."""
        config = {**super().get_config(), **self.fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self.fn, "__name__", None) or type(self.fn).__name__
        return config

    @classmethod
    def from_config(cls, config):
        """Rebuilds the metric; a plain ``MeanMetricWrapper``'s ``fn`` is looked up by name.

        Args:
            config: the dict from :meth:`get_config`.
        """
        if cls is MeanMetricWrapper:
            from . import get
            config = dict(config)
            return cls(get(config.pop("fn")), **config)
        return cls(**config)
