"""``Model``: compile, and the entry points of the loops (``fit``, ``evaluate``, ``predict``, single batches).

One training step (forward, loss, backward, update) is :class:`~minikeras.models.train_step.TrainStep`;
the graph itself (layers, weights, use as a layer) is :class:`~minikeras.models.network.Network`;
:class:`~minikeras.models.Sequential` grows one layer by layer; the loops themselves, with every
callback hook in order, are in :mod:`minikeras.models.training`.
"""
from .. import optimizers
from . import arguments, compiled, compiled_metrics, graph_config, standardize, trainable_state, training
from .network import Network
from .resume_state import ResumeState
from .running_means import RunningMeans
from .train_step import TrainStep


# compile() arguments of Keras 2 / tf_keras that change nothing for a NumPy model.
_IGNORED_COMPILE_ARGUMENTS = ("sample_weight_mode", "run_eagerly", "steps_per_execution", "jit_compile",
                              "pss_evaluation_shards", "experimental_run_tf_function", "cloning",
                              "target_tensors", "distribute")


class Model(TrainStep, ResumeState, Network):
    """A graph of layers that trains (Keras ``keras.Model``); :class:`Sequential` is one grown layer by layer.

    Args:
        inputs: the model's input(s): a KerasTensor from :func:`~minikeras.layers.Input`, a list
            or a dict of them.
        outputs: the output(s): KerasTensors computed from ``inputs`` by calling layers.
        name: model name; default ``model``, ``model_1``, ...
        **kwargs: ``trainable`` (and the other :class:`~minikeras.layers.Layer` arguments).

    Attributes:
        optimizer, loss: what :meth:`compile` was given (optimizer resolved to an object).
        stop_training: set it to True from a callback to end ``fit`` after the current batch.
        history: the :class:`~minikeras.callbacks.History` of the last ``fit``.

    Raises:
        TypeError: without ``inputs``/``outputs`` (minikeras has no subclassed models).
        ValueError: if the outputs cannot be computed from the inputs.

    The training loop relies on these methods of a model (the *model contract*): ``_standardize``
    (checked arrays), ``_train_step`` / ``_test_step`` (one batch, returning the running means),
    ``_forward`` (predictions), ``reset_metrics`` and ``layers`` (for ``release_cache``).

    >>> from minikeras.layers import Input, Dense
    >>> x = Input(shape=(3,))
    >>> model = Model(x, Dense(2)(x))
    >>> [layer.__class__.__name__ for layer in model.layers]
    ['InputLayer', 'Dense']
    """

    adds_its_layers_later = False   # True for Sequential, whose graph grows with each add()

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.optimizer = None
        self.loss = None
        self.loss_weights = None
        self.compiled_metrics = []
        self.weighted_metrics = None
        self.stop_training = False
        self.history = None
        self._targets = None  # one compiled.OutputTarget per output, made by compile()
        self._fused_outputs = ()
        self._means = RunningMeans()
        self._resume_point = None
        self._graph = None
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("Model(inputs, outputs) needs both inputs= and outputs=.")
            self._init_graph(inputs, outputs)
        elif not self.adds_its_layers_later:
            raise TypeError(_needs_a_graph(type(self)))

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, weighted_metrics=None,
                **kwargs):
        """Chooses the optimizer, the loss(es) and the metrics to report.

        Args:
            optimizer: name (``'rmsprop'``) or optimizer object.
            loss: name (``'categorical_crossentropy'``) or function ``f(y_true, y_pred)``; for a
                model with several outputs, one for all, a list (output order) or a dict by output name.
            metrics: list of names (``'accuracy'``, ``'mse'``, ``'AUC'``), functions ``f(y_true, y_pred)``
                or metric objects (``metrics.AUC()``); with several outputs also a list of lists or
                a dict by output name. Computed without sample weights.
            loss_weights: one weight per output (list or dict): the total loss is
                ``sum(weight * output_loss)``.
            weighted_metrics: like ``metrics``, computed with ``sample_weight``/``class_weight``
                (logged as ``weighted_<name>`` when ``metrics`` has the name already).
            **kwargs: Keras's ``sample_weight_mode``, ``run_eagerly``, ``steps_per_execution``,
                ``jit_compile`` are accepted and ignored, as they change nothing for a NumPy model.

        Raises:
            ValueError: for a missing or unknown loss, optimizer or metric name, or two metrics
                with one name.
            TypeError: for another keyword (a misspelt ``metric=`` would otherwise pass silently).
        """
        unknown = sorted(set(kwargs) - set(_IGNORED_COMPILE_ARGUMENTS))
        for name in ("target_tensors", "distribute"):
            if kwargs.get(name) is not None:
                raise ValueError(f"minikeras has no {name} in compile(); leave it None.")
        if unknown:
            raise TypeError(f"Invalid keyword argument(s) in compile(): {unknown}. compile() takes optimizer, "
                            f"loss, metrics, loss_weights, weighted_metrics (and, ignored here, "
                            f"{', '.join(_IGNORED_COMPILE_ARGUMENTS)}).")
        if loss is None:
            raise ValueError("compile() needs a loss, e.g. loss='categorical_crossentropy'.")
        names = self._output_names_for_compile()
        losses_ = compiled.per_output(loss, names, "loss")
        for name, fn in zip(names, losses_):
            if fn is None:
                raise ValueError(f"compile() got no loss for output {name!r}; give every output a loss.")
        weights = compiled.loss_weights_per_output(loss_weights, names)
        per = compiled.spread_metrics(metrics, names, "metrics")
        weighted = compiled.spread_metrics(weighted_metrics, names, "weighted_metrics")
        targets = [compiled.OutputTarget(*args) for args in zip(names, losses_, weights, per, weighted)]
        compiled_metrics.set_names(targets, len(names) > 1)
        self._targets = targets
        self.optimizer = optimizers.get(optimizer)
        self.loss, self.loss_weights, self.weighted_metrics = loss, loss_weights, weighted_metrics
        metrics = [] if metrics is None else metrics
        self.compiled_metrics = metrics if isinstance(metrics, dict) else list(metrics) \
            if isinstance(metrics, (list, tuple)) else [metrics]
        self._compiled_trainable_state = trainable_state.trainable_state(self)   # fit() trains these layers

    def _output_names_for_compile(self):
        return list(self.output_names)

    @property
    def metrics_names(self):
        """``['loss', <output losses>..., <metric log names>...]``: the keys of the logs and of ``evaluate``."""
        return compiled.metric_names(self._targets) if self.optimizer is not None else []

    def _check_compiled(self, what):
        if self.optimizer is None:
            raise RuntimeError(f"You must compile your model before {what}: call model.compile(optimizer, loss).")

    # ------------------------------------------------------------------ data (see standardize.py)
    def _standardize(self, x, y, sample_weight, class_weight, name_x="x", name_y="y"):
        """Converts and checks ``x``, ``y`` and the weights (lists for several inputs/outputs)."""
        return standardize.standardize(self, x, y, sample_weight, class_weight, name_x, name_y)

    def _standardize_x(self, x, name_x="x"):
        """Converts and checks the inputs ``x`` alone (for ``predict``)."""
        return standardize.standardize_x(self, x, name_x)

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
        with self.compiled_trainable_state():
            return arguments.format_results(self._train_step(x, y, w), return_dict)

    def test_on_batch(self, x, y, sample_weight=None, reset_metrics=True, return_dict=False):
        """Evaluates one batch (no weight update); returns like :meth:`train_on_batch`."""
        self._check_compiled("evaluation")
        x, y, w = self._standardize(x, y, sample_weight, None)
        if reset_metrics:
            self.reset_metrics()
        return arguments.format_results(self._test_step(x, y, w), return_dict)

    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch ``x``."""
        return self._forward(self._standardize_x(x), training=False)

    # ------------------------------------------------------------------ the loops
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
            **kwargs):
        """Trains the model; see :func:`minikeras.models.training.fit` (arrays) and
        :func:`minikeras.models.generators.fit` (a generator or ``Sequence``)."""
        loop = self._loops(x).fit
        with self.compiled_trainable_state():
            return loop(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose, callbacks=callbacks,
                        validation_split=validation_split, validation_data=validation_data, shuffle=shuffle,
                        class_weight=class_weight, sample_weight=sample_weight, initial_epoch=initial_epoch,
                        steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
                        validation_batch_size=validation_batch_size, validation_freq=validation_freq, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metrics on ``(x, y)``; see :func:`minikeras.models.training.evaluate`."""
        return self._loops(x).evaluate(self, x, y, batch_size=batch_size, verbose=verbose, sample_weight=sample_weight,
                                 steps=steps, callbacks=callbacks, return_dict=return_dict, **kwargs)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """Returns the outputs for ``x``; see :func:`minikeras.models.training.predict`."""
        return self._loops(x).predict(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                                callbacks=callbacks, **kwargs)

    @staticmethod
    def _loops(x):
        """The module whose ``fit``/``evaluate``/``predict`` take ``x``: arrays or batches from a generator."""
        if arguments.is_generator_input(x):
            from . import generators
            return generators
        return training

    # ------------------------------------------------------------------ Keras 2 generator API
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, **kwargs):
        """Keras 2's ``fit_generator``: trains on batches from a generator or ``utils.Sequence``."""
        from . import generators
        with self.compiled_trainable_state():
            return generators.fit_generator(self, generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                                            **kwargs)

    def compiled_trainable_state(self):
        """A ``with`` block in which each layer's ``trainable`` is what it was at ``compile()``
        (Keras 2's rule: see :mod:`.trainable_state`)."""
        return trainable_state.compiled_trainable_state(self, self.__dict__.get("_compiled_trainable_state"))

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

    def get_config(self):
        """Returns the graph as tf_keras writes it (see :mod:`minikeras.models.graph_config`)."""
        return graph_config.get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model (new weights) from :meth:`get_config`'s output."""
        return graph_config.from_config(cls, config, custom_objects, model_classes())

    @property
    def updates(self):
        """Always ``[]``, as in tf_keras: state updates (BatchNormalization's moving averages) are applied
        during ``fit`` itself, never collected as ops to run (Keras 2.2.4 listed them here)."""
        return []

    def to_json(self, **kwargs):
        """Returns the architecture as a Keras JSON string (see ``models.model_from_json``)."""
        from .. import saving
        return saving.model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs):
        """Removed, as in tf_keras (YAML configs could run arbitrary code): use :meth:`to_json`.

        Raises:
            RuntimeError: always (tf_keras's error and message).
        """
        raise RuntimeError("Method `model.to_yaml()` has been removed due to security risk of arbitrary code "
                           "execution. Please use `model.to_json()` instead.")


def model_classes():
    """The model classes a config may name as layers (``Functional`` is tf_keras's name for ``Model``)."""
    from .sequential import Sequential
    return {"Functional": Model, "Model": Model, "Sequential": Sequential}


def _needs_a_graph(cls):
    """The message for a Model made without inputs and outputs: plain, or a subclassed model."""
    if cls is Model:
        return ("Model() needs inputs= and outputs= (e.g. Model(inputs=x, outputs=y) with x = Input(shape=...)); "
                "minikeras has no subclassed models with a call() method.")
    return (f"minikeras has no subclassed models: {cls.__name__} subclasses Model, so its __init__ must end "
            f"with super().__init__(inputs, outputs). Build the same network with the functional API: "
            f"x = Input(shape=...); y = ...layers...(x); super().__init__(inputs=x, outputs=y), or "
            f"model = Model(x, y) (see docs/functional.md).")
