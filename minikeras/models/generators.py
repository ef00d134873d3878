"""Training on batches from a Python generator or a ``keras.utils.Sequence`` (Keras 2's ``*_generator``).

There is no second training loop here: the batches are checked with ``model._standardize`` and
handed to the same :func:`~minikeras.models.training.fit_loop`, ``test_loop`` and ``predict_loop``
that arrays use. What is specific to generators:

* a generator yields ``(x, y)`` or ``(x, y, sample_weight)`` batches (for predict, ``x`` alone is fine);
* ``steps_per_epoch`` (and ``validation_steps``, ``steps``) is required for a plain generator, which
  has no length, and defaults to ``len(sequence)`` for a ``Sequence``;
* a plain generator is never restarted: each epoch takes the next ``steps_per_epoch`` batches;
  a ``Sequence`` starts again at batch 0 each epoch (shuffled when ``shuffle=True``; asking for
  more steps than ``len(sequence)`` runs out of data), and its ``on_epoch_end()`` is called after
  each epoch, after each validation pass, and after ``evaluate``/``predict``, as tf_keras 2.21
  does (recorded in ``tests/models/test_generators.py``).

``max_queue_size``, ``workers`` and ``use_multiprocessing`` are accepted and ignored: batches are
produced one at a time in the main thread, so results never depend on thread timing.
"""
import itertools
import reprlib

from .. import backend
from ..callbacks.callback import Callback
from ..callbacks.callback_list import CallbackList
from ..utils.data_utils import Sequence
from . import arguments, batching, data, training


def is_sequence(x):
    """True for ``keras.utils.Sequence``-like objects: ``__getitem__``, ``__len__`` and ``on_epoch_end``.

    A ``utils.Sequence`` subclass counts even when it is also an iterator (``ImageDataGenerator.flow``'s
    ``NumpyArrayIterator`` is both, as in Keras): ``fit`` then indexes its batches, one epoch at a time.
    """
    return isinstance(x, Sequence) or (arguments.is_generator_input(x) and not hasattr(x, "__next__"))


class GeneratorBatches:
    """Checked ``(x, y, sample_weight)`` batches from a generator or a ``Sequence``.

    ``fit_loop`` uses ``steps`` and ``epoch()``; iterating the object directly (validation,
    ``evaluate``) yields one epoch of batches and then calls ``Sequence.on_epoch_end()``.

    Args:
        model: the model (its ``_standardize`` checks every batch).
        source: a generator/iterator or a Sequence.
        steps: batches per epoch; None means ``len(source)`` (Sequence only).
        argument: the name of the steps argument, for error messages.
        class_weight: optional ``{class: weight}`` applied to every batch.
        shuffle: shuffle the order of a Sequence's batches each epoch.

    Raises:
        ValueError: if ``steps`` is None for a plain generator, or not a positive int.
    """

    def __init__(self, model, source, steps, argument, class_weight=None, shuffle=False):
        self.model = model
        self.source = source
        self.is_sequence = is_sequence(source)
        self.steps = _resolve_steps(source, steps, argument, self.is_sequence)
        self.class_weight = class_weight
        self.shuffle = bool(shuffle) and self.is_sequence
        self._iterator = None if self.is_sequence else iter(source)

    def raw_epoch(self):
        """Returns an iterator over the next epoch's batches, as the source yields them."""
        if not self.is_sequence:
            return itertools.islice(self._iterator, self.steps)  # continues where the last epoch stopped
        n = len(self.source)
        order = backend.rng().permutation(n) if self.shuffle else range(n)
        return (self.source[int(i)] for i in itertools.islice(order, self.steps))

    def epoch(self):
        """Returns an iterator over the next epoch's checked ``(x, y, sample_weight)`` batches."""
        for batch in self.raw_epoch():
            x, y, w = unpack_batch(batch)
            yield self.model._standardize(x, y, w, self.class_weight, "x (from the generator)",
                                          "y (from the generator)")

    def __iter__(self):
        yield from self.epoch()
        if self.is_sequence:
            self.source.on_epoch_end()

    def close(self):
        """Nothing to free when fit ends: the generator is the caller's, and stays open for
        another ``fit`` (as in Keras)."""


