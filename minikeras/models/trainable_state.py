"""Which layers train is fixed by ``compile()``, as Keras 2's FAQ promises.

    layer.trainable = False
    frozen = Model(x, layer(x)); frozen.compile(...)        # this model will not train `layer`
    layer.trainable = True
    trainable = Model(x, layer(x)); trainable.compile(...)  # this one will
    frozen.fit(...)                                         # `layer` stays as it is

tf_keras keeps the promise by recording every layer's ``trainable`` flag at ``compile()`` and
putting those flags back for the length of ``fit`` and ``train_on_batch`` (then the flags of
the moment return). minikeras does the same. (A flag changed by a callback during ``fit`` takes
effect at the next batch here; tf_keras ignores it until the next ``compile()``.)

>>> from minikeras.layers import Dense, Input
>>> from minikeras.models import Model
>>> x = Input((2,)); layer = Dense(1); layer.trainable = False
>>> model = Model(x, layer(x)); state = trainable_state(model)
>>> layer.trainable = True
>>> with compiled_trainable_state(model, state):
...     layer.trainable
False
>>> layer.trainable
True
"""
import contextlib

from ..layers.tape import with_inner_layers


def every_layer(model):
    """``model``, then each of its layers, each followed by the layers it holds (a nested model's
    layers, a wrapper's layer, an RNN's cell), as tf_keras lists them."""
    yield model
    for layer in model.layers:
        yield from every_layer(layer) if hasattr(layer, "layers") else with_inner_layers(layer)


def trainable_state(model):
    """Returns ``[(layer, layer.trainable), ...]`` for :func:`every_layer` of ``model``."""
    return [(layer, layer.trainable) for layer in every_layer(model)]


def set_trainable_state(state):
    """Sets the flags of ``state`` in its order: a model first (its setter sets all its layers), then
    each of its layers to its own flag."""
    for layer, flag in state:
        layer.trainable = flag


@contextlib.contextmanager
def compiled_trainable_state(model, compiled):
    """Within the block, ``model``'s layers have the flags of ``compiled`` (layers added since
    keep theirs); afterwards, the flags they had before it.

    Args:
        model: the model about to train.
        compiled: the :func:`trainable_state` recorded by ``compile()``, or None.
    """
    now = trainable_state(model)
    present = {id(layer) for layer, _ in now}
    flags = dict((id(layer), flag) for layer, flag in now)
    compiled = [(layer, flag) for layer, flag in compiled or () if id(layer) in present]
    changed = any(flags[id(layer)] != flag for layer, flag in compiled)
    if changed:
        set_trainable_state(compiled)
    try:
        yield
    finally:
        if changed:
            set_trainable_state(now)
