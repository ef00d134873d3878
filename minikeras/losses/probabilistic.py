"""Losses between distributions or directions: KL divergence, Poisson, cosine similarity."""
import numpy as np

from .. import backend as K
from .base import _prepare, _eps, _inside, _gradient_of, on_tape


@on_tape
def poisson(y_true, y_pred):
    """``mean(y_pred - y_true log(y_pred + eps), axis=-1)``.

    Args and returns as :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.mean(y_pred - y_true * np.log(y_pred + _eps(y_pred)), axis=-1)


@_gradient_of(poisson)
def _poisson_grad(y_true, y_pred):
    """``(1 - y_true / (y_pred + eps)) / d``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return (1 - y_true / (y_pred + _eps(y_pred))) / y_pred.shape[-1]


@on_tape
def cosine_similarity(y_true, y_pred):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=-1)``: -1 when aligned.

    ``l2_normalize(v) = v / sqrt(max(sum(v**2), 1e-12))``, so an all-zero row gives 0.
    Args and returns as :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return -np.sum(K.l2_normalize(y_true, axis=-1) * K.l2_normalize(y_pred, axis=-1), axis=-1)


@_gradient_of(cosine_similarity)
def _cosine_similarity_grad(y_true, y_pred):
    """``-(t - p (t . p)) / |y_pred|`` with ``t, p`` the normalised rows (``-t 1e6`` for tiny rows)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    t, p = K.l2_normalize(y_true, axis=-1), K.l2_normalize(y_pred, axis=-1)
    squares = np.sum(y_pred * y_pred, axis=-1, keepdims=True)
    inv_norm = 1 / np.sqrt(np.maximum(squares, 1e-12))
    along = np.where(squares >= 1e-12, np.sum(t * p, axis=-1, keepdims=True), 0)
    return -(t - p * along) * inv_norm


@on_tape
def kl_divergence(y_true, y_pred):
    """``sum(t * log(t / p), axis=-1)`` with ``t, p`` clipped to ``[eps, 1]``.

    Args:
        y_true: target distributions, shape ``(batch, classes)``.
        y_pred: predicted distributions, same shape.

    Returns:
        Per-sample divergences, shape ``(batch,)``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    t, p = np.clip(y_true, _eps(y_pred), 1), np.clip(y_pred, _eps(y_pred), 1)
    return np.sum(t * np.log(t / p), axis=-1)


@_gradient_of(kl_divergence)
def _kl_divergence_grad(y_true, y_pred):
    """``-t / p`` where ``eps <= y_pred <= 1``, else 0."""
    y_true, y_pred = _prepare(y_true, y_pred)
    t, p = np.clip(y_true, _eps(y_pred), 1), np.clip(y_pred, _eps(y_pred), 1)
    return -t / p * _inside(y_pred, _eps(y_pred), 1)
