"""Shared helpers of the loss functions: float conversion, shape checks, stable log-softmax/sigmoid."""
import functools
import numpy as np

from .. import backend as K
from ..backend import autodiff


def _floats(x):
    """A NumPy float array keeps its dtype (as in TensorFlow); lists and ints become ``K.floatx()``."""
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind == "f":
        return np.asarray(x)
    return np.asarray(x, dtype=K.floatx())


def _prepare(y_true, y_pred):
    """Float arrays of ``y_pred``'s dtype, broadcast together.

    As in Keras's ``compile``, labels of shape ``(batch,)`` meet predictions of shape
    ``(batch, 1)`` as ``(batch, 1)``, not as a ``(batch, batch)`` table.
    """
    y_pred = _floats(y_pred)
    y_true = np.asarray(y_true, dtype=y_pred.dtype)
    if y_true.ndim == 1 and y_pred.ndim == 2:
        y_true = y_true[:, None]
    try:
        return np.broadcast_arrays(y_true, y_pred)
    except ValueError:
        raise ValueError(f"y_true of shape {y_true.shape} does not fit y_pred of shape "
                         f"{y_pred.shape}; give targets of the prediction's shape.") from None


def _eps(x):
    return x.dtype.type(K.epsilon())


def _log_softmax(z):
    """``log(softmax(z))`` along the last axis, stable: ``z - max - log(sum(exp(z - max)))``."""
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _sigmoid(z):
    """``1 / (1 + exp(-z))`` without overflow for large ``|z|``."""
    return np.exp(-np.logaddexp(0, -z)).astype(z.dtype)


def _inside(x, low, high):
    """1 where ``low <= x <= high`` (where ``clip`` passes the gradient), else 0."""
    return ((x >= low) & (x <= high)).astype(x.dtype)


def _gradient_of(loss):
    """Decorator: attaches the decorated function to ``loss`` as ``loss.gradient``.

    The attached function returns an array of ``y_pred``'s shape and dtype: where labels were
    broadcast against ``y_pred``, the gradient is summed back (the chain rule of broadcasting).
    """
    def attach(grad):
        @functools.wraps(grad)
        def gradient(y_true, y_pred, **kwargs):
            pred = _floats(y_pred)
            g = grad(y_true, pred, **kwargs)
            while g.ndim > pred.ndim:
                g = g.sum(axis=0)
            axes = tuple(i for i, n in enumerate(pred.shape) if n == 1 and g.shape[i] != 1)
            return np.sum(g, axis=axes, keepdims=True).astype(pred.dtype) if axes else g.astype(pred.dtype)
        loss.gradient = gradient
        return gradient
    return attach


def refuse_symbolic(name, *tensors):
    """Raises TypeError, naming the missing feature, when a loss is called on symbolic Keras tensors.

    Keras 2 code such as the VAE examples builds a loss from ``Input``/layer outputs and passes it to
    ``model.add_loss``; minikeras computes losses on arrays, during ``fit``, only.
    """
    if any(hasattr(t, "keras_history") for t in tensors):
        raise TypeError(f"minikeras has no symbolic losses: {name}() was called on symbolic Keras tensors "
                        f"(Input or layer outputs), as for Model.add_loss(tensor). Give the loss to "
                        f"compile(loss=...) as a function of (y_true, y_pred), or compute it in a custom "
                        f"layer's call() with self.add_loss(...).")


def on_tape(loss):
    """Decorator: called on an autodiff-tape tensor ``y_pred``, ``loss`` is recorded with its own
    ``loss.gradient``, so a custom loss may use the built-in ones (``2 * losses.mse(t, p)``).

    Each sample's loss depends on its own row of ``y_pred`` only, so the vector-Jacobian product
    is ``g[..., None] * gradient(y_true, y_pred)``. On arrays the decorated function is ``loss``.
    """
    @functools.wraps(loss)
    def per_sample(y_true, y_pred, **kwargs):
        refuse_symbolic(loss.__name__, y_true, y_pred)
        y_true = autodiff.value_of(y_true)
        if not isinstance(y_pred, autodiff.Tensor):
            return loss(y_true, autodiff.value_of(y_pred), **kwargs)

        def rule(pred):
            out = loss(y_true, pred, **kwargs)
            return out, lambda g: (np.expand_dims(g, -1) * per_sample.gradient(y_true, pred, **kwargs),)
        return autodiff.record(rule, (y_pred,), {})
    return per_sample
