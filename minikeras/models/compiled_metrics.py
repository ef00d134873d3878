"""The metric objects ``compile`` makes from ``metrics=`` and ``weighted_metrics=``, and their log names.

Every entry becomes an object with state (:class:`~minikeras.metrics.Metric`), as in tf_keras:

===============================  ==================================================  ============
``metrics=[...]`` entry          object                                               log name
===============================  ==================================================  ============
``'mse'``, ``f``                 ``MeanMetricWrapper(fn, name=...)``                 ``mse``, ``f.__name__``
``'accuracy'``, ``'acc'``        the same, fn chosen from the shapes (first batch)   as written
``AUC()``, ``'AUC'``, ``AUC``    that object / a new ``AUC()``                       its ``name``
a Keras 2.2.4 stateful layer     :class:`LegacyStatefulMetric` around it              its ``name``
===============================  ==================================================  ============

Then, as tf_keras's ``compile`` names them: with several outputs every name gets the output's
name in front (``dense_1_auc``); a weighted metric whose name is already taken gets
``weighted_`` (``weighted_accuracy``, ``dense_1_weighted_accuracy``); two metrics left with one
name are an error. ``metrics=`` are computed without sample weights, ``weighted_metrics=`` with
them (``sample_weight`` times ``class_weight``).
"""
import copy
import inspect

import numpy as np

from .. import losses, metrics as metrics_module
from ..metrics import Mean, MeanMetricWrapper, Metric

_BY_SHAPE = ("accuracy", "acc", "crossentropy", "ce")


class LegacyStatefulMetric(Metric):
    """Keras 2.2.4's stateful metric: a layer with ``stateful = True`` and ``reset_states()``
    whose call ``layer(y_true, y_pred)`` updates its variables (``K.update_add``) and returns the
    value so far. The logs show the value of the last call.

    Args:
        layer: the stateful layer.
    """

    def __init__(self, layer):
        super().__init__(name=layer.name)
        self.layer = layer
        self.value = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Calls the layer on the batch and keeps what it returns.

        Args:
            y_true, y_pred: the batch's targets and predictions.
            sample_weight: not given to Keras 2.2.4 stateful metrics (ignored).
        """
        self.value = self.layer(y_true, y_pred)

    def result(self):
        """Returns the last value the layer returned."""
        return self.value

    def reset_state(self):
        """Calls the layer's ``reset_states()``."""
        self.layer.reset_states()
        self.value = 0.0


def is_legacy_stateful(obj):
    """True for a Keras 2.2.4 stateful metric layer (``stateful = True``, ``reset_states``, not a Metric)."""
    return getattr(obj, "stateful", False) and hasattr(obj, "reset_states") and not isinstance(obj, Metric)


def check(identifier):
    """Fails now, at compile, on an identifier no batch could use.

    Raises:
        ValueError: for an unknown name or a value that is not a metric (``5``).
    """
    if isinstance(identifier, str) and (identifier.lower() in _BY_SHAPE or identifier in metrics_module.METRICS):
        return
    if not (inspect.isclass(identifier) or isinstance(identifier, Metric) or is_legacy_stateful(identifier)):
        metrics_module.get(identifier)


def make(identifier):
    """The metric object for one ``metrics=[...]`` entry, or None for a name the shapes decide.

    Args:
        identifier: a name, a function, a metric class or object, or a 2.2.4 stateful layer.

    Returns:
        A :class:`~minikeras.metrics.Metric`, or None for ``'accuracy'`` & co. (see :func:`for_shapes`).
    """
    if isinstance(identifier, str) and identifier.lower() in _BY_SHAPE:
        return None
    if is_legacy_stateful(identifier):
        return LegacyStatefulMetric(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Metric):
        return identifier()      # tf_keras fails on a class; minikeras makes one with the defaults
    if isinstance(identifier, Metric):
        return identifier
    found = metrics_module.get(identifier)
    if isinstance(found, Metric):
        return found
    name, fn = metrics_module.resolve(identifier, None, None)
    return MeanMetricWrapper(fn, name=name)


def for_shapes(identifier, name, y, y_pred):
    """On the first batch: the ``MeanMetricWrapper`` for ``'accuracy'`` & co., its function
    (binary, sparse or categorical) chosen from the shapes of ``y`` and ``y_pred``."""
    return MeanMetricWrapper(metrics_module.resolve(identifier, y, y_pred)[1], name=name)


def fused_of(metric, activation):
    """A compile-made wrapper's function computed from the logits (``losses.fused``), or None."""
    if activation is None or type(metric) is not MeanMetricWrapper or metric.fn_kwargs:
        return None
    return losses.fused(metric.fn, activation)


