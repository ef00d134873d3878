"""Turning what the user passes to ``fit``/``evaluate``/``predict`` into checked arrays for a model.

A model with one input and one output gets plain arrays; a model with several gets lists in
``model.input_names`` / ``model.output_names`` order (from lists, or from dicts by name). Every
check runs before any training, with a message naming the argument and the fix.
"""
import numpy as np

from .. import losses
from . import data


def _as_list(value, names, argument, what):
    """A list/tuple (in order) or a dict (by name) of per-input or per-output values -> list."""
    if isinstance(value, dict):
        missing = [n for n in names if n not in value]
        unknown = sorted(set(value) - set(names))
        if missing or unknown:
            raise ValueError(f"{argument} is a dict with keys {sorted(value)}, but the model's {what} names are "
                             f"{list(names)}: give exactly one entry per {what}.")
        return [value[n] for n in names]
    if isinstance(value, (list, tuple)) and len(value) == len(names) \
            and all(np.ndim(v) >= 1 and not isinstance(v, (int, float)) for v in value):
        return list(value)
    raise ValueError(f"The model has {len(names)} {what}s ({list(names)}), so {argument} must be a list of "
                     f"{len(names)} arrays or a dict by {what} name; got {type(value).__name__}"
                     + (f" of length {len(value)}" if isinstance(value, (list, tuple)) else "") + ".")


def _unwrap_single(value, names):
    """A one-element list/dict for a single-input (or output) model -> the element.

    Raises:
        ValueError: for a dict whose keys are not the model's one name.
    """
    if isinstance(value, dict):
        if len(value) == 1 and names and list(value) == list(names):
            return next(iter(value.values()))
        raise ValueError(f"Got a dict with keys {sorted(value)}, but the model has a single input/output named "
                         f"{list(names or [])}: pass one array, or a dict with that one key.")
    if isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(value[0], np.ndarray):
        return value[0]
    return value


def standardize_x(model, x, name_x="x"):
    """Returns ``x`` as checked float arrays: one array, or a list with several inputs.

    Raises:
        ValueError, TypeError: for data that does not fit the model's inputs.
    """
    if getattr(model, "_single_io", (True, True))[0]:
        x = data.as_float_array(_unwrap_single(x, getattr(model, "input_names", None)), name_x)
        check_input(model, x, name_x)
        return x
    xs = [data.as_float_array(a, f"{name_x}[{n!r}]")
          for a, n in zip(_as_list(x, model.input_names, name_x, "input"), model.input_names)]
    for a, t, n in zip(xs, model.inputs, model.input_names):
        _check_shape(a, t.shape, f"{name_x}[{n!r}]")
    for a, n in zip(xs[1:], model.input_names[1:]):
        if len(a) != len(xs[0]):
            raise ValueError(f"All inputs must have the same number of samples; {name_x}[{model.input_names[0]!r}] "
                             f"has {len(xs[0])} and {name_x}[{n!r}] has {len(a)}.")
    return xs


def check_input(model, x, name_x="x"):
    """Builds an unbuilt Sequential from ``x``'s shape; checks ``x`` against the input shape."""
    if not model.layers:
        raise ValueError("The model has no layers: add some before training or predicting.")
    if not model.built:
        model.build((None,) + x.shape[1:])
    _check_shape(x, model.inputs[0].shape, name_x)


def _check_shape(x, expected, name_x):
    expected = tuple(expected)[1:]
    if x.ndim != len(expected) + 1 or any(e is not None and e != a for e, a in zip(expected, x.shape[1:])):
        raise ValueError(f"{name_x} has shape {x.shape}, but the model expects inputs of shape "
                         f"{(None,) + expected} (samples first). Check the features of {name_x} or the first "
                         f"layer's input_dim/input_shape.")


