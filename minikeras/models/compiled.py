"""What ``compile`` sets up per model output: its loss, loss weight and metrics, and their names.

A model with outputs ``dense_1`` and ``dense_2`` reports, as tf_keras does::

    loss = w1 * dense_1_loss + w2 * dense_2_loss + regularization
    metrics_names = ['loss', 'dense_1_loss', 'dense_2_loss', 'dense_1_mae', 'dense_2_accuracy']

A single-output model reports ``['loss', <metrics>...]``. ``loss``, ``loss_weights`` and
``metrics`` may each be one value for every output, a list in output order, or a dict by output
name (:func:`per_output`).
"""
import math
import numbers

import numpy as np

from .. import losses
from . import compiled_metrics


def loss_weights_per_output(loss_weights, output_names):
    """``compile(loss_weights=...)`` as one finite number per output (1.0 where none is given).

    Raises:
        ValueError: as :func:`per_output`, or for a weight that is not a finite number.
    """
    weights = per_output(loss_weights, output_names, "loss_weights", default=1.0)
    for name, weight in zip(output_names, weights):
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not math.isfinite(weight):
            raise ValueError(f"loss_weights: the weight of output {name!r} must be a finite number, got {weight!r}.")
    return weights


def per_output(value, output_names, argument, default=None):
    """Spreads a compile argument over the outputs.

    Args:
        value: None, one value (for every output), a list (output order) or a dict (by output name).
        output_names: the model's output names.
        argument: the argument's name, for messages.
        default: the value for outputs a dict leaves out (or when ``value`` is None).

    Returns:
        list: one entry per output.

    Raises:
        ValueError: for a list of the wrong length or a dict with unknown names.
    """
    n = len(output_names)
    if value is None:
        return [default] * n
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(output_names))
        if unknown:
            raise ValueError(f"Unknown entries in {argument} dictionary: {unknown}. Only expected the "
                             f"following keys: {list(output_names)}.")
        return [value.get(name, default) for name in output_names]
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"When passing a list as {argument}, it should have one entry per model "
                             f"output. The model has {n} outputs ({list(output_names)}), but you passed "
                             f"{argument}={value!r}.")
        return list(value)
    return [value] * n


def spread_metrics(metrics, output_names, argument):
    """One list of metric entries per output, from ``compile``'s ``metrics`` or ``weighted_metrics``.

    A dict (by output name) or a list of lists gives each output its own; a flat list (or one
    entry) applies to every output, a metric object being cloned for each (as tf_keras does).

    Args:
        metrics: None, one entry, a list, a list of lists or a dict.
        output_names: the model's output names.
        argument: ``'metrics'`` or ``'weighted_metrics'``, for messages.

    Returns:
        list of lists.
    """
    metrics = [] if metrics is None else metrics
    if isinstance(metrics, dict) or (isinstance(metrics, (list, tuple)) and metrics
                                     and all(isinstance(m, (list, tuple)) for m in metrics)):
        per = per_output(metrics, output_names, argument, default=[])
        return [list(m) if isinstance(m, (list, tuple)) else [m] for m in per]
    flat = list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
    if len(output_names) == 1:
        return [flat]
    return [[compiled_metrics.clone(m) for m in flat] for _ in output_names]