class SequenceEpochEnd(Callback):
    """Calls ``sequence.on_epoch_end()`` after each training epoch (after your callbacks' ``on_epoch_end``).

    As in tf_keras, it is not called for an epoch in which training was stopped.
    """

    def __init__(self, sequence):
        super().__init__()
        self.sequence = sequence

    def on_epoch_end(self, epoch, logs=None):
        if not self.model.stop_training:
            self.sequence.on_epoch_end()


def unpack_batch(batch):
    """Returns ``(x, y, sample_weight)`` from a generator's ``(x, y)`` or ``(x, y, sample_weight)``.

    Raises:
        ValueError: for anything else (Keras 2's message, plus the fix).
    """
    if not isinstance(batch, (tuple, list)) or len(batch) not in (2, 3):
        raise ValueError("Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: "
                         f"{reprlib.repr(batch)}. Make the generator `yield x_batch, y_batch`.")
    return batch[0], batch[1], batch[2] if len(batch) == 3 else None


# ------------------------------------------------------------------------- fit / evaluate / predict
def fit(model, x, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
        validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
        steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
        max_queue_size=10, workers=1, use_multiprocessing=False):
    """``model.fit(generator_or_sequence, ...)``: trains on the batches ``x`` yields.

    ``batch_size`` is ignored (the generator chooses it), except as the batch size for array
    ``validation_data``. Other arguments are as in :func:`minikeras.models.training.fit`.

    Returns:
        History.

    Raises:
        ValueError: for ``y``, ``sample_weight`` or ``validation_split`` (the generator provides
            them), or a missing ``steps_per_epoch``/``validation_steps`` for plain generators.
    """
    model._check_compiled("training")
    _reject_array_arguments(y=y, sample_weight=sample_weight, validation_split=validation_split)
    verbose = arguments.check_verbose(verbose)
    epochs = arguments.check_int(epochs, "epochs", minimum=0)
    initial_epoch = arguments.check_int(initial_epoch, "initial_epoch", minimum=0)
    arguments.check_validation_freq(validation_freq)
    batches = GeneratorBatches(model, x, steps_per_epoch, "steps_per_epoch", class_weight, shuffle)
    val_batches = _validation_batches(model, validation_data, validation_steps, validation_batch_size or batch_size)
    if batches.is_sequence:
        callbacks = _as_list(callbacks) + [SequenceEpochEnd(x)]
    return training.fit_loop(model, batches, val_batches, epochs, verbose, callbacks, initial_epoch, validation_freq)


def evaluate(model, x, y=None, batch_size=None, verbose=1, sample_weight=None, steps=None, callbacks=None,
             return_dict=False, max_queue_size=10, workers=1, use_multiprocessing=False):
    """``model.evaluate(generator_or_sequence, steps=...)``: loss and metrics over ``steps`` batches.

    Returns:
        The loss, or ``[loss, metrics...]``, or a dict with ``return_dict=True``.
    """
    model._check_compiled("evaluating")
    _reject_array_arguments(y=y, sample_weight=sample_weight)
    verbose = arguments.check_verbose(verbose)
    batches = GeneratorBatches(model, x, steps, "steps")
    callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
                             steps=batches.steps)
    return arguments.format_results(training.test_loop(model, batches, callbacks), return_dict)


def predict(model, x, batch_size=None, verbose=0, steps=None, callbacks=None, max_queue_size=10, workers=1,
            use_multiprocessing=False):
    """``model.predict(generator_or_sequence, steps=...)``: outputs for ``steps`` batches, concatenated.

    Each batch may be ``x`` alone or a tuple ``(x, y)`` / ``(x, y, sample_weight)`` (targets ignored).
    """
    verbose = arguments.check_verbose(verbose)
    batches = GeneratorBatches(model, x, steps, "steps")
    callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
                             steps=batches.steps)

    def inputs():
        for batch in batches.raw_epoch():
            if isinstance(batch, tuple):
                if len(batch) not in (1, 2, 3):
                    raise ValueError(f"Output of generator should be `x`, `(x, y)` or `(x, y, sample_weight)`. "
                                     f"Found a tuple of length {len(batch)}.")
                batch = batch[0]
            yield model._standardize_x(batch, "x (from the generator)")
        if batches.is_sequence:
            x.on_epoch_end()
    return training.predict_loop(model, inputs(), callbacks)


