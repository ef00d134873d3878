"""``Model``: compile, one training step (forward, loss, backward, update), and the loops' entry points.

:class:`~minikeras.models.Sequential` adds the layer list; the loops themselves, with every
callback hook in order, are in :mod:`minikeras.models.training`.
"""
import numpy as np

from .. import losses, metrics as metrics_module, optimizers
from . import data, training
from .running_means import RunningMeans


class Model:
    """A trainable stack of layers (Keras ``keras.Model``); see :class:`Sequential`.

    Attributes:
        optimizer, loss: what :meth:`compile` was given (optimizer resolved to an object).
        stop_training: set it to True from a callback to end ``fit`` after the current batch.
        history: the :class:`~minikeras.callbacks.History` of the last ``fit``.
    """

    def __init__(self, name=None):
        self.name = name
        self.optimizer = None
        self.loss = None
        self.compiled_metrics = []
        self.stop_training = False
        self.history = None
        self._metric_fns = None  # [(name, fn)], resolved on the first batch of targets
        self._means = RunningMeans()

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, **kwargs):
        """Chooses the optimizer, the loss and the metrics to report.

        Args:
            optimizer: name (``'rmsprop'``) or optimizer object.
            loss: name (``'categorical_crossentropy'``) or function ``f(y_true, y_pred)``.
            metrics: list of names (``'accuracy'``, ``'mse'``) or functions ``f(y_true, y_pred)``.
            loss_weights: accepted for compatibility; a single-output model has one loss, so
                only a single number (or a one-element list/dict) is meaningful: it scales the loss.
            **kwargs: ``weighted_metrics``, ``sample_weight_mode``, ``run_eagerly``, ... are accepted
                and ignored, as they change nothing for a NumPy Sequential model.

        Raises:
            ValueError: for a missing or unknown loss, optimizer or metric name.
        """
        if loss is None:
            raise ValueError("compile() needs a loss, e.g. loss='categorical_crossentropy'.")
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._loss_fn = losses.get(loss)
        self._loss_grad = losses.gradient(self._loss_fn)
        self._loss_scale = _single_loss_weight(loss_weights)
        metrics = [] if metrics is None else list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
        for m in metrics:
            if isinstance(m, str) and m.lower() not in ("accuracy", "acc", "crossentropy", "ce"):
                metrics_module.get(m)  # fail now on an unknown name, not at the first batch
        self.compiled_metrics = metrics
        self._metric_fns = None
        self._fused = None

    @property
    def metrics_names(self):
        """``['loss', <metric log names>...]``: the keys of the logs and of ``evaluate``'s list."""
        if self.optimizer is None:
            return []
        if self._metric_fns is not None:
            return ["loss"] + [name for name, _ in self._metric_fns]
        return ["loss"] + [m if isinstance(m, str) else getattr(m, "__name__", type(m).__name__)
                           for m in self.compiled_metrics]

    def _check_compiled(self, what):
        if self.optimizer is None:
            raise RuntimeError(f"You must compile your model before {what}: call model.compile(optimizer, loss).")

    def _prepare_step(self, y, y_pred):
        """On the first batch: resolve 'accuracy' & co. from the shapes, and decide fusion."""
        if self._metric_fns is None:
            self._metric_fns = [metrics_module.resolve(m, y, y_pred) for m in self.compiled_metrics]
            out = self._output_layer()
            activation = getattr(out, "activation", None)
            can_fuse = (hasattr(out, "backward_from_logits") and activation is not None and not out.uses_tape
                        and out.activity_regularizer is None)
            self._fused = losses.fused(self._loss_fn, activation) if can_fuse else None
            self._fused_metrics = {name: losses.fused(fn, activation) if can_fuse else None
                                   for name, fn in self._metric_fns}

    # ------------------------------------------------------------------ one step
    def _loss_and_grad(self, y, y_pred, sample_weight, need_grad):
        """Returns ``(batch_loss, dL/d(output or logits))``.

        ``batch_loss = sum_i(w_i * l_i) / n`` (tf_keras's ``sum_over_batch_size``), plus the
        layers' regularization penalties. With a softmax/sigmoid output and a crossentropy
        loss, both are computed from the logits, as tf_keras does.
        """
        if self._fused is not None:
            value_fn, grad_fn = self._fused
            logits = self._output_layer()._z
            per_sample = value_fn(y, logits)                      # (B,)
            grad = grad_fn(y, logits) if need_grad else None      # (B, classes)
        else:
            per_sample = self._loss_fn(y, y_pred)                 # (B,)
            grad = self._loss_grad(y, y_pred) if need_grad else None
        scale = self._loss_scale / per_sample.size
        if sample_weight is not None:
            w = sample_weight.reshape((-1,) + (1,) * (per_sample.ndim - 1))
            per_sample = per_sample * w
            if need_grad:
                grad = grad * w.reshape((-1,) + (1,) * (grad.ndim - 1))
        batch_loss = float(np.sum(per_sample, dtype=np.float32)) * scale
        batch_loss += sum(self.losses)  # weight penalties and add_loss terms, unscaled (as tf_keras)
        if need_grad:
            grad = grad * np.float32(scale)
        return batch_loss, grad

    def _update_means(self, y, y_pred, batch_loss):
        """Adds this batch to the running means of the loss and of every metric."""
        n = len(y)
        self._means.update("loss", batch_loss * n, n)
        for name, fn in self._metric_fns:
            fused = self._fused_metrics[name]
            values = fused[0](y, self._output_layer()._z) if fused else fn(y, y_pred)
            values = np.asarray(values, dtype=np.float64)
            self._means.update(name, float(values.sum()), values.size)
        return self._means.result()

    def _train_step(self, x, y, sample_weight=None):
        """Forward, loss, backward and one optimizer update on a batch; returns the running means."""
        y_pred = self._forward(x, training=True)
        self._prepare_step(y, y_pred)
        batch_loss, grad = self._loss_and_grad(y, y_pred, sample_weight, need_grad=True)
        self._backward(grad, from_logits=self._fused is not None)
        self.optimizer.apply_gradients(self._grads_and_vars())
        for layer in self.layers:
            layer.apply_constraints()                             # kernel_constraint & co., after the update
        return self._update_means(y, y_pred, batch_loss)

    def _test_step(self, x, y, sample_weight=None):
        """Forward and loss (no update) on a batch; returns the running means."""
        y_pred = self._forward(x, training=False)
        self._prepare_step(y, y_pred)
        batch_loss, _ = self._loss_and_grad(y, y_pred, sample_weight, need_grad=False)
        return self._update_means(y, y_pred, batch_loss)

    @property
    def losses(self):
        """Every layer's loss terms (weight penalties, ``add_loss`` terms of the last call), as floats."""
        return [loss for layer in self.layers for loss in layer.losses]

    def reset_metrics(self):
        """Starts new running means (called at every epoch and evaluation start)."""
        self._means.reset()

    # ------------------------------------------------------------------ single batches
    def train_on_batch(self, x, y, sample_weight=None, class_weight=None, reset_metrics=True, return_dict=False):
        """Runs one training step on one batch.

        Returns:
            The loss (float) or ``[loss, metrics...]`` (a dict with ``return_dict=True``).
        """
        self._check_compiled("training")
        x, y, w = self._standardize(x, y, sample_weight, class_weight)
        if reset_metrics:
            self.reset_metrics()
        return _format_results(self._train_step(x, y, w), return_dict)

    def test_on_batch(self, x, y, sample_weight=None, reset_metrics=True, return_dict=False):
        """Evaluates one batch (no weight update); returns like :meth:`train_on_batch`."""
        self._check_compiled("evaluation")
        x, y, w = self._standardize(x, y, sample_weight, None)
        if reset_metrics:
            self.reset_metrics()
        return _format_results(self._test_step(x, y, w), return_dict)

    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch ``x``."""
        x = data.as_float_array(x, "x")
        self._check_input(x)
        return self._forward(x, training=False)

    # ------------------------------------------------------------------ the loops
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
            **kwargs):
        """Trains the model; see :func:`minikeras.models.training.fit`."""
        return training.fit(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                            callbacks=callbacks, validation_split=validation_split,
                            validation_data=validation_data, shuffle=shuffle, class_weight=class_weight,
                            sample_weight=sample_weight, initial_epoch=initial_epoch,
                            steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
                            validation_batch_size=validation_batch_size, validation_freq=validation_freq,
                            **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metrics on ``(x, y)``; see :func:`minikeras.models.training.evaluate`."""
        return training.evaluate(self, x, y, batch_size=batch_size, verbose=verbose, sample_weight=sample_weight,
                                 steps=steps, callbacks=callbacks, return_dict=return_dict, **kwargs)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """Returns the outputs for ``x``; see :func:`minikeras.models.training.predict`."""
        return training.predict(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                                callbacks=callbacks, **kwargs)


    # ------------------------------------------------------------------ Keras 2 generator API
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, **kwargs):
        """Keras 2's ``fit_generator``: trains on batches from a generator or ``utils.Sequence``."""
        from . import generators
        return generators.fit_generator(self, generator, steps_per_epoch=steps_per_epoch, epochs=epochs, **kwargs)

    def evaluate_generator(self, generator, steps=None, **kwargs):
        """Keras 2's ``evaluate_generator``."""
        from . import generators
        return generators.evaluate_generator(self, generator, steps=steps, **kwargs)

    def predict_generator(self, generator, steps=None, **kwargs):
        """Keras 2's ``predict_generator``."""
        from . import generators
        return generators.predict_generator(self, generator, steps=steps, **kwargs)

    # ------------------------------------------------------------------ saving (see minikeras.saving)
    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        """Saves architecture, weights and optimizer state to an HDF5 file Keras 2 can open."""
        from .. import saving
        saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights to an HDF5 file in Keras 2's layout."""
        from .. import saving
        saving.save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False, **kwargs):
        """Loads weights saved by :meth:`save_weights` or :meth:`save` (here or by Keras)."""
        from .. import saving
        return saving.load_weights(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """Returns the architecture as a Keras JSON string (see ``models.model_from_json``)."""
        from .. import saving
        return saving.model_to_json(self, **kwargs)


def _single_loss_weight(loss_weights):
    if loss_weights is None:
        return 1.0
    if isinstance(loss_weights, dict):
        loss_weights = list(loss_weights.values())
    if isinstance(loss_weights, (list, tuple)):
        if len(loss_weights) != 1:
            raise ValueError(f"loss_weights has {len(loss_weights)} entries, but a Sequential model has one "
                             f"output: pass one number.")
        loss_weights = loss_weights[0]
    return float(loss_weights)


def _format_results(logs, return_dict):
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
