"""One batch of training, the heart of ``fit``: forward, loss, backward, update (Keras 2's ``train_function``).

:class:`TrainStep` is part of :class:`~minikeras.models.Model`; the loops in
:mod:`minikeras.models.training` call ``_train_step`` / ``_test_step`` once per batch::

    preds = graph.forward(x)                       # every layer's call, in topological order
    loss  = sum_outputs(loss_weight * mean_i(w_i * l_i)) + penalties
    grads = graph.backward(dL/dpreds)              # every layer's backward, in reverse order
    optimizer.apply_gradients(zip(grads, weights)) # then the weight constraints

and returns the running means of the loss and of every metric since the epoch began.
"""
import numpy as np

from . import compiled, compiled_metrics


class TrainStep:
    """The step methods of :class:`~minikeras.models.Model` (a mixin: it has no state of its own)."""

    def _forward(self, x, training):
        """The predictions for a batch: one array, or a list with several outputs."""
        outs = self._graph.forward([x] if self._single_io[0] else x, training)
        return outs[0] if self._single_io[1] else outs

    def _prepare_step(self, ys, preds):
        """On the first batch: resolve 'accuracy' & co. from the shapes, and decide fusion."""
        if not self._targets[0].resolved:
            graph = self._graph
            for i, (target, t) in enumerate(zip(self._targets, graph.outputs)):
                layer = t.keras_history[0]
                alone = layer not in graph.shared and not graph.consumers.get(id(t)) and graph.outputs.count(t) == 1
                target.resolve(ys[i], preds[i], compiled.fused_activation(layer, alone))
            self._fused_outputs = tuple(i for i, t in enumerate(self._targets) if t.fused is not None)

    def _loss_and_grads(self, ys, preds, weights, need_grad):
        """Returns ``(total loss, [loss per output], [dL/d(output or logits)])`` for a batch.

        ``output_loss = sum_i(w_i * l_i) / n`` (tf_keras's ``sum_over_batch_size``); the total adds
        the loss weights and the layers' regularization penalties.
        """
        total, parts, grads = 0.0, [], []
        for i, target in enumerate(self._targets):
            logits = self._graph.outputs[i].keras_history[0].logits if target.fused is not None else None
            value, size, grad = compiled.output_loss(target, ys[i], preds[i], logits, weights[i], need_grad,
                                                     self._graph.output_masks[i])
            scale = target.weight / size
            total += value * scale
            parts.append(value / size)
            if need_grad:
                grads.append(grad * np.float32(scale))
        total += sum(self.losses)  # weight penalties and add_loss terms, unscaled (as tf_keras)
        return total, parts, grads

    def _update_means(self, ys, preds, total, parts, weights):
        """Adds this batch to the running means of the loss(es) and to every metric."""
        n = len(ys[0])
        self._means.update("loss", total * n, n)
        if len(self._targets) > 1:
            for target, part in zip(self._targets, parts):
                self._means.update(f"{target.name}_loss", part * n, n)
        logits_of = lambda i: self._graph.outputs[i].keras_history[0].logits  # noqa: E731
        compiled_metrics.update(self._targets, ys, preds, logits_of, weights, self._graph.output_masks)
        return {**self._means.result(), **compiled_metrics.results(self._targets)}

    def _step(self, x, y, sample_weight, training):
        single = self._single_io[1]
        ys = [y] if single else y
        weights = [sample_weight] if single else (sample_weight or [None] * len(ys))
        preds = self._forward(x, training=training)
        preds = [preds] if single else preds
        self._prepare_step(ys, preds)
        total, parts, grads = self._loss_and_grads(ys, preds, weights, need_grad=training)
        if training:
            self._graph.backward(grads, from_logits=self._fused_outputs)
            self.optimizer.apply_gradients(self._grads_and_vars())
            self.apply_constraints()                                  # kernel_constraint & co., after the update
        return self._update_means(ys, preds, total, parts, weights)

    def _train_step(self, x, y, sample_weight=None):
        """Forward, loss, backward and one optimizer update on a batch; returns the running means."""
        return self._step(x, y, sample_weight, training=True)

    def _test_step(self, x, y, sample_weight=None):
        """Forward and loss (no update) on a batch; returns the running means."""
        return self._step(x, y, sample_weight, training=False)

    def _grads_and_vars(self):
        return [(g, w) for layer in self.layers for g, w in zip(layer.grads, layer.trainable_weights)]

    def reset_metrics(self):
        """Starts new running means and resets every metric (at every epoch and evaluation start)."""
        self._means.reset()
        if self._targets is not None:
            compiled_metrics.reset(self._targets)
