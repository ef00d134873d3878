"""The loops behind ``fit``, ``evaluate`` and ``predict``, read top to bottom.

Every callback hook is called on its own line, in the order tf_keras 2.21 calls it (recorded
in ``tests/models/test_hook_order.py``). Compared with Keras 2.2.4's ``fit_loop``:

* validation runs through ``evaluate``'s loop, so callbacks see ``on_test_*`` hooks, and it
  runs even for an epoch that a callback stopped early;
* batch logs hold *running means* since the epoch began (plus 2.2.4's ``batch``/``size``);
* ``on_train_end`` receives the last epoch's logs instead of ``{}``.
"""
import numbers
import warnings

import numpy as np

from ..callbacks.callback_list import CallbackList
from . import arguments, batching, data


def fit(model, x, y, batch_size=None, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
        validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
        steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1, **kwargs):
    """Trains ``model`` for ``epochs`` epochs on ``(x, y)``.

    Args:
        model: a compiled model.
        x: inputs, shape ``(samples, features...)``.
        y: targets, one row per sample.
        batch_size: samples per gradient update (default 32).
        epochs: index of the last epoch (training runs epochs ``initial_epoch .. epochs-1``).
        verbose: 0 = silent, 1 = progress bar, 2 = one line per epoch (``'auto'`` = 1).
        callbacks: list of :class:`~minikeras.callbacks.Callback`.
        validation_split: fraction in ``[0, 1)`` of the LAST rows held out for validation.
        validation_data: ``(x_val, y_val)`` or ``(x_val, y_val, sample_weight_val)``; wins
            over ``validation_split``.
        shuffle: True (each epoch), False, or ``'batch'``.
        class_weight: ``{class: weight}`` multiplying each sample's loss.
        sample_weight: one weight per sample.
        initial_epoch: epoch to start at (for resuming).
        steps_per_epoch: batches per epoch (default: one full pass).
        validation_steps: ignored for arrays (validation always uses all its rows).
        validation_batch_size: batch size for validation (default ``batch_size``).
        validation_freq: validate every N epochs (int) or at the listed 1-based epochs.

    Returns:
        History: ``history.history`` maps each log key to its per-epoch values.

    Raises:
        ValueError, TypeError: for bad arguments or data, before any training.
    """
    model._check_compiled("training")
    arguments.check_ignored_kwargs(kwargs)
    verbose = arguments.check_verbose(verbose)
    batch_size = data.check_batch_size(batch_size)
    epochs = arguments.check_int(epochs, "epochs", minimum=0)
    initial_epoch = arguments.check_int(initial_epoch, "initial_epoch", minimum=0)
    data.check_validation_split(validation_split)
    if steps_per_epoch is not None:
        steps_per_epoch = arguments.check_steps(steps_per_epoch, "steps_per_epoch")
    arguments.check_validation_freq(validation_freq)

    x, y, sample_weight = model._standardize(x, y, sample_weight, class_weight)
    val = None
    if validation_data is not None:
        x_val, y_val, w_val = data.unpack_validation_data(validation_data)
        val = model._standardize(x_val, y_val, w_val, None, "validation_data x", "validation_data y")
    elif validation_split > 0:
        (x, y, sample_weight), val = data.split_validation(x, y, sample_weight, validation_split)
    batches = batching.BatchStream(x, y, sample_weight, batch_size, shuffle, steps_per_epoch,
                               passes=max(epochs - initial_epoch, 1))
    val_batch_size = data.check_batch_size(batch_size if validation_batch_size is None else validation_batch_size,
                                           "validation_batch_size")
    val_batches = None if val is None else batching.ArrayBatches(*val, val_batch_size)
    return fit_loop(model, batches, val_batches, epochs, verbose, callbacks, initial_epoch, validation_freq)


def fit_loop(model, batches, val_batches, epochs, verbose, callbacks, initial_epoch, validation_freq):
    """The training loop proper: epochs, batches, validation, and every hook in order.

    Args:
        model: the compiled model.
        batches: has ``steps`` (batches per epoch), ``epoch()`` (an iterator of
            ``(x, y, sample_weight)`` batches for the next epoch) and ``close()`` (called once
            the loop ends); see ``batching.BatchStream``.
        val_batches: None, or a re-iterable of validation batches (``batching.ArrayBatches``).
        epochs: index of the last epoch, as in :func:`fit`.
        verbose: 0, 1 or 2 (adds a ``ProgbarLogger`` unless 0).
        callbacks: the user's list of callbacks.
        initial_epoch: the first epoch to run (a callback may move it in ``on_train_begin``).
        validation_freq: validate every N epochs, or at the listed 1-based epochs.

    Returns:
        History: ``model.history``.
    """
    callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                             verbose=verbose, epochs=epochs, steps=batches.steps)
    for cb in callbacks:  # Keras 2.2.4 gave callbacks the validation arrays; tf_keras leaves None
        cb.validation_data = val_batches.v2_validation_data() if hasattr(val_batches, "v2_validation_data") else None
    model.stop_training = False
    try:
        return _run_epochs(model, batches, val_batches, epochs, callbacks, initial_epoch, validation_freq)
    finally:   # however fit ends (a callback raising, Ctrl-C): close files, free the batch caches
        try:
            callbacks.close()
        finally:                   # even if closing a callback's file failed:
            batches.close()        # this fit's shuffled copy of the data goes now
            model.release_cache()  # the last batch is a view of that copy: let it go


