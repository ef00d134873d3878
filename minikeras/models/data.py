"""Checking and preparing the arrays given to ``fit``/``evaluate``/``predict``.

Every check here runs before any training, so bad input fails at once with a message that
names the argument and the fix, instead of deep inside a matrix product.
"""
import numbers
import warnings

import numpy as np

from .. import backend
from .batching import num_samples, rows


def as_float_array(x, name):
    """Returns ``x`` as a float array (float32 unless it already is float32/float64-exact).

    Args:
        x: array-like of numbers (lists, int/bool/float arrays).
        name: the argument's name, for messages (``'x'``, ``'y'``, ``'validation_data'``).

    NaN or inf values do not stop anything, as in Keras: one warning names the first bad
    sample and suggests ``TerminateOnNaN`` (:func:`warn_nonfinite`).

    Raises:
        TypeError: for None, strings, dates, object arrays, or a masked array with masked values.
        ValueError: for an empty array, or an axis of size 0 (samples with no values).
    """
    if x is None:
        raise TypeError(f"{name} is None; pass a NumPy array (or nested lists) of numbers.")
    if isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(a, np.ndarray) for a in x) \
            and len({a.shape for a in x}) > 1:
        raise TypeError(f"{name} is a list of arrays of different shapes, but the model has one input and one "
                        f"output: pass a single array (lists of arrays are for models with several inputs/outputs).")
    try:
        arr = np.asarray(x)
    except ValueError as e:  # NumPy refuses ragged nested lists
        raise ValueError(f"{name} is a ragged nested list (rows of different lengths); every sample must "
                         f"have the same shape. Pad or cut the rows first.") from e
    if isinstance(x, np.ma.MaskedArray) and np.ma.is_masked(x):
        raise TypeError(f"{name} is a masked array with masked values; Keras models ignore masks (the hidden "
                        f"values would be trained on). Fill them first, e.g. {name} = {name}.filled(0), or drop "
                        f"those samples.")
    if arr.dtype.kind in "mM":
        raise TypeError(f"{name} has dtype {arr.dtype} (dates or durations), which Keras cannot convert to a "
                        f"tensor. Turn it into numbers first, e.g. {name}.astype('int64') (units since 1970).")
    if arr.dtype == object or arr.dtype.kind in "USVOc":
        raise TypeError(f"{name} has dtype {arr.dtype}; it must hold real numbers. Convert it, e.g. "
                        f"{name} = np.asarray({name}, dtype='float32').")
    if arr.ndim == 0 or arr.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one sample along axis 0.")
    if 0 in arr.shape[1:]:
        axis = arr.shape.index(0, 1)
        raise ValueError(f"{name} has shape {arr.shape}: axis {axis} has size 0, so its samples hold no values. "
                         f"Each sample needs at least one value along every axis (e.g. one time step).")
    with np.errstate(over="ignore"):  # float64 values beyond float32's range become inf: reported below
        converted = np.ascontiguousarray(arr, dtype=backend.floatx())
    warn_nonfinite(converted, name, original=arr)
    return converted


def warn_nonfinite(arr, name, original=None):
    """Warns once if ``arr`` holds NaN or inf, naming the first bad sample (Keras trains anyway;
    the loss then usually becomes nan).

    Args:
        arr: the converted array.
        name: the argument's name.
        original: the data before its conversion to float32 (to tell overflow from NaN/inf given).
    """
    lo, hi = arr.min(), arr.max()  # NaN propagates through min/max: no big temporary array
    if np.isfinite(lo) and np.isfinite(hi):
        return
    bad_row = int(np.argmax(~np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)))
    what = "NaN or inf" if original is None or not np.isfinite(original[bad_row]).all() \
        else f"values too large for {arr.dtype} (they become inf)"
    warnings.warn(f"{name} contains {what} (first at sample {bad_row}). minikeras goes on, as Keras does, but "
                  f"the loss and outputs will likely become nan: clean the data (e.g. np.nan_to_num, or "
                  f"standardize it), and when training add callbacks.TerminateOnNaN() to stop when the loss is "
                  f"nan.", RuntimeWarning, stacklevel=5)


def check_finite(arr, name, original=None):
    """Raises ValueError naming the first row of ``arr`` that holds NaN or inf (``original``: the
    data before its conversion to float32, to tell overflowing values from NaN/inf given)."""
    lo, hi = arr.min(), arr.max()  # NaN propagates through min/max: no big temporary array
    if np.isfinite(lo) and np.isfinite(hi):
        return
    bad_row = int(np.argmax(~np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)))
    if original is not None and np.isfinite(original[bad_row]).all():
        raise ValueError(f"{name} holds values too large for {arr.dtype} (first at sample {bad_row}); rescale "
                         f"the data, e.g. standardize it to mean 0 and standard deviation 1.")
    raise ValueError(f"{name} contains NaN or inf (first at sample {bad_row}); clean or impute the data "
                     f"before training (e.g. np.nan_to_num).")


def check_class_labels(y, num_classes, name):
    """Raises ValueError unless every value of ``y`` is a class index ``0 .. num_classes - 1``.

    Sparse losses take integer labels; a label outside the range (or a fraction, which tf_keras
    would silently truncate) is a bug in the data, so it is reported before any training.
    """
    bad = (y < 0) | (y >= num_classes) | (y != np.floor(y))
    if bad.any():
        row = int(np.argmax(bad.reshape(len(y), -1).any(axis=1)))
        raise ValueError(f"{name} holds the label {y[bad].flat[0]:g} (first at sample {row}), but the model has "
                         f"{num_classes} outputs, so sparse labels must be integers 0..{num_classes - 1}. Fix the "
                         f"labels, or give the last layer one unit per class.")


