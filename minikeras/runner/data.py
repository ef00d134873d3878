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

    def splits(self):
        """Returns ``{'train': (images, labels), 'test': (images, labels)}``, loading them once."""
        if self._raw is None:
            train, test = load_dataset(self.dataset)
            self._raw = {"train": train, "test": test}
        return self._raw

    def value(self, name, namespace):
        """Returns the array for data name ``name``, shaped for the model found in ``namespace``.

        Args:
            name: one of ``DATA_NAMES``.
            namespace: the page's variables (the model is ``namespace['model']`` or the last one).
        """
        kind, split = DATA_NAMES[name]
        input_shape, units, loss = model_signature(find_model(namespace))
        key = (kind, split, input_shape) if kind == "x" else (kind, split, units, loss)
        if key not in self._cache:
            images, labels = self.splits()[split]
            self._cache[key] = self._inputs(images, input_shape) if kind == "x" else self._targets(labels, units, loss)
        value = self._cache[key]
        if (name, value.shape) not in self._explained:
            self._explained.add((name, value.shape))
            what = "images, float32 in [0, 1]" if kind == "x" else "labels as " + _target_kind(units, loss)
            self.log(f"{name} = {self.dataset} {split} {what}, shape {value.shape}")
        return value

    def _inputs(self, images, input_shape):
        x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
        if int(np.prod(input_shape)) == x.shape[1]:
            return x.reshape((len(x),) + input_shape)
        self.log(f"the model expects inputs of shape {(None,) + input_shape}, which {self.dataset} images "
                 f"(28x28 = 784 pixels) cannot fill: using random numbers of that shape instead")
        return np.random.default_rng(0).random((len(x),) + input_shape, dtype=np.float32)

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
    """Returns ``(input shape without the batch axis, output units, loss name in lower case)``."""
    input_shape, units, loss = _DEFAULT_INPUT, _DEFAULT_CLASSES, ""
    if model is not None:
        shape = getattr(model, "input_shape", None) if getattr(model, "layers", None) else None
        if shape is not None and all(d is not None for d in shape[1:]):
            input_shape = tuple(int(d) for d in shape[1:])
        if getattr(model, "layers", None):
            units = _last_units(model) or units
        loss = model.loss if isinstance(model.loss, str) else getattr(model.loss, "__name__", "")
    return input_shape, int(units), (loss or "").lower()


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