class OutputTarget:
    """One output's loss (with its gradient), loss weight and metric objects.

    Args:
        name: the output's name (the layer that produces it).
        loss: a loss name or function.
        weight: its weight in the total loss.
        metrics: list of metric entries (names, functions, metric objects or classes).
        weighted_metrics: the same, computed with the sample weights.

    Raises:
        ValueError: for an unknown metric name or a value that is not a metric.
    """

    def __init__(self, name, loss, weight, metrics, weighted_metrics=()):
        self.name = name
        self.loss = loss
        self.loss_fn = losses.get(loss)
        self.loss_grad = losses.gradient(self.loss_fn)
        self.weight = float(weight)
        self.metrics, self.weighted_metrics = list(metrics), list(weighted_metrics)
        for m in self.metrics + self.weighted_metrics:
            compiled_metrics.check(m)  # fail now on an unknown name, not at the first batch
        # Metric objects (None for 'accuracy' & co. until the first batch's shapes decide), log names.
        self.metric_objects = [compiled_metrics.make(m) for m in self.metrics]
        self.weighted_objects = [compiled_metrics.make(m) for m in self.weighted_metrics]
        self.metric_names, self.weighted_names = [], []
        self.resolved = False
        self.pending_state = {}  # metric state set before the first batch made the metric (a resumed fit)
        self.fused = None
        self.fused_metrics = []

    def resolve(self, y, y_pred, activation):
        """On the first batch: picks 'accuracy' & co. from the shapes and decides fusion.

        Args:
            y, y_pred: a batch of targets and predictions.
            activation: the output layer's activation when its loss may be computed from the
                logits (see :func:`fused_activation`), else None.
        """
        for objects, entries, names in ((self.metric_objects, self.metrics, self.metric_names),
                                        (self.weighted_objects, self.weighted_metrics, self.weighted_names)):
            for i, (entry, name) in enumerate(zip(entries, names)):
                if objects[i] is None:
                    objects[i] = compiled_metrics.for_shapes(entry, name, y, y_pred)
        self.fused = losses.fused(self.loss_fn, activation) if activation is not None else None
        self.fused_metrics = [compiled_metrics.fused_of(m, activation) for _, m, _ in self.all_metrics()]
        self.resolved = True
        compiled_metrics.set_state([self], self.pending_state)
        self.pending_state = {}

    def all_metrics(self):
        """Returns ``[(log name, metric object, weighted?)]``, unweighted first (tf_keras's order)."""
        return ([(n, m, False) for n, m in zip(self.metric_names, self.metric_objects)]
                + [(n, m, True) for n, m in zip(self.weighted_names, self.weighted_objects)])


def fused_activation(layer, graph_output_is_only_output=True):
    """The one place deciding the fused softmax/sigmoid + crossentropy path.

    The loss is computed from the logits (as tf_keras does) when the output layer can backprop
    from its logits (``backward_from_logits``) and keeps them (``layer.logits``), the output tensor
    feeds nothing else in the model, and the layer's gradient is hand-written (not the tape's) with
    no activity penalty on its output.

    Args:
        layer: the layer producing a model output.
        graph_output_is_only_output: False if the layer is shared or its output is read by
            another layer of the model (then the plain path is used).

    Returns:
        The layer's activation if fusion is possible, else None.
    """
    activation = getattr(layer, "activation", None)
    if not graph_output_is_only_output or activation is None or not hasattr(layer, "backward_from_logits"):
        return None
    if layer.uses_tape or layer.activity_regularizer is not None:  # the tape, or a penalty on the output, needs
        return None                                                # the gradient after the activation
    return activation


def metric_names(targets):
    """``metrics_names`` in tf_keras's order for ``targets`` (a list of :class:`OutputTarget`)."""
    names = [name for t in targets for name, _, _ in t.all_metrics()]
    if len(targets) == 1:
        return ["loss"] + names
    return ["loss"] + [f"{t.name}_loss" for t in targets] + names


def output_loss(target, y, y_pred, logits, sample_weight, need_grad, mask=None):
    """One output's ``(sum of weighted per-sample losses, count, dL/d(pred or logits))``.

    The gradient is that of ``sum(w_i * l_i)``; the caller scales it by ``1 / count``. With an
    output ``mask`` (``(B, T)``, e.g. from ``Embedding(mask_zero=True)`` through an LSTM with
    ``return_sequences``), masked timesteps weigh 0 and ``count`` is the number of unmasked ones:
    tf_keras's mean over the valid entries, ``sum(w * l * m) / sum(m)``.
    """
    if target.fused is not None:
        value_fn, grad_fn = target.fused
        per_sample = value_fn(y, logits)                      # (B,) or (B, T)
        grad = grad_fn(y, logits) if need_grad else None      # (B, classes) or (B, T, classes)
    else:
        per_sample = target.loss_fn(y, y_pred)                # (B,) or (B, T)
        grad = target.loss_grad(y, y_pred) if need_grad else None
    count = per_sample.size
    w = None if sample_weight is None else sample_weight.reshape((-1,) + (1,) * (per_sample.ndim - 1))
    mask = loss_mask(mask, per_sample)
    if mask is not None:
        w = mask if w is None else w * mask
        count = max(int(np.count_nonzero(mask)), 1)
    if w is not None:
        per_sample = per_sample * w
        if need_grad:
            grad = grad * w.reshape(w.shape + (1,) * (grad.ndim - w.ndim)).astype(grad.dtype)
    return float(np.sum(per_sample, dtype=np.float32)), count, grad


def loss_mask(mask, per_sample):
    """The output mask as 0/1 weights of ``per_sample``'s shape, or None (no mask, or one of another shape)."""
    if mask is None or np.shape(mask) != np.shape(per_sample):
        return None
    return np.asarray(mask, dtype=per_sample.dtype)

