"""``custom_object_scope``: names of your own functions and classes, for loading and deserializing.

>>> def my_loss(y_true, y_pred):
...     return (y_pred - y_true) ** 2
>>> with custom_object_scope({'my_loss': my_loss}):
...     get_custom_objects()['my_loss'] is my_loss
True
>>> 'my_loss' in get_custom_objects()
False
"""
from .progbar import Progbar  # noqa: F401 - Keras 2.2.4 kept Progbar here (examples/mnist_acgan.py imports it)

_GLOBAL_CUSTOM_OBJECTS = {}


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
