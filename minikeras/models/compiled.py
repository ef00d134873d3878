"""What ``compile`` sets up per model output: its loss, loss weight and metrics, and their names.

A model with outputs ``dense_1`` and ``dense_2`` reports, as tf_keras does::

    loss = w1 * dense_1_loss + w2 * dense_2_loss + regularization
    metrics_names = ['loss', 'dense_1_loss', 'dense_2_loss', 'dense_1_mae', 'dense_2_accuracy']

A single-output model reports ``['loss', <metrics>...]``. ``loss``, ``loss_weights`` and
``metrics`` may each be one value for every output, a list in output order, or a dict by output
name (:func:`per_output`).
"""
import numpy as np

from .. import losses, metrics as metrics_module


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


class OutputTarget:
    """One output's loss (with its gradient), loss weight and metrics.

    Args:
        name: the output's name (the layer that produces it).
        loss: a loss name or function.
        weight: its weight in the total loss.
        metrics: list of metric names or functions.
    """

    def __init__(self, name, loss, weight, metrics):
        self.name = name
        self.loss = loss
        self.loss_fn = losses.get(loss)
        self.loss_grad = losses.gradient(self.loss_fn)
        self.weight = float(weight)
        self.metrics = list(metrics)
        for m in self.metrics:
            if isinstance(m, str) and m.lower() not in ("accuracy", "acc", "crossentropy", "ce"):
                metrics_module.get(m)  # fail now on an unknown name, not at the first batch
        self.metric_fns = None  # [(name, fn)], resolved on the first batch (shapes decide 'accuracy')
        self.fused = None
        self.fused_metrics = {}

    def resolve(self, y, y_pred, activation):
        """On the first batch: picks 'accuracy' & co. from the shapes and decides fusion.

        Args:
            y, y_pred: a batch of targets and predictions.
            activation: the output layer's activation when its loss may be computed from the
                logits (see :func:`fused_activation`), else None.
        """
        self.metric_fns = [metrics_module.resolve(m, y, y_pred) for m in self.metrics]
        self.fused = losses.fused(self.loss_fn, activation) if activation is not None else None
        self.fused_metrics = {name: losses.fused(fn, activation) if activation is not None else None
                              for name, fn in self.metric_fns}


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
    def names(t):
        if t.metric_fns is not None:
            return [name for name, _ in t.metric_fns]
        return [m if isinstance(m, str) else getattr(m, "__name__", type(m).__name__) for m in t.metrics]
    if len(targets) == 1:
        return ["loss"] + names(targets[0])
    return ["loss"] + [f"{t.name}_loss" for t in targets] + [f"{t.name}_{n}" for t in targets for n in names(t)]


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


def metric_values(target, y, y_pred, logits):
    """Yields ``(name, values)`` for each metric of ``target`` on a batch."""
    for name, fn in target.metric_fns:
        fused = target.fused_metrics[name]
        values = fused[0](y, logits) if fused else fn(y, y_pred)
        yield name, np.asarray(values, dtype=np.float64)
