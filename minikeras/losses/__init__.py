"""Keras's loss functions, each as a value and, written right under it, its gradient.

A loss function takes ``(y_true, y_pred)`` and returns one loss per sample: an array of
shape ``y_pred.shape[:-1]``, i.e. ``(batch,)`` for the usual 2-D predictions. Losses that
compare element by element (``mse``, ``hinge``, ...) average over the last axis. The formulas
are tf_keras 2.21's, fuzz factor and clipping included (``eps = K.epsilon() = 1e-7``).

To train, the model also needs ``d(sum of the per-sample losses) / d(y_pred)``. Every loss
here carries it as ``fn.gradient(y_true, y_pred)`` (same shape as ``y_pred``). A user's own
loss can carry one too; :func:`gradient` finds it. Where a clip is active the gradient is
zero, as automatic differentiation of the clipped formula gives.

Crossentropy after a softmax/sigmoid is special: Keras then computes it from the logits,
without clipping (:func:`fused`).

>>> import numpy as np
>>> float(mean_squared_error([[1.0, 2.0]], [[1.0, 4.0]])[0])
2.0
>>> gradient(mse)([[1.0, 2.0]], [[1.0, 4.0]]).tolist()
[[0.0, 2.0]]
"""
import functools

import numpy as np

from ..backend import autodiff
from .crossentropy import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
from .hinge import categorical_hinge, hinge, squared_hinge
from .loss import Loss
from .probabilistic import cosine_similarity, kl_divergence, poisson
from .regression import (huber, log_cosh, mean_absolute_error, mean_absolute_percentage_error,
                         mean_squared_error, mean_squared_logarithmic_error)

# --------------------------------------------------------------------------- lookup
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy
huber_loss = huber
cosine_proximity = cosine_similarity  # Keras 2's name

LOSSES = {
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": MSE,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": MAE,
    "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mape, "MAPE": MAPE,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle, "MSLE": MSLE,
    "log_cosh": log_cosh, "logcosh": logcosh,
    "huber": huber, "huber_loss": huber_loss,
    "poisson": poisson,
    "cosine_similarity": cosine_similarity, "cosine_proximity": cosine_proximity,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "kl_divergence": kl_divergence, "kullback_leibler_divergence": kullback_leibler_divergence,
    "kld": kld, "KLD": KLD,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy, "bce": bce, "BCE": BCE,
}


def get(identifier):
    """Returns the loss function for a name, or a callable unchanged.

    Args:
        identifier: a name from ``LOSSES`` (e.g. ``'mse'``) or a function ``f(y_true, y_pred)``.

    Returns:
        The loss function.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).
        TypeError: for anything that is neither a string nor callable.

    >>> get('mse') is mean_squared_error
    True
    """
    if isinstance(identifier, str):
        if identifier not in LOSSES:
            raise ValueError(f"Unknown loss {identifier!r}. Use one of: {', '.join(sorted(LOSSES))}; "
                             f"or pass a function f(y_true, y_pred).")
        return LOSSES[identifier]
    if isinstance(identifier, Loss):
        return identifier.call  # the per-sample values; the model weights and averages them
    if callable(identifier):
        return identifier
    raise TypeError(f"loss must be a string or a function f(y_true, y_pred), got {identifier!r}.")


def serialize(fn):
    """Returns what a loss is saved as: a function's name (``mse`` -> ``'mean_squared_error'``), or
    ``{'class_name': ..., 'config': ...}`` for a loss object with ``get_config``."""
    if isinstance(fn, str):
        return fn
    if callable(getattr(fn, "get_config", None)):
        return {"class_name": type(fn).__name__, "config": fn.get_config()}
    return getattr(fn, "__name__", None) or type(fn).__name__


def deserialize(name, custom_objects=None):
    """Inverse of :func:`serialize`.

    Args:
        name: a loss name, or ``{'class_name': ..., 'config': ...}``.
        custom_objects: ``{name: function or class}`` checked first (also the active
            ``utils.custom_object_scope``).

    Raises:
        ValueError: for an unknown name.
    """
    from ..utils import generic_utils
    custom = {**generic_utils.get_custom_objects(), **(custom_objects or {})}
    if isinstance(name, dict):
        cls = custom.get(name.get("class_name"))
        if cls is None:
            raise ValueError(f"Unknown loss class {name.get('class_name')!r}: pass it in custom_objects.")
        return cls.from_config(name.get("config") or {}) if hasattr(cls, "from_config") else cls(**name["config"])
    return custom[name] if name in custom else get(name)


def gradient(fn):
    """Returns ``grad(y_true, y_pred) = d(sum of fn's per-sample losses) / d(y_pred)``.

    Args:
        fn: a loss function from this module (its hand-written ``fn.gradient``), or a user's
            function ``f(y_true, y_pred)`` written with ``K`` ops (differentiated by the tape).

    Returns:
        A function returning an array of ``y_pred``'s shape.
    """
    grad = getattr(fn, "gradient", None)
    if callable(grad):
        return grad
    return functools.partial(tape_gradient, fn)


def tape_gradient(fn, y_true, y_pred):
    """``d(sum of fn(y_true, y_pred)) / d(y_pred)``, by running ``fn`` on the autodiff tape.

    Args:
        fn: the loss function.
        y_true: targets.
        y_pred: predictions (an array).

    Raises:
        TypeError: if ``fn`` uses an operation the tape cannot differentiate, or its result does
            not depend on ``y_pred``.
    """
    leaf = autodiff.Tensor(np.asarray(y_pred))
    name = getattr(fn, "__name__", type(fn).__name__)
    try:
        out = fn(y_true, leaf)
    except autodiff.NotDifferentiable as error:
        raise TypeError(f"Cannot differentiate the loss {name!r}: {error}") from error
    if not isinstance(out, autodiff.Tensor):
        raise TypeError(f"The loss {name!r} returned a value that does not depend on y_pred, so it has no "
                        f"gradient; compute it from y_pred with K ops.")
    return autodiff.gradients(out, [leaf])[0]


def _activation_name(activation):
    """``'softmax'``/``'sigmoid'`` if ``activation`` is minikeras's softmax/sigmoid, else None."""
    from minikeras import activations  # here, not at the top: no import cycle, ever
    if isinstance(activation, str):
        return activation
    for name in ("softmax", "sigmoid"):
        if activation is getattr(activations, name, None):
            return name
    return None


def fused(fn, activation):
    """Crossentropy computed from the logits, when ``activation`` produced the predictions.

    tf_keras does this inside a model: after a softmax (categorical and sparse categorical
    crossentropy) or a sigmoid (binary crossentropy) the loss and the crossentropy metrics use
    the logits, so a saturated softmax costs e.g. 1000.0 instead of the clipped 16.118.

    Args:
        fn: a loss function.
        activation: the output layer's activation (function or name).

    Returns:
        ``(value_from_logits, grad_wrt_logits)``, both ``f(y_true, logits)``, or ``None`` when
        the pair is not fused.
    """
    fusable = {"softmax": (categorical_crossentropy, sparse_categorical_crossentropy),
               "sigmoid": (binary_crossentropy,)}
    if not any(fn is f for f in fusable.get(_activation_name(activation), ())):
        return None
    return functools.partial(fn, from_logits=True), functools.partial(fn.gradient, from_logits=True)
