"""The ``training_config`` attribute: what ``compile`` was given, so ``load_model`` can compile again.

Written as tf_keras 2.21 writes it (and reads it back)::

    {"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": null,
     "loss_weights": null,
     "optimizer_config": {"class_name": "Custom>RMSprop",
                          "config": {"name": "RMSprop", "learning_rate": 0.001, ..., "is_legacy_optimizer": false}}}

``is_legacy_optimizer`` tells tf_keras which of its two optimizer families to rebuild: the current
one (minikeras's formulas; registered in tf_keras as ``Custom>RMSprop`` & co.), or, when ``decay`` is
set, the legacy one (the only one with ``decay``): then the key is left out and the class name is
plain, as tf_keras's legacy optimizers write it.

Reading also accepts tf_keras's nested metric objects (``[[{"class_name": "MeanMetricWrapper",
"config": {"name": "accuracy", "fn": "categorical_accuracy"}}]]``), loss objects
(``{"class_name": "MeanSquaredError", ...}``) and Keras 2.2.4's ``lr``/``decay`` optimizer configs.
Every name is looked up in ``custom_objects`` first, then in the modules' own tables.
"""
from .. import losses, metrics, optimizers
from ..utils import generic_utils

_ACCURACY_ALIASES = ("accuracy", "acc", "crossentropy", "ce")
# Keys Keras 3 adds to optimizer configs, meaningless here when None.
_KERAS3_OPTIMIZER_KEYS = ("loss_scale_factor", "gradient_accumulation_steps", "ema_overwrite_frequency")
# Keys of a tf_keras loss object's config that may hold only their default value here.
_LOSS_DEFAULTS = {"reduction": ("auto", "sum_over_batch_size"), "from_logits": (False,),
                  "label_smoothing": (0, 0.0), "axis": (-1,), "fn": None, "name": None}


def _name_of(fn):
    return fn if isinstance(fn, str) else getattr(fn, "__name__", None) or type(fn).__name__


def _metric_name_or_config(metric):
    """A metric object (or class) is saved as ``{'class_name', 'config'}`` (as tf_keras); a function by name."""
    if isinstance(metric, type) and hasattr(metric, "get_config"):
        metric = metric()
    return _name_of(metric) if isinstance(metric, str) or not hasattr(metric, "get_config") else metrics.serialize(metric)


def _build(cls, options):
    """``cls.from_config(options)``, or ``cls(**options)`` for a class without ``from_config`` (as Keras)."""
    return cls.from_config(options) if hasattr(cls, "from_config") else cls(**options)


def _names(value, name_of=_name_of):
    """Names for a loss/metric (``name_of`` of it), or for lists and dicts of them (several outputs)."""
    if isinstance(value, dict):
        return {k: _names(v, name_of) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_names(v, name_of) for v in value]
    return name_of(value)


def serialize_training_config(model):
    """Returns the ``training_config`` dict of a compiled model.

    Args:
        model: a compiled model. Functions are saved by name, so loading a file with your own
            loss or metric needs ``custom_objects``.

    Returns:
        dict: ``loss``, ``metrics``, ``weighted_metrics``, ``loss_weights``, ``optimizer_config``.
    """
    optimizer = model.optimizer
    opt_config, class_name = optimizer.get_config(), type(optimizer).__name__
    if not optimizer.decay:  # no key at all means "legacy" to tf_keras, whose legacy classes reject the key
        opt_config["is_legacy_optimizer"] = False
        if type(optimizer) in optimizers.ALL_OPTIMIZERS.values():
            class_name = "Custom>" + class_name  # tf_keras's registered name for its current optimizers
    weights = model.loss_weights
    if len(getattr(model, "outputs", None) or [None]) == 1 and weights is not None:  # one output: one scale
        scale = float(next(iter(weights.values())) if isinstance(weights, dict) else
                      weights[0] if isinstance(weights, (list, tuple)) else weights)
        weights = None if scale == 1.0 else [scale]
    return {"loss": _names(model.loss, losses.serialize),
            "metrics": _names(model.compiled_metrics, _metric_name_or_config),
            "weighted_metrics": None if model.weighted_metrics is None else _names(model.weighted_metrics,
                                                                                   _metric_name_or_config),
            "loss_weights": weights,
            "optimizer_config": {"class_name": class_name, "config": opt_config}}