def check_batch_size(batch_size, name="batch_size"):
    """Returns ``batch_size`` (default 32) as an int, or raises ValueError/TypeError."""
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {batch_size!r}.")
    if batch_size <= 0:
        raise ValueError(f"{name} must be a positive int, got {batch_size}.")
    return int(batch_size)


def check_lengths(x, y, sample_weight=None, name_x="x", name_y="y"):
    """Raises ValueError unless ``x``, ``y`` (and ``sample_weight``) have the same number of samples."""
    if len(x) != len(y):
        raise ValueError(f"{name_x} and {name_y} must have the same number of samples, got "
                         f"{len(x)} and {len(y)}.")
    if sample_weight is not None and len(sample_weight) != len(x):
        name_w = "sample_weight" if name_x == "x" else f"{name_x[:-2]} sample_weight"
        raise ValueError(f"{name_w} must have one weight per sample ({len(x)}), got {len(sample_weight)}.")


def as_sample_weight(sample_weight, n, name="sample_weight"):
    """Returns ``sample_weight`` as a float32 vector of length ``n``, or None.

    Args:
        sample_weight: one weight per sample, or None.
        n: the number of samples.
        name: the argument's name (``'validation_data sample_weight'`` for validation).
    """
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=backend.floatx())
    if w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim == 2 and len(w) == n:
        raise ValueError(f"{name} has shape {w.shape}: one weight per time step is Keras's "
                         f"sample_weight_mode='temporal', and minikeras has no temporal sample weighting. "
                         f"Give one weight per sample ({n},), or mask the steps (Masking, mask_zero=True).")
    if w.ndim != 1 or len(w) != n:
        raise ValueError(f"{name} must be a 1-D array with one weight per sample ({n}), "
                         f"got shape {w.shape}.")
    check_finite(w, name)
    return w


def class_weight_to_sample_weight(y, class_weight, num_classes=None):
    """Turns ``class_weight={class: weight}`` into one weight per sample of ``y``.

    The class of a sample is ``argmax(y)`` for one-hot rows, else its integer label
    (and for a single sigmoid output, the 0/1 label).

    Args:
        y: the targets.
        class_weight: ``{class_index: weight}``.
        num_classes: the number of classes (the model's output units, 2 for one unit); the keys
            must be ints ``0 .. num_classes - 1`` (tf_keras's rule), the weights finite numbers.

    Raises:
        TypeError: if ``class_weight`` is not a dict.
        ValueError: for a key that is not a class index, a weight that is not a finite number,
            or a class present in ``y`` that has no weight.
    """
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be a dict {{class_index: weight}}, got {type(class_weight).__name__}.")
    limit = num_classes if num_classes is not None else max(int(y.shape[-1]) if y.ndim > 1 else 2, 2)
    bad_keys = [k for k in class_weight if isinstance(k, (bool, np.bool_)) or
                not isinstance(k, (numbers.Integral, np.integer)) or not 0 <= k < limit]
    if bad_keys:
        raise ValueError(f"Expected `class_weight` to be a dict with keys from 0 to one less than the number of "
                         f"classes ({limit}), found {class_weight} (bad keys: {bad_keys}).")
    bad_values = {k: v for k, v in class_weight.items() if isinstance(v, (bool, np.bool_))
                  or not isinstance(v, (numbers.Real, np.number)) or not np.isfinite(v)}
    if bad_values:
        raise ValueError(f"class_weight values must be finite numbers, got {bad_values}.")
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else np.round(y.reshape(len(y))).astype(int)
    missing = sorted(set(np.unique(labels).tolist()) - set(int(k) for k in class_weight))
    if missing:
        raise ValueError(f"class_weight has no weight for class(es) {missing} found in y; "
                         f"give every class a weight.")
    table = np.zeros(int(max(max(class_weight), labels.max())) + 1, dtype=backend.floatx())
    for k, v in class_weight.items():
        table[int(k)] = v
    return table[labels]


def split_validation(x, y, sample_weight, validation_split):
    """Splits off the LAST ``validation_split`` fraction of the rows, before any shuffling.

    Returns:
        ``(x, y, sample_weight), (x_val, y_val, sample_weight_val)``

    Raises:
        ValueError: if either part would be empty.
    """
    n = num_samples(x)
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"validation_split={validation_split} leaves {split_at} training and "
                         f"{n - split_at} validation samples out of {n}; both must be at least 1.")

    train = slice(0, split_at)
    val = slice(split_at, None)
    return tuple(rows(a, train) for a in (x, y, sample_weight)), tuple(rows(a, val) for a in (x, y, sample_weight))


def check_validation_split(validation_split):
    """Raises ValueError unless ``0 <= validation_split < 1``."""
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real) \
            or not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be a float in [0, 1), got {validation_split!r}.")


def unpack_validation_data(validation_data):
    """Returns ``(x_val, y_val, sample_weight_val)`` from a 2- or 3-tuple."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError("validation_data must be a tuple (x_val, y_val) or (x_val, y_val, val_sample_weight), "
                         f"got {type(validation_data).__name__}"
                         + (f" of length {len(validation_data)}" if hasattr(validation_data, '__len__') else "")
                         + ".")
    x_val, y_val = validation_data[0], validation_data[1]
    w_val = validation_data[2] if len(validation_data) == 3 else None
    return x_val, y_val, w_val
