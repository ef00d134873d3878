"""Optimizers: turn gradients into in-place parameter updates (Keras ``keras.optimizers``).

>>> from minikeras import optimizers
>>> opt = optimizers.get('adam')
>>> type(opt).__name__, float(opt.learning_rate)
('Adam', 0.0010000000474974513)
>>> optimizers.get({'class_name': 'SGD', 'config': {'lr': 0.1, 'momentum': 0.9}}).momentum
0.9
"""
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .base import Optimizer
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

# The one table that turns a name into an optimizer class (keys are lower case).
ALL_OPTIMIZERS = {
    "sgd": SGD,
    "rmsprop": RMSprop,
    "adagrad": Adagrad,
    "adadelta": Adadelta,
    "adam": Adam,
    "adamax": Adamax,
    "nadam": Nadam,
}

# Keras 2.2.4's lower-case aliases (``keras.optimizers.rmsprop(lr=1e-4)`` in examples/cifar10_cnn.py);
# they replace this package's attributes of the same module names (the modules stay importable).
sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam = SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam",
           "get", "serialize", "deserialize"]


def _lookup(name):
    # tf_keras's legacy .h5 files may write 'Custom>Adam' for its newer optimizers.
    key = name.split(">")[-1].lower() if isinstance(name, str) else name
    if key not in ALL_OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; use one of {sorted(ALL_OPTIMIZERS)} "
                         "(any case) or an Optimizer instance.")
    return ALL_OPTIMIZERS[key]


def serialize(optimizer):
    """Returns ``{'class_name': ..., 'config': optimizer.get_config()}``.

    Args:
        optimizer: an :class:`Optimizer`.

    Raises:
        TypeError: for anything else.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"serialize expects an Optimizer, got {type(optimizer).__name__}.")
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    """Creates an optimizer from ``{'class_name': 'Adam', 'config': {...}}``.

    As Keras does, a built-in optimizer's ``class_name`` is lower-cased *in the caller's dict*
    (``{'class_name': 'Adam'}`` becomes ``{'class_name': 'adam'}``).

    Args:
        config: dict with ``class_name`` (any case) and optionally ``config`` (constructor
            arguments; Keras 2's ``lr`` accepted).

    Returns:
        Optimizer: a new instance.

    Raises:
        ValueError: if ``class_name`` is missing or unknown.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"deserialize expects a dict with 'class_name' and 'config', got {config!r}.")
    if isinstance(config["class_name"], str) and config["class_name"].lower() in ALL_OPTIMIZERS:
        config["class_name"] = config["class_name"].lower()
    return _lookup(config["class_name"]).from_config(config.get("config") or {})


def get(identifier):
    """Returns an optimizer for a name, a config dict or an instance (used by ``compile``).

    Args:
        identifier: a name from ``ALL_OPTIMIZERS`` (any case) -> new instance with defaults;
            a ``{'class_name', 'config'}`` dict -> :func:`deserialize`; an Optimizer -> itself.

    Returns:
        Optimizer.

    Raises:
        ValueError: for an unknown name.
        TypeError: for any other type of identifier.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return _lookup(identifier)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise TypeError(f"Could not interpret optimizer identifier {identifier!r}: pass a name such as "
                    "'adam', a {'class_name': ..., 'config': ...} dict or an Optimizer instance.")
