"""``Layer``: the base of every layer (Keras ``keras.layers.Layer``).

A layer is a function with weights. It is *built* (its weights are created) the first
time it sees an input shape, as in Keras, so ``__init__`` only stores arguments.

Each layer writes its forward pass in :meth:`Layer.call` and, right beside it, the backward
pass in :meth:`Layer.backward`: given ``dL/d(output)`` it stores ``dL/d(weight)`` for every
trainable weight in ``self.grads`` and returns ``dL/d(input)``.
"""
import re

import numpy as np

from .. import backend

_ALLOWED_KWARGS = {"input_shape", "input_dim", "batch_input_shape", "batch_size", "name", "trainable", "dtype"}


def _snake_case(name):
    """tf_keras's default-name rule: ``Dense`` -> ``dense``, ``SimpleRNN`` -> ``simple_rnn``, ``LSTM`` -> ``lstm``."""
    intermediate = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", intermediate).lower()


class Layer:
    """Base layer: naming, building, weights, config.

    Args:
        **kwargs: the keyword arguments every Keras layer accepts:

            - ``name``: unique name; default ``<snake_class_name>``, then ``_1``, ``_2``, ...
            - ``trainable``: whether the optimizer updates this layer's weights.
            - ``dtype``: weight dtype, default ``backend.floatx()``.
            - ``input_shape``: shape of one sample (no batch axis), for a model's first layer.
            - ``input_dim``: shorthand for ``input_shape=(input_dim,)``.
            - ``batch_input_shape``: full input shape including the batch axis (``None`` = any).
            - ``batch_size``: fixed batch size to record in ``batch_input_shape``.

    Raises:
        TypeError: for a keyword argument Keras layers do not take.
    """

    def __init__(self, **kwargs):
        unknown = set(kwargs) - _ALLOWED_KWARGS
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(unknown)}; "
                            f"allowed: {sorted(_ALLOWED_KWARGS)}.")
        name = kwargs.get("name")
        if name is None:
            prefix = _snake_case(type(self).__name__)
            uid = backend.get_uid(prefix)
            name = prefix if uid == 1 else f"{prefix}_{uid - 1}"
        elif not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {name!r}.")
        self.name = name
        self.trainable = bool(kwargs.get("trainable", True))
        self.dtype = kwargs.get("dtype") or backend.floatx()
        self._batch_input_shape = _batch_input_shape(kwargs)
        self.built = False
        self.input_shape = None
        self.output_shape = None
        self._weights = []  # list of (name, array, trainable)
        self._regularizers = []  # list of (array index, regularizer)
        self.grads = []

    # ------------------------------------------------------------------ building
    def __call__(self, inputs, training=False):
        """Builds the layer on its first input, then runs :meth:`call`."""
        if not self.built:
            self.build_from_shape((None,) + tuple(np.shape(inputs))[1:])
        return self.call(inputs, training=training)

    def build_from_shape(self, input_shape):
        """Creates the weights for ``input_shape`` (batch axis included) and records shapes."""
        input_shape = tuple(input_shape)
        self.build(input_shape)
        self.built = True
        self.input_shape = input_shape
        self.output_shape = self.compute_output_shape(input_shape)
        return self.output_shape

    def build(self, input_shape):
        """Creates weights with :meth:`add_weight`. The base layer has none."""

    def compute_output_shape(self, input_shape):
        """Returns the output shape for ``input_shape``; the base layer keeps it unchanged."""
        return tuple(input_shape)

    def add_weight(self, name, shape, initializer, regularizer=None, trainable=True):
        """Creates, stores and returns a weight array.

        Args:
            name: short name, e.g. ``'kernel'``; the full Keras name is ``<layer>/<name>:0``.
            shape: tuple of ints.
            initializer: an initializer object (callable ``init(shape, dtype)``).
            regularizer: optional penalty object with ``__call__`` and ``gradient``.
            trainable: whether the optimizer updates it.

        Returns:
            numpy.ndarray: the weight, which the optimizer later updates in place.
        """
        value = np.asarray(initializer(tuple(shape), dtype=self.dtype), dtype=self.dtype)
        if value.shape != tuple(shape):
            raise ValueError(f"Initializer for {self.name}/{name} returned shape {value.shape}, expected {shape}.")
        value = np.ascontiguousarray(value)
        self._weights.append((name, value, trainable))
        if regularizer is not None:
            self._regularizers.append((len(self._weights) - 1, regularizer))
        return value

    # ------------------------------------------------------------------ forward / backward
    def call(self, inputs, training=False):
        """The forward pass. The base layer is the identity."""
        return inputs

    #: Attributes the forward pass keeps for the backward pass (cleared by :meth:`release_cache`).
    _CACHE = ("_inputs", "_z", "_y", "_mask", "_shape")

    def release_cache(self):
        """Drops what the last forward pass kept for backward (a batch can be a view of a large array)."""
        for name in self._CACHE:
            self.__dict__.pop(name, None)

    def backward(self, grad_output, input_grad=True):
        """The backward pass: fills ``self.grads``; returns ``dL/d(input)`` (or None)."""
        self.grads = []
        return grad_output

    # ------------------------------------------------------------------ regularization
    def regularization_loss(self):
        """Returns the sum of this layer's weight penalties (0.0 without regularizers)."""
        return sum(float(reg(self._weights[i][1])) for i, reg in self._regularizers)

    def _add_regularization_grads(self):
        """Adds ``d penalty / d weight`` to the stored gradients (trainable weights only)."""
        if not self._regularizers:  # the usual case: nothing to do on the per-batch path
            return
        trainable_index = {id(w): k for k, w in enumerate(self.trainable_weights)}
        for i, reg in self._regularizers:
            k = trainable_index.get(id(self._weights[i][1]))
            if k is not None:
                self.grads[k] = self.grads[k] + reg.gradient(self._weights[i][1]).astype(self.dtype)

    # ------------------------------------------------------------------ weights
    @property
    def weights(self):
        """All weight arrays, in creation order (``kernel`` then ``bias`` for Dense)."""
        return [w for _, w, _ in self._weights]

    @property
    def trainable_weights(self):
        """The weights the optimizer updates (none when ``trainable`` is False)."""
        return [w for _, w, t in self._weights if t] if self.trainable else []

    @property
    def non_trainable_weights(self):
        trainable = {id(w) for w in self.trainable_weights}
        return [w for _, w, _ in self._weights if id(w) not in trainable]

    @property
    def weight_names(self):
        """Keras's full weight names, e.g. ``['dense/kernel:0', 'dense/bias:0']``."""
        return [f"{self.name}/{n}:0" for n, _, _ in self._weights]

    def get_weights(self):
        """Returns copies of the weights as a list of NumPy arrays."""
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        """Copies ``weights`` into the layer's arrays (in place, so optimizer slots stay valid).

        Raises:
            ValueError: if the count or a shape differs from the layer's weights.
        """
        weights = list(weights)
        if len(weights) != len(self._weights):
            raise ValueError(f"Layer {self.name!r} expects {len(self._weights)} weights "
                             f"({self.weight_names}), but set_weights received {len(weights)}.")
        for (name, current, _), new in zip(self._weights, weights):
            new = np.asarray(new)
            if new.shape != current.shape:
                raise ValueError(f"Weight {self.name}/{name} has shape {current.shape}, but set_weights "
                                 f"received an array of shape {new.shape}.")
            current[...] = new

    def count_params(self):
        """Returns the number of scalars in all weights."""
        return int(sum(w.size for w in self.weights))

    # ------------------------------------------------------------------ config
    def get_config(self):
        """Returns the constructor arguments as a JSON-friendly dict (Keras's layout)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} built={self.built}>"


def _batch_input_shape(kwargs):
    """Reads ``batch_input_shape``/``input_shape``/``input_dim`` into ``(batch, ...)`` or None."""
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    batch = kwargs.get("batch_size")
    if kwargs.get("input_shape") is not None:
        shape = kwargs["input_shape"]
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        return (batch,) + shape
    if kwargs.get("input_dim") is not None:
        dim = kwargs["input_dim"]
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim <= 0:
            raise ValueError(f"input_dim must be a positive int, got {dim!r}.")
        return (batch, int(dim))
    return None
