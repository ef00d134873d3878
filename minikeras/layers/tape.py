"""How a layer is called, and how a layer without a hand-written ``backward`` is differentiated.

Keras passes ``training`` and ``mask`` to ``call`` only when ``call`` accepts them, so
``call(self, inputs)``, ``call(self, inputs, training=None)`` and ``call(self, inputs, mask=None)``
all work: :func:`call_arguments` reads the signature once per class.

A built-in layer writes ``backward`` beside ``call``. A user's layer usually writes only
``call``; it then runs on the autodiff tape (:mod:`minikeras.backend.autodiff`): its inputs and
trainable weights become tape leaves, ``call`` runs once, recorded, and :func:`tape_backward`
walks the record backwards. The forward runs once per batch, as in Keras, so random draws and
in-place updates of non-trainable weights in ``call`` happen once.

:func:`check_gradients` enforces the contract of ``backward``: one gradient per trainable weight,
each of its weight's shape.
"""
import inspect

import numpy as np

from ..backend import autodiff

_CALL_ARGUMENTS = {}
_USES_TAPE = {}


def call_arguments(cls):
    """Returns ``(accepts_training, accepts_mask)`` for ``cls.call`` (read once per class)."""
    if cls not in _CALL_ARGUMENTS:
        params = inspect.signature(cls.call).parameters
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        _CALL_ARGUMENTS[cls] = ("training" in params or var_kw, "mask" in params or var_kw)
    return _CALL_ARGUMENTS[cls]


def uses_tape(cls):
    """True when ``cls`` has no ``backward`` written for its ``call``.

    That is when the class that defines ``call`` is more derived than the one that defines
    ``backward``: a user's layer overriding only ``call`` (or a subclass of ``Dense`` overriding
    ``call``) must not reuse a backward written for another forward.
    """
    if cls not in _USES_TAPE:
        owner = {name: next(c for c in cls.__mro__ if name in vars(c)) for name in ("call", "backward")}
        _USES_TAPE[cls] = owner["call"] is not owner["backward"] and issubclass(owner["call"], owner["backward"])
    return _USES_TAPE[cls]


def run_call(layer, inputs, training, mask, **kwargs):
    """Runs ``layer.call`` with the arguments it accepts; on the tape if the layer has no backward.

    Args:
        layer: the layer.
        inputs: array(s) or tape tensor(s).
        training: passed if ``call`` accepts ``training``.
        mask: passed if ``call`` accepts ``mask``.
        **kwargs: other keyword arguments the caller gave (``layer(x, scale=2)``), passed on.

    Returns:
        The output: plain arrays for plain inputs, tape tensors for tape tensors.
    """
    accepts_training, accepts_mask = call_arguments(type(layer))
    if accepts_training:
        kwargs["training"] = training
    if accepts_mask:
        kwargs["mask"] = mask
    if not uses_tape(type(layer)):
        return layer.call(inputs, **kwargs)
    return record_call(layer, inputs, **kwargs)


def record_call(layer, inputs, **kwargs):
    """Runs ``layer.call(inputs, **kwargs)`` on the tape, keeping the record for :func:`tape_backward`.

    Used for every layer without a backward; the tests also use it on built-in layers, to check
    each hand-written backward against the tape's.

    Returns:
        The output: plain arrays for plain inputs, tape tensors for tape tensors.
    """
    on_tape = _any_tensor(inputs)
    leaves = inputs if on_tape else _map(autodiff.Tensor, inputs)
    layer._call_losses = []
    weights, originals = _swap_in_leaves(layer)
    failure = None
    try:
        outputs = layer.call(leaves, **kwargs)
    except autodiff.NotDifferentiable as error:
        if on_tape:
            raise
        failure = error
    finally:
        _restore(layer, originals)
    if failure is not None:
        layer._tape = failure                   # backward() will explain; the forward still works
        layer._call_losses = []
        return layer.call(inputs, **kwargs)
    layer._tape = (outputs, leaves, weights, list(layer._call_losses))
    return outputs if on_tape else _map(autodiff.value_of, outputs)


