"""``custom_object_scope``: names of your own functions and classes, for loading and deserializing.

>>> def my_loss(y_true, y_pred):
...     return (y_pred - y_true) ** 2
>>> with custom_object_scope({'my_loss': my_loss}):
...     get_custom_objects()['my_loss'] is my_loss
True
>>> 'my_loss' in get_custom_objects()
False
"""
import re

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


def custom_object_scope(*args):
    """Returns a :class:`CustomObjectScope` for ``with custom_object_scope({'name': obj}): ...``.

    Args:
        *args: dicts ``{name: function or class}``.
    """
    return CustomObjectScope(*args)
