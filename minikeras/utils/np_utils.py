"""``to_categorical``: integer class labels to one-hot rows; ``normalize``: rows of unit norm."""
import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Converts integer class labels to one-hot rows (Keras ``keras.utils.to_categorical``).

    Args:
        y (array-like of int): integer labels, any shape (a trailing axis of size 1 is dropped, as in Keras).
        num_classes (int or None): number of classes; default ``max(y) + 1``.
        dtype (str or numpy.dtype): dtype of the result.

    Returns:
        numpy.ndarray: one-hot rows, of shape ``y.shape + (num_classes,)``.

    Raises:
        TypeError: for ``y`` None or not numbers.
        ValueError: for non-integer or negative labels, labels ``>= num_classes``, or a ``num_classes``
            that is not a positive int.

    >>> to_categorical([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    if y is None:
        raise TypeError("to_categorical: y is None; pass the integer class labels, e.g. y_train.")
    if num_classes is not None and (isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer))
                                    or num_classes < 1):
        raise ValueError(f"to_categorical: num_classes must be a positive int or None, got {num_classes!r}.")
    y = np.asarray(y)
    if y.dtype.kind not in "iufb":
        raise TypeError(f"to_categorical expects integer class labels in y, got dtype {y.dtype}; map names to ids "
                        f"first, e.g. with np.unique(y, return_inverse=True).")
    if y.size and (not np.all(np.isfinite(y)) or not np.all(np.mod(y, 1) == 0)):
        raise ValueError("to_categorical expects integer class labels in y.")
    y = y.astype("int64")
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y.reshape(y.shape[:-1])
    if y.size and y.min() < 0:
        raise ValueError(f"to_categorical got a negative label ({y.min()}); labels must be 0..num_classes-1.")
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    elif y.size and y.max() >= num_classes:
        raise ValueError(f"to_categorical got label {y.max()} but num_classes={num_classes}; "
                         f"labels must be 0..{num_classes - 1}.")
    out = np.zeros(y.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, y[..., None], 1, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    """Divides ``x`` by its ``order``-norm along ``axis`` (Keras ``keras.utils.normalize``); zero rows stay zero.

    Args:
        x: array-like.
        axis: the axis the norm runs along.
        order: the norm's order (2: Euclidean), as ``np.linalg.norm``'s ``ord``.

    Returns:
        numpy.ndarray of ``x``'s shape.

    >>> normalize([[3.0, 4.0], [0.0, 0.0]])
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    x = np.asarray(x)
    norms = np.atleast_1d(np.linalg.norm(x, order, axis))
    norms[norms == 0] = 1
    return x / np.expand_dims(norms, axis)