def compile_args(training_config, custom_objects=None):
    """Returns the ``model.compile`` keyword arguments for a ``training_config`` dict.

    Args:
        training_config: the parsed ``training_config`` attribute (written here, by tf_keras,
            by Keras 2.2.4 or by Keras 3).
        custom_objects: optional ``{name: function or class}``, looked up before the built-ins.

    Returns:
        dict with ``optimizer`` (an instance), ``loss``, ``metrics`` and, if saved, ``loss_weights``.

    >>> args = compile_args({'loss': 'mse', 'metrics': [[{'class_name': 'MeanMetricWrapper',
    ...     'config': {'name': 'mae', 'fn': 'mean_absolute_error'}}]], 'loss_weights': None,
    ...     'optimizer_config': {'class_name': 'Custom>Adam', 'config': {'learning_rate': 0.01}}})
    >>> args['loss'], args['metrics'], type(args['optimizer']).__name__
    ('mse', ['mae'], 'Adam')

    Raises:
        ValueError: for an unknown or unsupported optimizer, loss or metric; the message names
            it and suggests ``custom_objects`` or ``load_model(..., compile=False)``.
    """
    custom_objects = custom_objects or {}
    if not isinstance(training_config, dict) or "optimizer_config" not in training_config:
        raise ValueError("The file's training_config has no 'optimizer_config'; load it with compile=False "
                         "and call compile() yourself.")
    loss = training_config.get("loss")
    if isinstance(loss, dict) and "class_name" not in loss:  # one loss per named output
        loss = next(iter(loss.values())) if len(loss) == 1 else loss
    if isinstance(loss, list) and len(loss) == 1:
        loss = loss[0]
    try:
        metrics = training_config.get("metrics")
        if isinstance(loss, dict) and "class_name" not in loss:  # several outputs, by name
            loss = {k: _loss(v, custom_objects) for k, v in loss.items()}
        elif isinstance(loss, list):  # several outputs, in order
            loss = [_loss(v, custom_objects) for v in loss]
        else:
            loss = _loss(loss, custom_objects)
        args = {"optimizer": _optimizer(training_config["optimizer_config"], custom_objects),
                "loss": loss, "metrics": _metrics(metrics, custom_objects)}
        if training_config.get("weighted_metrics"):
            args["weighted_metrics"] = _metrics(training_config["weighted_metrics"], custom_objects)
    except (TypeError, AttributeError) as e:  # an entry of the wrong type (a damaged or hostile file)
        raise _unsupported("entry in training_config", f"{type(e).__name__}: {e}") from e
    weights = training_config.get("loss_weights")
    if weights is not None:
        args["loss_weights"] = weights
    return args


def _metrics(value, custom_objects):
    """The ``metrics``/``weighted_metrics`` argument from its saved form (per output if nested)."""
    if isinstance(value, list) and len(value) > 1 and all(isinstance(m, list) for m in value):
        return [[_metric(m, custom_objects) for m in _flatten(v)] for v in value]  # one list per output
    if isinstance(value, dict) and "class_name" not in value:
        return {k: [_metric(m, custom_objects) for m in _flatten(v)] for k, v in value.items()}
    return [_metric(m, custom_objects) for m in _flatten(value)]


def _flatten(value):
    """tf_keras nests metrics per output (``[[m1, m2]]``); a Sequential model has one output."""
    if value is None:
        return []
    if isinstance(value, dict) and "class_name" not in value:
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in _flatten(v)]
    return [value]


def _unsupported(kind, what):
    return ValueError(f"Cannot compile the loaded model: unknown or unsupported {kind} {what!r}. If it is your "
                      f"own, pass it with custom_objects={{name: object}}; or load with compile=False and call "
                      f"compile() yourself.")


def _optimizer(config, custom_objects):
    class_name = config.get("class_name", "") if isinstance(config, dict) else config
    short = class_name.split(">")[-1]  # tf_keras writes 'Custom>RMSprop' for its current optimizers
    options = {k: v for k, v in (config.get("config") or {}).items()
               if not (k in _KERAS3_OPTIMIZER_KEYS and v is None)}
    if short in custom_objects:
        return custom_objects[short].from_config(options)
    try:
        return optimizers.deserialize({"class_name": short, "config": options})
    except (TypeError, ValueError) as e:
        raise _unsupported("optimizer", f"{class_name} ({e})") from e


def _loss(config, custom_objects):
    if config is None:
        raise _unsupported("loss", None)
    if isinstance(config, str):
        if config in custom_objects:
            return custom_objects[config]
        if config in losses.LOSSES:
            return config
        raise _unsupported("loss", config)
    if isinstance(config, dict) and "class_name" in config:  # a tf_keras loss object
        name, options = config["class_name"], config.get("config") or {}
        if name in custom_objects:  # your Loss subclass (rebuilt from its config) or function
            custom = custom_objects[name]
            return _build(custom, options) if isinstance(custom, type) else custom
        for key, value in options.items():
            allowed = _LOSS_DEFAULTS.get(key, ())
            if allowed is not None and value not in allowed:
                raise _unsupported("loss", f"{name}({key}={value!r})")
        fn = options.get("fn") if name == "LossFunctionWrapper" else generic_utils.to_snake_case(name)
        return _loss(fn, custom_objects)
    raise _unsupported("loss", config)


def _metric(config, custom_objects):
    if isinstance(config, str):
        if config in custom_objects:
            return custom_objects[config]
        if config.lower() in _ACCURACY_ALIASES or config in metrics.METRICS:
            return config
        raise _unsupported("metric", config)
    if isinstance(config, dict) and "class_name" in config:  # a tf_keras metric object
        name, options = config["class_name"], config.get("config") or {}
        if name in custom_objects:
            custom = custom_objects[name]
            return _build(custom, options) if isinstance(custom, type) else custom
        if name in metrics.CLASSES and generic_utils.to_snake_case(name) not in metrics.FUNCTIONS:  # AUC, Precision, ...
            return metrics.deserialize({"class_name": name, "config": options})
        log_name, fn = options.get("name"), options.get("fn")
        if name == "MeanMetricWrapper" and log_name and fn and _same_metric(log_name, fn):
            return log_name  # keeps the log key, e.g. 'accuracy' for categorical_accuracy
        for candidate in (fn, log_name, generic_utils.to_snake_case(name)):
            if isinstance(candidate, str) and (candidate in metrics.METRICS or candidate in custom_objects):
                return _metric(candidate, custom_objects)
    raise _unsupported("metric", config)


def _same_metric(log_name, fn):
    """True if compiling with ``log_name`` computes ``fn`` (so the name can be kept)."""
    if log_name.lower() in _ACCURACY_ALIASES:
        return fn.endswith("accuracy") or fn.endswith("crossentropy")
    return log_name in metrics.METRICS and fn in metrics.METRICS and metrics.METRICS[log_name] is metrics.METRICS[fn]