def clone(metric):
    """A fresh copy of a metric object (same config, zero state); other entries unchanged."""
    if isinstance(metric, Metric) and not isinstance(metric, LegacyStatefulMetric):
        try:
            return type(metric).from_config(metric.get_config())
        except (TypeError, ValueError, KeyError, NotImplementedError):  # a user subclass whose config
            return copy.copy(metric)                                     # cannot rebuild it: a shallow copy
    return metric


def set_names(targets, multi_output):
    """Gives every metric of ``targets`` its log name, as tf_keras's ``compile`` does.

    Fills each target's ``metric_names`` and ``weighted_names`` and renames its metric objects.

    Args:
        targets: the :class:`~minikeras.models.compiled.OutputTarget` list.
        multi_output: True if the model has several outputs.

    Raises:
        ValueError: if two metrics end with the same name.
    """
    taken = set()
    for target in targets:
        target.metric_names, target.weighted_names = [], []
        for weighted, objects, entries, names in ((False, target.metric_objects, target.metrics, target.metric_names),
                                                  (True, target.weighted_objects, target.weighted_metrics,
                                                   target.weighted_names)):
            for metric, entry in zip(objects, entries):
                name = metric.name if metric is not None else entry
                prefixed = f"{target.name}_{name}" if multi_output else name
                if weighted and prefixed in taken:
                    prefixed = f"{target.name}_weighted_{name}" if multi_output else f"weighted_{name}"
                if prefixed in taken:
                    raise ValueError(f"Found two metrics with the same name: {prefixed}. All the metrics added to "
                                     f"the model need to have unique names (give one of them name=...).")
                taken.add(prefixed)
                names.append(prefixed)
                if metric is not None:
                    metric.name = prefixed


def update(targets, ys, preds, logits_of, weights, masks=None):
    """Adds one batch to every metric: ``metrics=`` without weights, ``weighted_metrics=`` with.

    Labels of shape ``(batch,)`` meet predictions of shape ``(batch, 1)`` as ``(batch, 1)``,
    as tf_keras's ``compile`` gives them to its metrics. An output's mask (``(batch, steps)``,
    from ``Embedding(mask_zero=True)`` through a sequence output) is every metric's sample
    weight, multiplied into the sample weights of ``weighted_metrics=``, as in tf_keras: masked
    steps count for nothing.

    Args:
        targets: the OutputTarget list (resolved).
        ys, preds: one array of targets and of predictions per output.
        logits_of: ``logits_of(i)`` returns output ``i``'s logits (asked only when a metric is fused).
        weights: one sample-weight array (or None) per output.
        masks: one mask (or None) per output, or None.
    """
    for i, target in enumerate(targets):
        y, y_pred = ys[i], preds[i]
        if getattr(y, "ndim", 0) == 1 and getattr(y_pred, "ndim", 0) == 2:
            y = y[:, None]
        mask = masks[i] if masks else None
        if mask is not None and np.shape(mask) != np.shape(y_pred)[:-1]:
            mask = None                                   # a mask of another shape is not the output's
        for (_, metric, weighted), fused in zip(target.all_metrics(), target.fused_metrics):
            w = weights[i] if weighted else None
            if mask is not None:
                mask = np.asarray(mask, dtype=np.float32)
                w = mask if w is None else np.reshape(w, (-1,) + (1,) * (mask.ndim - 1)) * mask
            if fused is not None:
                Mean.update_state(metric, fused[0](y, logits_of(i)), sample_weight=w)
            else:
                metric.update_state(y, y_pred, sample_weight=w)


def results(targets):
    """Returns ``{log name: result()}``: a Python float (rounded to float32, as tf_keras's logs)
    for a scalar, an array for a metric with several thresholds."""
    out = {}
    for target in targets:
        for name, metric, _ in target.all_metrics():
            value = np.asarray(metric.result(), dtype=np.float32)
            out[name] = float(value) if value.ndim == 0 else value
    return out


def reset(targets):
    """Calls ``reset_state()`` on every metric (each epoch and evaluation starts from zero)."""
    for target in targets:
        for _, metric, _ in target.all_metrics():
            if metric is not None:
                metric.reset_state()


def state(targets):
    """Returns ``{log name: [state array as nested lists, ...]}`` (what a mid-epoch backup saves)."""
    return {name: [np.asarray(w).tolist() for w in metric.get_weights()]
            for target in targets for name, metric, _ in target.all_metrics()
            if metric is not None and not isinstance(metric, LegacyStatefulMetric)}


def set_state(targets, saved):
    """Puts back the state from :func:`state` (names absent from ``saved`` are left alone).

    Args:
        targets: the OutputTarget list.
        saved: ``{log name: [arrays]}``.
    """
    for target in targets:
        for name, metric, _ in target.all_metrics():
            if name not in saved:
                continue
            if metric is None:              # 'accuracy' before the first batch: put back when made
                target.pending_state[name] = saved[name]
            elif not isinstance(metric, LegacyStatefulMetric):
                metric.set_weights([np.asarray(w) for w in saved[name]])