# ------------------------------------------------------------------------- Keras 2's *_generator methods
def fit_generator(model, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                  validation_data=None, validation_steps=None, validation_freq=1, class_weight=None,
                  max_queue_size=10, workers=1, use_multiprocessing=False, shuffle=True, initial_epoch=0):
    """Keras 2's ``model.fit_generator``: the same as ``model.fit(generator, ...)``.

    >>> import numpy as np
    >>> from minikeras.models import Sequential
    >>> from minikeras.layers import Dense
    >>> model = Sequential([Dense(1, input_dim=2)])
    >>> model.compile(optimizer='sgd', loss='mse')
    >>> def batches():
    ...     while True:
    ...         yield np.ones((4, 2)), np.zeros((4, 1))
    >>> len(model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0).history['loss'])
    2
    """
    _check_source(generator, "generator")
    return fit(model, generator, epochs=epochs, verbose=verbose, callbacks=callbacks,
               validation_data=validation_data, shuffle=shuffle, class_weight=class_weight,
               initial_epoch=initial_epoch, steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
               validation_freq=validation_freq)


def evaluate_generator(model, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                       use_multiprocessing=False, verbose=0):
    """Keras 2's ``model.evaluate_generator`` (silent by default, as in Keras 2)."""
    _check_source(generator, "generator")
    return evaluate(model, generator, steps=steps, callbacks=callbacks, verbose=verbose)


def predict_generator(model, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, verbose=0):
    """Keras 2's ``model.predict_generator``."""
    _check_source(generator, "generator")
    return predict(model, generator, steps=steps, callbacks=callbacks, verbose=verbose)


# ------------------------------------------------------------------------- checks
def _resolve_steps(source, steps, argument, sequence):
    if steps is None:
        if not sequence:
            raise ValueError(f"`{argument}=None` is only valid for a keras.utils.Sequence, which has a length; a "
                             f"generator does not. Pass {argument}=<number of batches>, or use a Sequence.")
        steps = len(source)
        if steps == 0:
            raise ValueError(f"The Sequence is empty (len() == 0): it has no batches for {argument}.")
    return arguments.check_steps(steps, argument)


def _validation_batches(model, validation_data, validation_steps, batch_size):
    if validation_data is None:
        return None
    if arguments.is_generator_input(validation_data):
        return GeneratorBatches(model, validation_data, validation_steps, "validation_steps")
    x_val, y_val, w_val = data.unpack_validation_data(validation_data)
    val = model._standardize(x_val, y_val, w_val, None, "validation_data x", "validation_data y")
    return batching.ArrayBatches(*val, data.check_batch_size(batch_size, "validation_batch_size"))


def _reject_array_arguments(**arguments):
    for name, value in arguments.items():
        if value is not None and not (name == "validation_split" and value == 0):
            raise ValueError(f"`{name}` is not supported when x is a generator or a Sequence: yield "
                             f"(x, y) or (x, y, sample_weight) batches from it instead"
                             + (" and pass validation_data." if name == "validation_split" else "."))


def _check_source(generator, argument):
    if callable(generator) and not arguments.is_generator_input(generator):
        raise TypeError(f"{argument} is a function ({getattr(generator, '__name__', generator)!r}); call it to "
                        f"get a generator, e.g. fit_generator(my_generator(), steps_per_epoch=...).")
    if not arguments.is_generator_input(generator):
        raise TypeError(f"{argument} must be a generator (yielding (x, y) batches) or a keras.utils.Sequence, "
                        f"got {type(generator).__name__}. For arrays use fit/evaluate/predict.")


def _as_list(callbacks):
    if isinstance(callbacks, CallbackList):
        return list(callbacks.callbacks)
    if callbacks is None or isinstance(callbacks, (list, tuple)):
        return list(callbacks or [])
    raise TypeError(f"callbacks must be a list of Callback objects, got {type(callbacks).__name__}.")