def _run_epochs(model, batches, val_batches, epochs, callbacks, initial_epoch, validation_freq):
    """The body of :func:`fit_loop`: ``on_train_begin`` .. ``on_train_end``."""
    callbacks.on_train_begin()
    # Resuming after a crash (tf_keras's fault tolerance): BackupAndRestore.on_train_begin restores
    # a backup and sets model.resume_point = (epoch, batches of that epoch already trained).
    initial_epoch, skip_steps = model.resume_point or (initial_epoch, 0)
    model.resume_point = None
    logs = {}
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        callbacks.on_epoch_begin(epoch)
        epoch_batches = batches.epoch()
        for step in range(batches.steps):
            batch = next(epoch_batches, None)
            if batch is None:
                _warn_ran_out_of_data(batches.steps, epochs)
                model.stop_training = True
                break
            if step < skip_steps:  # trained before the interruption: fetched (same order), not trained
                continue
            x_batch, y_batch, w_batch = batch
            callbacks.on_train_batch_begin(step, {"batch": step, "size": batching.num_samples(x_batch)})
            logs = model._train_step(x_batch, y_batch, w_batch)
            callbacks.on_train_batch_end(step, {"batch": step, "size": batching.num_samples(x_batch), **logs})
            if model.stop_training:
                break
        epoch_logs = dict(logs)
        if val_batches is not None and _should_validate(epoch, validation_freq):
            val_logs = test_loop(model, val_batches, callbacks)
            epoch_logs.update({"val_" + name: value for name, value in val_logs.items()})
        callbacks.on_epoch_end(epoch, epoch_logs)
        logs, skip_steps = epoch_logs, 0
        if model.stop_training:
            break
    callbacks.on_train_end(logs)
    return model.history


def test_loop(model, batches, callbacks):
    """Evaluates batch by batch; returns the final logs (names without ``val_``).

    Args:
        model: the compiled model.
        batches: an iterable of ``(x, y, sample_weight)`` batches.
        callbacks: the CallbackList (``fit``'s own during validation).
    """
    model.reset_metrics()
    callbacks.on_test_begin()
    logs = {}
    for step, (x_batch, y_batch, w_batch) in enumerate(batches):
        callbacks.on_test_batch_begin(step, {"batch": step, "size": batching.num_samples(x_batch)})
        logs = model._test_step(x_batch, y_batch, w_batch)
        callbacks.on_test_batch_end(step, {"batch": step, "size": batching.num_samples(x_batch), **logs})
    callbacks.on_test_end(logs)
    return logs


def predict_loop(model, x_batches, callbacks):
    """Runs the model forward batch by batch; returns the concatenated outputs.

    Args:
        model: the model.
        x_batches: an iterable of input batches.
        callbacks: the CallbackList.
    """
    outputs = []
    callbacks.on_predict_begin()
    for step, x_batch in enumerate(x_batches):
        callbacks.on_predict_batch_begin(step, {"batch": step, "size": batching.num_samples(x_batch)})
        batch_outputs = model._forward(x_batch, training=False)
        callbacks.on_predict_batch_end(step, {"batch": step, "size": batching.num_samples(x_batch), "outputs": batch_outputs})
        outputs.append(batch_outputs)
    callbacks.on_predict_end()
    if outputs and isinstance(outputs[0], list):  # several outputs: one array each
        return [np.concatenate(column, axis=0) for column in zip(*outputs)]
    return np.concatenate(outputs, axis=0)


def evaluate(model, x, y, batch_size=None, verbose=1, sample_weight=None, steps=None, callbacks=None,
             return_dict=False, **kwargs):
    """Returns the loss (and metrics) of ``model`` on ``(x, y)`` (with ``steps``, on its first ``steps``
    batches only, as tf_keras).

    Returns:
        float ``loss`` if there are no metrics, else ``[loss, metric...]`` in
        ``model.metrics_names`` order; a dict with ``return_dict=True``.
    """
    model._check_compiled("evaluating")
    arguments.check_ignored_kwargs(kwargs)
    verbose = arguments.check_verbose(verbose)
    batch_size = data.check_batch_size(batch_size)
    x, y, sample_weight = model._standardize(x, y, sample_weight, None)
    if steps is not None:                      # tf_keras: only the first `steps` batches
        first = slice(0, arguments.check_steps(steps, "steps") * batch_size)
        x, y, sample_weight = (batching.rows(a, first) for a in (x, y, sample_weight))
    callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
                             steps=batching.num_batches(batching.num_samples(x), batch_size))
    logs = test_loop(model, batching.ArrayBatches(x, y, sample_weight, batch_size), callbacks)
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def predict(model, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
    """Returns the outputs of ``model`` for ``x``, computed in batches of ``batch_size`` (with ``steps``,
    for the first ``steps`` batches only, as tf_keras)."""
    arguments.check_ignored_kwargs(kwargs)
    verbose = arguments.check_verbose(verbose)
    batch_size = data.check_batch_size(batch_size)
    x = model._standardize_x(x)
    if steps is not None:                      # tf_keras: only the first `steps` batches
        x = batching.rows(x, slice(0, arguments.check_steps(steps, "steps") * batch_size))
    n = batching.num_samples(x)
    callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
                             steps=batching.num_batches(n, batch_size))
    return predict_loop(model, (batching.rows(x, s) for s in batching.batch_slices(n, batch_size)), callbacks)


# ---------------------------------------------------------------------- loop helpers
def _should_validate(epoch, validation_freq):
    if isinstance(validation_freq, numbers.Integral):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq


def _warn_ran_out_of_data(steps, epochs):
    warnings.warn(f"Your input ran out of data; interrupting training. Make sure that your dataset can "
                  f"generate at least `steps_per_epoch * epochs` batches (in this case, {steps * epochs} "
                  f"batches).", stacklevel=3)
