"""Hinge losses (labels in {-1, 1}, or {0, 1} converted as tf_keras does); value and gradient."""
import numpy as np

from .base import _prepare, _gradient_of, on_tape


def _signed_labels(y_true):
    """Keras's hinge labels: if EVERY label is 0 or 1 they become -1/+1, else they are kept."""
    return 2 * y_true - 1 if np.all((y_true == 0) | (y_true == 1)) else y_true


@on_tape
def hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)`` with labels in {-1, 1} (0/1 are converted).

    Args and returns as :func:`mean_squared_error`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.mean(np.maximum(1 - _signed_labels(y_true) * y_pred, 0), axis=-1)


@_gradient_of(hinge)
def _hinge_grad(y_true, y_pred):
    """``-y_true / d`` where ``1 - y_true y_pred >= 0``, else 0."""
    y_true, y_pred = _prepare(y_true, y_pred)
    t = _signed_labels(y_true)
    return -t * (1 - t * y_pred >= 0) / y_pred.shape[-1]


@on_tape
def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)``, labels as in :func:`hinge`."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return np.mean(np.square(np.maximum(1 - _signed_labels(y_true) * y_pred, 0)), axis=-1)


@_gradient_of(squared_hinge)
def _squared_hinge_grad(y_true, y_pred):
    """``-2 max(1 - y_true y_pred, 0) y_true / d``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    t = _signed_labels(y_true)
    return -2 * np.maximum(1 - t * y_pred, 0) * t / y_pred.shape[-1]


@on_tape
def categorical_hinge(y_true, y_pred):
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)``: best wrong minus right.

    Args:
        y_true: one-hot targets, shape ``(batch, classes)``.
        y_pred: scores, same shape.

    Returns:
        Per-sample losses, shape ``(batch,)``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    wrong = np.max((1 - y_true) * y_pred, axis=-1)
    return np.maximum(wrong - np.sum(y_true * y_pred, axis=-1) + 1, 0)


@_gradient_of(categorical_hinge)
def _categorical_hinge_grad(y_true, y_pred):
    """``(1 - y_true) * [argmax of the wrong scores] - y_true`` where the margin is >= 0.

    Tied maxima share the gradient equally, as TensorFlow's ``reduce_max`` does.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    scores = (1 - y_true) * y_pred
    best = np.max(scores, axis=-1, keepdims=True)
    is_best = (scores == best).astype(y_pred.dtype)
    share = is_best / np.sum(is_best, axis=-1, keepdims=True)
    margin = best - np.sum(y_true * y_pred, axis=-1, keepdims=True) + 1
    return (share * (1 - y_true) - y_true) * (margin >= 0)
