"""Weight initializers: objects that return a fresh NumPy array for a given shape.

``Dense(3, kernel_initializer='glorot_uniform')`` calls ``get('glorot_uniform')((n_in, 3))``.
Unseeded initializers draw from ``backend.rng()`` (so ``backend.set_seed`` makes a run
repeatable); an initializer built with ``seed=s`` uses a fresh ``np.random.default_rng(s)``
on every call and so returns the same values each time.

>>> w = GlorotUniform(seed=1)((4, 3))
>>> w.shape, w.dtype, bool(abs(w).max() <= (6 / (4 + 3)) ** 0.5)
((4, 3), dtype('float32'), True)
"""
from .base import Initializer
from .constant import Constant, Identity, Ones, Zeros
from .random import Orthogonal, RandomNormal, RandomUniform, TruncatedNormal
from .variance_scaling import (GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
                               VarianceScaling)
from ..utils.generic_utils import custom_object


_CLASSES = (Zeros, Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal,
            VarianceScaling, Orthogonal, Identity, GlorotUniform, GlorotNormal,
            HeUniform, HeNormal, LecunUniform, LecunNormal)

# The one table of names (tf_keras's snake_case names and aliases, plus the class names).
INITIALIZERS = {
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "uniform": RandomUniform, "random_uniform": RandomUniform,
    "normal": RandomNormal, "random_normal": RandomNormal,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "orthogonal": Orthogonal, "identity": Identity,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    **{cls.__name__: cls for cls in _CLASSES},
}

# Keras's lower-case spellings, usable in code as in strings: ``initializers.he_normal(seed=1)``
# (tf_keras binds them to the classes, as here; Keras 2.2.4 had functions returning instances).
zeros = zero = Zeros
ones = one = Ones
constant = Constant
uniform = random_uniform = RandomUniform
normal = random_normal = RandomNormal
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
orthogonal = Orthogonal
identity = Identity
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_uniform, he_normal = HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal


def _lookup(name):
    if name not in INITIALIZERS:
        raise ValueError(f"Unknown initializer: {name!r}. Valid names are {sorted(INITIALIZERS)}.")
    return INITIALIZERS[name]


def get(identifier):
    """Turns an initializer identifier into an initializer, as layer constructors do.

    Args:
        identifier: ``None``; a name from :data:`INITIALIZERS` (e.g. ``'he_normal'``);
            a ``{'class_name': ..., 'config': ...}`` dict; an :class:`Initializer` subclass
            (instantiated with defaults); an initializer or any callable ``(shape, dtype)``.

    Returns:
        The initializer (``None`` for ``None``).

    Raises:
        ValueError: for an unknown name or class name.
        TypeError: for any other kind of identifier.

    >>> get('glorot_uniform').get_config()
    {'seed': None}
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        custom = custom_object(identifier, instantiate=True)
        return custom if custom is not None else _lookup(identifier)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret initializer identifier: {identifier!r}. "
                    "Pass a name such as 'glorot_uniform', a config dict or an Initializer.")


def serialize(initializer):
    """Returns ``{'class_name': ..., 'config': ...}``, as tf_keras writes it into ``.h5`` configs.

    (tf_keras 2.21's ``serialize`` with its default new format also adds ``'module'`` and
    ``'registered_name'`` keys; ``use_legacy_format=True`` gives exactly this dict.)

    Args:
        initializer: an :class:`Initializer` (a plain function gives its ``__name__``).

    >>> serialize(Constant(2.5))
    {'class_name': 'Constant', 'config': {'value': 2.5}}
    """
    if initializer is None:
        return None
    if isinstance(initializer, Initializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    if callable(initializer) and hasattr(initializer, "__name__"):
        return initializer.__name__
    raise TypeError(f"Cannot serialize {initializer!r}: expected an Initializer instance.")


def deserialize(config):
    """Inverse of :func:`serialize`: builds the initializer named in ``config['class_name']``.

    Args:
        config: ``{'class_name': ..., 'config': {...}}`` (extra keys such as ``'module'``
            are ignored), or a name string.

    Raises:
        ValueError: for an unknown class name or a dict without ``'class_name'``.
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"An initializer config must be a dict with a 'class_name' key, got {config!r}.")
    return _lookup(config["class_name"]).from_config(dict(config.get("config") or {}))
