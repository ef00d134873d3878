"""The data a tutorial page uses without defining it: ``x_train``, ``Y_test`` and friends.

Keras pages often show ``model.fit(x_train, y_train, ...)`` and leave loading the data to the
reader. The doc runner binds these names to a real dataset, shaped for the model the page has
just built: the inputs are reshaped to ``model.input_shape`` (scaled to ``[0, 1]``), the targets
follow the output layer and the loss (one-hot for ``categorical_crossentropy``, integer labels for
``sparse_categorical_crossentropy``, 0/1 for a single sigmoid unit).
"""
import contextlib
import os

import numpy as np

#: The data names a page may use without defining them: name -> (inputs or targets, split).
DATA_NAMES = {"x_train": ("x", "train"), "X_train": ("x", "train"), "y_train": ("y", "train"),
              "Y_train": ("y", "train"), "x_test": ("x", "test"), "X_test": ("x", "test"),
              "y_test": ("y", "test"), "Y_test": ("y", "test"),
              "data": ("x", "train"), "labels": ("y", "train")}  # the Keras guides' fit(data, labels)

#: The ``--data`` choices.
DATASETS = ("digits", "mnist", "random", "offline")

_DEFAULT_INPUT = (784,)   # a model that has no input shape yet gets flat MNIST rows
_DEFAULT_CLASSES = 10
_UNKNOWN_STEPS = 28       # the length given to sequences of unknown length (an image's rows)

#: How many samples a page gets when the images cannot fill its model's input.
SMALL = {"train": 2000, "test": 500}


def load_dataset(name):
    """Returns ``(x_train, y_train), (x_test, y_test)`` (uint8 28x28 images, labels 0..9) for a ``--data`` name.

    Args:
        name: ``'digits'`` (generated offline, 60,000 + 10,000), ``'mnist'`` (downloaded once),
            ``'random'`` (noise with random labels, 2,000 + 500: nothing to learn, but quick) or
            ``'offline'`` (MNIST's offline stand-in, the digits).
    """
    if name == "random":
        rng = np.random.default_rng(0)
        return tuple((rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8))
                     for n in (2000, 500))
    from .. import datasets
    return getattr(datasets, "digits" if name == "offline" else name).load_data()


@contextlib.contextmanager
def offline_loaders(data, scale=None):
    """With ``data == 'offline'``, every Keras dataset loader returns its generated stand-in while the block runs.

    Turns on :func:`minikeras.datasets.use_offline` and sets ``MINIKERAS_DATA=offline`` (and
    ``MINIKERAS_DATA_SCALE`` when ``scale`` is given), so processes the script starts get the same
    stand-ins; all are put back afterwards. Any other ``data`` changes nothing.

    Args:
        data: a ``--data`` name (see ``DATASETS``) or None.
        scale: the stand-ins' size as a fraction of the real datasets' (``--data-scale``); None: full size.

    Raises:
        ValueError: for a ``scale`` outside (0, 1], or a ``scale`` without ``data='offline'``.
    """
    from ..datasets import offline
    if data != "offline":
        if scale is not None:
            raise ValueError(f"a data scale ({scale!r}) only applies to the offline stand-ins: use data='offline'.")
        yield
        return
    variables = {offline.ENVIRONMENT_VARIABLE: "offline"}
    if scale is not None:
        variables[offline.SCALE_VARIABLE] = repr(offline.check_scale(scale))
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        with offline.use_offline(True, scale=scale):
            yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class PageData:
    """Provides ``x_train``/``y_train``/... for whichever model the page is using when it asks.

    Args:
        dataset: ``'digits'``, ``'mnist'``, ``'random'`` or ``'offline'`` (see ``DATASETS``).
        log: a function that receives one line of explanation per name provided.

    Raises:
        ValueError: for an unknown dataset.
    """

    def __init__(self, dataset="digits", log=print):
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}.")
        self.dataset = dataset
        self.log = log
        self._raw = None
        self._cache = {}
        self._explained = set()
        self._input_order = {}  # id(model) -> the input data names in the order the page read them

    def splits(self):
        """Returns ``{'train': (images, labels), 'test': (images, labels)}``, loading them once."""
        if self._raw is None:
            train, test = load_dataset(self.dataset)
            self._raw = {"train": train, "test": test}
        return self._raw

    def value(self, name, namespace):
        """Returns the array for data name ``name``, shaped for the model found in ``namespace``.

        Images fill a model with one input of 784 values in any shape. Other inputs get random
        numbers (word ids below ``input_dim`` for an ``Embedding``, sequences of 28 steps when the
        length is unknown), for the first ``SMALL`` samples only, targets included: enough to run
        the page. A model with several inputs gets them in the order the page first reads their
        names (``fit([headline_data, additional_data], ...)``: input 0, then input 1).

        Args:
            name: a name :func:`data_role` knows.
            namespace: the page's variables (the model is ``namespace['model']`` or the last one).
        """
        kind, split = data_role(name)
        model = find_model(namespace)
        inputs, units, loss = model_signature(model)
        images_fit = len(inputs) == 1 and inputs[0][1] is None and int(np.prod(inputs[0][0])) == 28 * 28
        count = None if images_fit else SMALL[split]
        if kind == "x":
            input_shape, vocabulary = inputs[self._input_index(model, name, len(inputs))]
            key = (kind, split, input_shape, vocabulary, count)
        else:
            key = (kind, split, units, loss, count)
        if key not in self._cache:
            images, labels = self.splits()[split]
            if kind == "y":
                self._cache[key] = self._targets(labels[:count], units, loss)
            elif images_fit:
                self._cache[key] = (images.reshape(len(images), -1).astype(np.float32) / np.float32(255)).reshape(
                    (len(images),) + input_shape)
            else:
                self._cache[key] = self._random_inputs(count, input_shape, vocabulary)
        value = self._cache[key]
        if (name, value.shape) not in self._explained:
            self._explained.add((name, value.shape))
            if kind == "y":
                what = f"{self.dataset} {split} labels as " + _target_kind(units, loss)
            elif images_fit:
                what = f"{self.dataset} {split} images, float32 in [0, 1]"
            else:
                what = ("random " + ("word ids" if vocabulary else "numbers")
                        + f" (the {self.dataset} images cannot fill this input)")
            self.log(f"{name} = {what}, shape {value.shape}")
        return value

    def _input_index(self, model, name, n_inputs):
        """Which input of ``model`` the name feeds: 0 for ``x_train`` & co., else by order of first use."""
        if name in DATA_NAMES or n_inputs == 1:
            return 0
        order = self._input_order.setdefault(id(model), [])
        if name not in order:
            order.append(name)
        return min(order.index(name), n_inputs - 1)

    @staticmethod
    def _random_inputs(count, input_shape, vocabulary):
        rng = np.random.default_rng(0)
        if vocabulary is not None:
            return rng.integers(0, vocabulary, (count,) + input_shape).astype(np.float32)
        return rng.random((count,) + input_shape, dtype=np.float32)

    @staticmethod
    def _targets(labels, units, loss):
        labels = labels.astype(np.int64)
        if "sparse" in loss:
            return (labels % units).astype(np.float32)
        if units == 1:
            binary = any(word in loss for word in ("binary", "hinge", "crossentropy"))
            return (labels % 2 if binary else labels).astype(np.float32).reshape(-1, 1)
        return np.eye(units, dtype=np.float32)[labels % units]


