"""Regression losses: mse, mae, mape, msle, log-cosh, Huber; each value with its gradient under it."""
import numpy as np

from .base import _prepare, _eps, _gradient_of, on_tape


@on_tape
def mean_squared_error(y_true, y_pred):
    """``mean((y_pred - y_true)**2, axis=-1)``.

    Args:
        y_true: targets, shape ``(batch, d)`` (or ``(batch,)`` when ``d == 1``).
        y_pred: predictions, shape ``(batch, d)``.

    Returns:
        Per-sample losses, shape ``(batch,)``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.mean(np.square(y_pred - y_true), axis=-1)


@_gradient_of(mean_squared_error)
def _mean_squared_error_grad(y_true, y_pred):
    """``2 (y_pred - y_true) / d``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return 2 * (y_pred - y_true) / y_pred.shape[-1]


@on_tape
def mean_absolute_error(y_true, y_pred):
    """``mean(|y_pred - y_true|, axis=-1)``. Args and returns as :func:`mean_squared_error`."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.mean(np.abs(y_pred - y_true), axis=-1)


@_gradient_of(mean_absolute_error)
def _mean_absolute_error_grad(y_true, y_pred):
    """``sign(y_pred - y_true) / d`` (0 where they are equal)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.sign(y_pred - y_true) / y_pred.shape[-1]


@on_tape
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|y_true - y_pred| / max(|y_true|, eps), axis=-1)``.

    A zero target divides by ``eps``, giving huge values (as in Keras). Args and returns as
    :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return 100 * np.mean(np.abs((y_true - y_pred) / np.maximum(np.abs(y_true), _eps(y_pred))), axis=-1)


@_gradient_of(mean_absolute_percentage_error)
def _mean_absolute_percentage_error_grad(y_true, y_pred):
    """``100 sign(y_pred - y_true) / (max(|y_true|, eps) d)``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    scale = np.maximum(np.abs(y_true), _eps(y_pred))
    return 100 * np.sign(y_pred - y_true) / scale / y_pred.shape[-1]


@on_tape
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))**2, axis=-1)``.

    Args and returns as :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = _eps(y_pred)
    diff = np.log(np.maximum(y_pred, eps) + 1) - np.log(np.maximum(y_true, eps) + 1)
    return np.mean(np.square(diff), axis=-1)


@_gradient_of(mean_squared_logarithmic_error)
def _mean_squared_logarithmic_error_grad(y_true, y_pred):
    """``2 diff / (y_pred + 1) / d`` where ``y_pred >= eps``, else 0."""
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = _eps(y_pred)
    diff = np.log(np.maximum(y_pred, eps) + 1) - np.log(np.maximum(y_true, eps) + 1)
    return 2 * diff / (np.maximum(y_pred, eps) + 1) * (y_pred >= eps) / y_pred.shape[-1]


@on_tape
def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, as ``x + softplus(-2x) - log 2`` (no overflow).

    Args and returns as :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    x = y_pred - y_true
    return np.mean(x + np.logaddexp(0, -2 * x) - np.log(2).astype(x.dtype), axis=-1)


@_gradient_of(log_cosh)
def _log_cosh_grad(y_true, y_pred):
    """``tanh(y_pred - y_true) / d``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.tanh(y_pred - y_true) / y_pred.shape[-1]


@on_tape
def huber(y_true, y_pred, delta=1.0):
    """``mean(0.5 e**2 if |e| <= delta else delta |e| - 0.5 delta**2, axis=-1)``, ``e = y_pred - y_true``.

    Args:
        y_true, y_pred: as for :func:`mean_squared_error`.
        delta: where the loss turns from quadratic to linear.

    Returns:
        Per-sample losses, shape ``(batch,)``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    e = y_pred - y_true
    a, delta = np.abs(e), y_pred.dtype.type(delta)
    return np.mean(np.where(a <= delta, 0.5 * e * e, delta * a - 0.5 * delta * delta), axis=-1)


@_gradient_of(huber)
def _huber_grad(y_true, y_pred, delta=1.0):
    """``e / d`` inside ``|e| <= delta``, ``delta sign(e) / d`` outside."""
    y_true, y_pred = _prepare(y_true, y_pred)
    e = y_pred - y_true
    return np.where(np.abs(e) <= delta, e, delta * np.sign(e)) / y_pred.shape[-1]
