"""Keras 2 names that minikeras does not implement: they import, and say so when used.

``from keras.layers import ConvLSTM2D`` succeeds, so a script stops where it *uses* the name,
with a message that names it and says what to do instead, not with an ``ImportError`` (whose
text Python fixes) or an ``AttributeError`` far from the cause.

>>> ConvLSTM2D = missing_class("ConvLSTM2D", "keras.layers", "use TimeDistributed(Conv2D) and an LSTM")
>>> ConvLSTM2D(16, 3)
Traceback (most recent call last):
...
NotImplementedError: minikeras has no keras.layers.ConvLSTM2D; use TimeDistributed(Conv2D) and an LSTM.
"""


def _message(name, module, advice):
    return f"minikeras has no {module}.{name}; {advice}."


def missing_class(name, module, advice):
    """A class called ``name`` whose construction raises NotImplementedError with ``advice``.

    Args:
        name: the Keras name, e.g. ``'ConvLSTM2D'``.
        module: where Keras has it, e.g. ``'keras.layers'``.
        advice: what to use instead (one clause).

    Returns:
        type: importable, usable in ``isinstance``; instances cannot be made.
    """
    message = _message(name, module, advice)

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(message)

    home = module.replace("keras", "minikeras", 1)             # keras.layers -> minikeras.layers
    return type(name, (), {"__init__": __init__, "__doc__": message, "__module__": home})


def missing_function(name, module, advice):
    """A function called ``name`` that raises NotImplementedError with ``advice`` (see :func:`missing_class`)."""
    message = _message(name, module, advice)

    def missing(*args, **kwargs):
        raise NotImplementedError(message)

    missing.__name__ = missing.__qualname__ = name
    missing.__doc__ = message
    return missing


def missing_names(make, module, advice_by_name):
    """``{name: make(name, module, advice)}`` for each entry of ``advice_by_name``."""
    return {name: make(name, module, advice) for name, advice in advice_by_name.items()}