def standardize(model, x, y, sample_weight, class_weight, name_x="x", name_y="y"):
    """Converts and checks ``x``, ``y`` and the weights; returns ``(x, y, sample_weight)``.

    With several outputs, ``y`` and ``sample_weight`` are lists (one entry per output; one
    sample-weight array given for all outputs applies to each).
    """
    x = standardize_x(model, x, name_x)
    x0 = x if isinstance(x, np.ndarray) else x[0]
    if model._single_io[1]:
        y = data.as_float_array(_unwrap_single(y, model.output_names), name_y)
        data.check_lengths(x0, y, sample_weight, name_x, name_y)
        y = check_target(y, model.outputs[0].shape, model._targets[0].loss_fn, name_y)
        w = data.as_sample_weight(_unwrap_single(sample_weight, model.output_names), len(x0),
                                  _sample_weight_name(name_x))
        if class_weight is not None:
            cw = data.class_weight_to_sample_weight(y, class_weight, max(model.outputs[0].shape[-1] or 2, 2))
            w = cw if w is None else w * cw
        return x, y, w
    names = model.output_names
    ys = [data.as_float_array(a, f"{name_y}[{n!r}]") for a, n in zip(_as_list(y, names, name_y, "output"), names)]
    ys = [check_target(a, t.shape, target.loss_fn, f"{name_y}[{n!r}]")
          for a, t, target, n in zip(ys, model.outputs, model._targets, names)]
    for a, n in zip(ys, names):
        data.check_lengths(x0, a, None, name_x, f"{name_y}[{n!r}]")
    if class_weight is not None:
        raise ValueError("`class_weight` is only supported for Models with a single output; use "
                         "sample_weight={output_name: weights} instead.")
    if sample_weight is None or isinstance(sample_weight, np.ndarray):
        ws = [sample_weight] * len(names)
    elif isinstance(sample_weight, dict):
        ws = [sample_weight.get(n) for n in names]
    else:
        ws = _as_list(sample_weight, names, "sample_weight", "output")
    return x, ys, [data.as_sample_weight(w, len(x0), _sample_weight_name(name_x)) for w in ws]


def _sample_weight_name(name_x):
    """``'sample_weight'``, or ``'validation_data sample_weight'`` when checking ``validation_data[0]``."""
    return "sample_weight" if name_x == "x" else f"{name_x[:-2]} sample_weight"


def check_target(y, out_shape, loss_fn, name_y):
    """Checks one output's targets against its shape and loss; returns them in tf_keras's shape."""
    out = tuple(out_shape)
    if loss_fn in (losses.sparse_categorical_crossentropy,):
        label_shape = out[1:-1]          # one label per output position: (samples, *label_shape) or (..., 1)
        fits = (y.ndim - 1 == len(label_shape) or (y.ndim - 1 == len(label_shape) + 1 and y.shape[-1] == 1)) \
            and all(d is None or d == n for d, n in zip(label_shape, y.shape[1:]))
        if not fits:
            expected = (None,) + label_shape
            raise ValueError(f"{name_y} has shape {y.shape}, but sparse_categorical_crossentropy expects one "
                             f"integer label per output position, shape {expected} or {expected + (1,)} for "
                             f"the model's output {out}. For one-hot targets use loss='categorical_crossentropy'.")
        data.check_class_labels(y, out[-1], name_y)
        return y.reshape(-1, 1) if y.ndim == 1 else y   # tf_keras gives losses and metrics (samples, 1) labels
    if y.ndim == 1 and len(out) == 2 and out[1] == 1:
        return y.reshape(-1, 1)  # tf_keras expands (samples,) targets to (samples, 1)
    if y.ndim != len(out) or any(d is not None and d != n for d, n in zip(out[1:], y.shape[1:])):  # None: any length
        hint = ""
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            hint = (f" If {name_y} holds class labels, one-hot encode them with "
                    f"minikeras.utils.to_categorical({name_y}, {out[-1]}) or use "
                    f"loss='sparse_categorical_crossentropy'.")
        raise ValueError(f"{name_y} has shape {y.shape}, but the model's output has shape {out}; "
                         f"they must agree after the samples axis.{hint}")
    return y