def find_model(namespace):
    """Returns ``namespace['model']`` if it is a model, else the last model in the namespace, else None."""
    from ..models import Model
    if isinstance(namespace.get("model"), Model):
        return namespace["model"]
    models = [value for value in namespace.values() if isinstance(value, Model)]
    return models[-1] if models else None


def model_signature(model):
    """Returns ``(inputs, output units, loss name in lower case)``; ``inputs`` holds one
    ``(shape without the batch axis, Embedding input_dim or None)`` per model input."""
    inputs, units, loss = [(_DEFAULT_INPUT, None)], _DEFAULT_CLASSES, ""
    if model is not None and getattr(model, "layers", None):
        tensors = getattr(model, "inputs", None) or []
        shapes = [tuple(t.shape) for t in tensors] or [getattr(model, "input_shape", None)]
        if all(shape is not None and len(shape) > 1 for shape in shapes):
            inputs = [(tuple(_UNKNOWN_STEPS if d is None else int(d) for d in shape[1:]),
                       _embedding_input_dim(model, tensors[k] if tensors else None)) for k, shape in enumerate(shapes)]
        units = _last_units(model) or units
    if model is not None:
        loss = model.loss
        loss = next(iter(loss.values()), "") if isinstance(loss, dict) else loss
        loss = loss[0] if isinstance(loss, (list, tuple)) and loss else loss
        loss = loss if isinstance(loss, str) else getattr(loss, "__name__", "")
    return inputs, int(units), (loss or "").lower()


def _embedding_input_dim(model, tensor):
    """The vocabulary size (``input_dim``) of the ``Embedding`` reading ``tensor`` (or the model's
    first layer, for None), else None."""
    from ..layers import Embedding
    for layer in model.layers:
        if isinstance(layer, Embedding):
            reads = [t for node in layer.inbound_nodes for t in node.input_tensors]
            if any(t is tensor for t in reads) or (tensor is None and layer is _first_layer(model)):
                return layer.input_dim
    return None


def _first_layer(model):
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    return layers[0] if layers else None


def data_role(name):
    """``(kind, split)`` for a name the page may use without defining it, else None.

    ``x_train``, ``Y_test``... are in ``DATA_NAMES``. A name ending in ``_data``
    (``headline_data``) or a lettered ``data_a``, ``data_b`` is training inputs; one ending in
    ``_labels`` or ``_targets``, training targets. Validation names are never provided.

    >>> data_role('X_test'), data_role('data_a'), data_role('aux_labels'), data_role('data_dim')
    (('x', 'test'), ('x', 'train'), ('y', 'train'), None)
    """
    if name in DATA_NAMES:
        return DATA_NAMES[name]
    words = name.lower().split("_")
    if "validation" in words or "val" in words or len(words) < 2:
        return None
    if words[-1] == "data" or (len(words) == 2 and words[0] == "data" and len(words[1]) == 1):
        return ("x", "train")
    if words[-1] in ("labels", "targets"):
        return ("y", "train")
    return None


def _last_units(model):
    """The ``units`` of the last layer that has them (an ``Activation`` keeps its input's size)."""
    for layer in reversed(model.layers):
        if getattr(layer, "units", None):
            return layer.units
    return None


def _target_kind(units, loss):
    if "sparse" in loss:
        return f"integers 0..{units - 1}"
    if units == 1:
        return "one column"
    return f"one-hot rows of {units} classes"