def tape_backward(layer, grad_output, input_grad=True):
    """The backward pass of a layer that has none: the tape of its last call, walked backwards.

    The layer's ``add_loss`` terms are part of the loss, so their gradients are added: the
    root of the walk is ``sum(output * grad_output) + sum(losses)``.

    Returns:
        ``dL/d(input)`` (a list for a list of inputs), or None when ``input_grad`` is False.

    Raises:
        TypeError: when the tape could not follow the layer's ``call`` (the message says which op).
        RuntimeError: when the layer has not been called.
    """
    tape = layer.__dict__.get("_tape")
    if isinstance(tape, Exception):
        raise TypeError(f"Layer {layer.name!r} ({type(layer).__name__}) has no backward() and minikeras's "
                        f"tape could not follow its call(): {tape}") from tape
    if tape is None:
        raise RuntimeError(f"Layer {layer.name!r}: backward() needs a call() first.")
    outputs, leaves, weights, losses = tape
    outs, grads_out = _as_list(outputs), _as_list(grad_output)
    pairs = [(o, g) for o, g in zip(outs, grads_out) if isinstance(o, autodiff.Tensor)]
    pairs += [(loss, np.ones_like(loss.value)) for loss in losses if isinstance(loss, autodiff.Tensor)]
    root = autodiff.Tensor(0.0, parents=[t for t, _ in pairs], vjp=lambda g: [d for _, d in pairs])
    grads = autodiff.backward(root, np.float32(1.0))
    layer.grads = [np.asarray(grads.get(id(w), np.zeros_like(w.value))) for w in weights]
    layer._add_regularization_grads(inner=True)
    if not input_grad:
        return None
    in_grads = [grads.get(id(x), np.zeros_like(x.value)) for x in _as_list(leaves)]
    return in_grads if isinstance(leaves, (list, tuple)) else in_grads[0]


def check_gradients(layer):
    """Enforces ``backward``'s contract on ``layer.grads``.

    Raises:
        RuntimeError: if the layer has trainable weights and its backward set no gradients, or
            the count or a shape does not match ``layer.trainable_weights``.
    """
    weights = layer.trainable_weights
    if layer.grads is None:
        if weights:
            raise RuntimeError(f"Layer {layer.name!r} ({type(layer).__name__}) has {len(weights)} trainable "
                               f"weight(s) but its backward() set no gradients: set self.grads to one array "
                               f"per weight of self.trainable_weights, in that order.")
        layer.grads = []
        return
    if len(layer.grads) != len(weights):
        raise RuntimeError(f"Layer {layer.name!r} ({type(layer).__name__}): backward() set {len(layer.grads)} "
                           f"gradient(s) for {len(weights)} trainable weight(s); self.grads needs one array per "
                           f"weight of self.trainable_weights, in that order.")
    for i, (g, w) in enumerate(zip(layer.grads, weights)):
        if np.shape(g) != w.shape:
            raise RuntimeError(f"Layer {layer.name!r}: gradient {i} has shape {np.shape(g)} but trainable "
                               f"weight {i} has shape {w.shape}.")


# ---------------------------------------------------------------------------- helpers
def _any_tensor(x):
    return any(isinstance(v, autodiff.Tensor) for v in _as_list(x))


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _map(fn, x):
    return type(x)(fn(v) for v in x) if isinstance(x, (list, tuple)) else fn(x)


def _swap_in_leaves(layer):
    """Replaces each trainable weight, wherever the layer holds it (``self.kernel``, a list of
    weights, the weight table) -- and wherever a wrapped layer holds it (``inner_layers()``) --
    by a tape leaf. Returns ``(leaves, what to restore)``."""
    trainable = layer.trainable_weights
    leaves = [autodiff.Tensor(w) for w in trainable]
    by_id = {id(w): leaf for w, leaf in zip(trainable, leaves)}
    originals = []                                # (layer, {attribute: original value})
    for holder in with_inner_layers(layer):
        held = {}
        for name, value in vars(holder).items():
            if id(value) in by_id or isinstance(value, list) and any(id(v) in by_id for v in value):
                held[name] = value
        for name, value in held.items():
            setattr(holder, name, by_id[id(value)] if not isinstance(value, list) else
                    [by_id.get(id(v), v) for v in value])
        held["_weights"] = holder._weights        # so self.weights / self.trainable_weights give leaves too
        holder._weights = [(n, by_id.get(id(w), w), t) for n, w, t in holder._weights]
        originals.append((holder, held))
    return leaves, originals


def with_inner_layers(layer):
    """``layer`` and the layers it holds (a wrapper's layer, an RNN's cells), recursively."""
    return [layer] + [nested for sub in layer.inner_layers() for nested in with_inner_layers(sub)]


def _restore(layer, originals):
    for holder, held in originals:
        added = holder._weights[len(held["_weights"]):]    # weights created inside call are kept
        for name, value in held.items():
            setattr(holder, name, value)
        holder._weights.extend(added)
