"""``custom_object_scope``: names of your own functions and classes, for loading and deserializing;
and the small helpers Keras 2 code imports from ``keras.utils.generic_utils`` (``has_arg``,
``to_list``, ``unpack_singleton``, ``func_dump``/``func_load``, ``Progbar``).

>>> def my_loss(y_true, y_pred):
...     return (y_pred - y_true) ** 2
>>> with custom_object_scope({'my_loss': my_loss}):
...     get_custom_objects()['my_loss'] is my_loss
True
>>> 'my_loss' in get_custom_objects()
False
"""
import inspect
import re

from .function_code import func_dump, func_load  # noqa: F401 - Keras's home for them
from .progbar import Progbar  # noqa: F401 - Keras 2.2.4 kept Progbar here (examples/mnist_acgan.py imports it)

_GLOBAL_CUSTOM_OBJECTS = {}


def to_snake_case(name):
    """Keras's rule for turning a class name into a default name (of a layer, a loss, a metric).

    Args:
        name: a CamelCase class name.

    Returns:
        str: ``Conv2D -> conv2d``, ``PReLU -> p_re_lu``, ``KLDivergence -> kl_divergence``.

    >>> to_snake_case('UpSampling2D'), to_snake_case('MeanSquaredError')
    ('up_sampling2d', 'mean_squared_error')
    """
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def get_custom_objects():
    """Returns the live dict of custom objects (what the active scopes added); add to it to register."""
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """A ``with`` block inside which ``load_model`` and the ``deserialize`` functions know these names.

    Args:
        *args: dicts ``{name: function or class}``.
    """

    def __init__(self, *args):
        self.custom_objects = args
        self.backup = None

    def __enter__(self):
        self.backup = dict(_GLOBAL_CUSTOM_OBJECTS)
        for objects in self.custom_objects:
            _GLOBAL_CUSTOM_OBJECTS.update(objects)
        return self

    def __exit__(self, *exc):
        _GLOBAL_CUSTOM_OBJECTS.clear()
        _GLOBAL_CUSTOM_OBJECTS.update(self.backup)


def custom_object(name, instantiate=False):
    """Returns what ``name`` is registered as (``custom_object_scope`` / ``get_custom_objects()``), else None.

    The ``get()`` of activations, regularizers, initializers and constraints look a string up
    here first, as Keras does.

    Args:
        name: the string identifier.
        instantiate (bool): for a registered class, return ``cls()`` (regularizers, initializers,
            constraints) instead of the class.

    >>> class Halve:
    ...     pass
    >>> with custom_object_scope({'Halve': Halve}):
    ...     type(custom_object('Halve', instantiate=True)).__name__, custom_object('missing')
    ('Halve', None)
    """
    found = _GLOBAL_CUSTOM_OBJECTS.get(name)
    if instantiate and isinstance(found, type):
        return found()
    return found


def custom_object_scope(*args):
    """Returns a :class:`CustomObjectScope` for ``with custom_object_scope({'name': obj}): ...``.

    Args:
        *args: dicts ``{name: function or class}``.
    """
    return CustomObjectScope(*args)


def serialize_keras_object(instance):
    """Keras 2's ``{'class_name': ..., 'config': instance.get_config()}``; a function gives its name.

    >>> from minikeras.regularizers import L2
    >>> serialize_keras_object(L2(0.5))
    {'class_name': 'L2', 'config': {'l2': 0.5}}
    """
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        return {"class_name": type(instance).__name__, "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return instance.__name__
    raise ValueError(f"Cannot serialize {instance!r}: it has neither get_config() nor a __name__.")


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """The inverse of :func:`serialize_keras_object`: a config dict or a name, looked up in
    ``custom_objects``, the registered custom objects, then ``module_objects``.

    Raises:
        ValueError: for a name found nowhere, or an identifier of another kind.

    >>> from minikeras import regularizers
    >>> float(deserialize_keras_object({'class_name': 'L2', 'config': {'l2': 0.5}}, vars(regularizers)).l2)
    0.5
    """
    def find(name):
        for table in (custom_objects or {}, _GLOBAL_CUSTOM_OBJECTS, module_objects or {}):
            if name in table:
                return table[name]
        raise ValueError(f"Unknown {printable_module_name}: {name!r}. Pass it in custom_objects={{{name!r}: ...}}.")

    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(f"Improper config format for {printable_module_name}: {identifier!r} needs "
                             f"'class_name' and 'config'.")
        cls = find(identifier["class_name"])
        config = identifier["config"]
        return cls.from_config(config) if hasattr(cls, "from_config") else cls(**config)
    if isinstance(identifier, str):
        return find(identifier)
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier!r}.")


def has_arg(fn, name, accept_all=False):
    """True if ``fn`` can be called with the keyword argument ``name``.

    Args:
        fn: a function or other callable.
        name (str): the argument's name.
        accept_all (bool): also True when ``fn`` takes ``**kwargs``.

    Returns:
        bool: whether ``fn(..., name=value)`` is accepted (positional-only parameters are not).

    >>> has_arg(lambda x, y=1: x, 'y'), has_arg(lambda x, **kw: x, 'y'), has_arg(lambda x, **kw: x, 'y', True)
    (True, False, True)
    """
    parameters = inspect.signature(fn).parameters
    if accept_all and any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return True
    parameter = parameters.get(name)
    return parameter is not None and parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                        inspect.Parameter.KEYWORD_ONLY)


def to_list(x, allow_tuple=False):
    """Returns ``x`` as a list: a list unchanged, anything else wrapped (a tuple too, if ``allow_tuple``).

    Args:
        x: a value or a list of values.
        allow_tuple (bool): convert a tuple to a list instead of wrapping it.

    Returns:
        list

    >>> to_list(3), to_list([3]), to_list((1, 2)), to_list((1, 2), allow_tuple=True)
    ([3], [3], [(1, 2)], [1, 2])
    """
    if isinstance(x, list):
        return x
    if allow_tuple and isinstance(x, tuple):
        return list(x)
    return [x]


def unpack_singleton(x):
    """Returns ``x[0]`` when ``x`` is a list or tuple of one element, else ``x`` unchanged.

    Args:
        x: a value, or a list/tuple of values.

    Returns:
        The single element, or ``x``.

    >>> unpack_singleton([5]), unpack_singleton([5, 6])
    (5, [5, 6])
    """
    if isinstance(x, (list, tuple)) and len(x) == 1:
        return x[0]
    return x
