"""``Sequential``: a linear stack of layers (Keras ``keras.models.Sequential``)."""
import inspect

import numpy as np

from .. import backend, losses
from ..layers import InputLayer, Layer
from ..layers import deserialize as deserialize_layer
from . import data
from .model import Model
from .summary import print_summary


class Sequential(Model):
    """A model whose layers each feed the next.

    Args:
        layers: optional list of layers (an :func:`~minikeras.layers.Input` may come first).
        name: model name; default ``sequential``, ``sequential_1``, ...

    The model is built (weights created) as soon as the input shape is known: when the first
    layer declares ``input_dim``/``input_shape``, or else on the first batch of data.

    >>> from minikeras.layers import Dense
    >>> model = Sequential([Dense(10, input_dim=784, activation='softmax')])
    >>> model.count_params()
    7850
    """

    def __init__(self, layers=None, name=None):
        if name is None:
            uid = backend.get_uid("sequential")
            name = "sequential" if uid == 1 else f"sequential_{uid - 1}"
        super().__init__(name=name)
        self._layers = []
        self._input_layer = None
        for layer in layers or []:
            self.add(layer)

    # ------------------------------------------------------------------ the layer list
    @property
    def layers(self):
        """The model's layers, without the InputLayer (as Keras lists them)."""
        return list(self._layers)

    def add(self, layer):
        """Appends ``layer``; builds it at once if the model's input shape is already known.

        Raises:
            TypeError: if ``layer`` is not a Layer.
            ValueError: if an InputLayer is added after other layers, or a name repeats.
        """
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add expects a Layer instance (e.g. Dense(10)), got {layer!r}.")
        if isinstance(layer, InputLayer):
            if self._layers or self._input_layer is not None:
                raise ValueError("An InputLayer/Input can only be the first element of a Sequential model.")
            self._input_layer = layer
            return
        if any(layer.name == other.name for other in self._layers):
            raise ValueError(f"All layers in a model must have unique names; {layer.name!r} is used twice.")
        self._layers.append(layer)
        if self._input_shape() is not None:
            self.build(self._input_shape())

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Keras 2.2.4's class predictions: ``argmax`` over the last axis, or ``p > 0.5`` for one output.

        (tf_keras removed this method; Keras 2.2.4 scripts such as ``examples/addition_rnn.py`` use it.)

        Args:
            x: the inputs.
            batch_size: samples per batch.
            verbose: progress display, as in :meth:`predict`.

        Returns:
            numpy.ndarray of int: ``(samples,)`` (``(samples, steps)`` for sequence outputs), or
            ``(samples, 1)`` of 0/1 for a single sigmoid output.
        """
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        return proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")

    def reset_states(self):
        """Zeroes the states of the stateful layers (``LSTM(..., stateful=True)``)."""
        for layer in self._layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()

    def pop(self):
        """Removes and returns the last layer.

        Raises:
            TypeError: if the model has no layers.
        """
        if not self._layers:
            raise TypeError("There are no layers in the model to pop.")
        return self._layers.pop()

    def _input_shape(self):
        if self._input_layer is not None:
            return self._input_layer._batch_input_shape
        if self._layers and self._layers[0]._batch_input_shape is not None:
            return self._layers[0]._batch_input_shape
        if self._layers and self._layers[0].built:
            return self._layers[0].input_shape
        return None

    def _output_layer(self):
        return self._layers[-1]

    # ------------------------------------------------------------------ building
    @property
    def built(self):
        return bool(self._layers) and all(layer.built for layer in self._layers)

    def build(self, input_shape=None):
        """Creates every layer's weights for ``input_shape`` (batch axis included)."""
        if not self._layers:
            raise ValueError("Cannot build an empty Sequential model: add layers first.")
        shape = tuple(input_shape if input_shape is not None else self._input_shape())
        for layer in self._layers:
            shape = layer.output_shape if layer.built else layer.build_from_shape(shape)

    @property
    def input_shape(self):
        return self._input_shape()

    @property
    def output_shape(self):
        return self._layers[-1].output_shape if self.built else None

    # ------------------------------------------------------------------ forward / backward
    def _forward(self, x, training):
        h, mask = x, None                                       # (B, features)
        for layer in self._layers:
            if mask is not None and "mask" in inspect.signature(layer.call).parameters:
                out = layer.call(h, training=training, mask=mask)  # e.g. Embedding(mask_zero=True) -> LSTM
            else:
                out = layer(h, training=training)
            compute_mask = getattr(layer, "compute_mask", None)
            mask = compute_mask(h, mask) if compute_mask is not None else None
            h = out
        return h                                                # (B, outputs)

    def _backward(self, grad, from_logits):
        layers = self._layers
        last = layers[-1]
        grad = last.backward_from_logits(grad, len(layers) > 1) if from_logits \
            else last.backward(grad, len(layers) > 1)
        for i in range(len(layers) - 2, -1, -1):
            grad = layers[i].backward(grad, input_grad=i > 0)  # the first layer needs no dL/dx

    def _grads_and_vars(self):
        return [(g, w) for layer in self._layers for g, w in zip(layer.grads, layer.trainable_weights)]

    # ------------------------------------------------------------------ data checks
    def _check_input(self, x, name_x="x"):
        if not self._layers:
            raise ValueError("The model has no layers: add some before training or predicting.")
        if not self.built:
            self.build((None,) + x.shape[1:])
        expected = self.input_shape[1:]
        if x.ndim != len(expected) + 1 or any(e is not None and e != a for e, a in zip(expected, x.shape[1:])):
            raise ValueError(f"{name_x} has shape {x.shape}, but the model expects inputs of shape "
                             f"{(None,) + expected} (samples first). Check the features of {name_x} or the first "
                             f"layer's input_dim/input_shape.")

    def _standardize(self, x, y, sample_weight, class_weight, name_x="x", name_y="y"):
        """Converts and checks ``x``, ``y`` and the weights; returns float32 arrays."""
        x = data.as_float_array(x, name_x)
        y = data.as_float_array(y, name_y)
        data.check_lengths(x, y, sample_weight, name_x, name_y)
        self._check_input(x, name_x)
        y = self._check_targets(y, name_y)
        w = data.as_sample_weight(sample_weight, len(x))
        if class_weight is not None:
            cw = data.class_weight_to_sample_weight(y, class_weight)
            w = cw if w is None else w * cw
        return x, y, w

    def _check_targets(self, y, name_y):
        out = self.output_shape
        sparse = self._loss_fn in (losses.sparse_categorical_crossentropy,)
        if sparse:
            if not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
                raise ValueError(f"{name_y} has shape {y.shape}, but sparse_categorical_crossentropy expects "
                                 f"integer labels of shape (samples,). For one-hot targets use "
                                 f"loss='categorical_crossentropy'.")
            data.check_class_labels(y, out[-1], name_y)
            return y.reshape(-1, 1)  # tf_keras gives losses and metrics (samples, 1) labels
        if y.ndim == 1 and len(out) == 2 and out[1] == 1:
            return y.reshape(-1, 1)  # tf_keras expands (samples,) targets to (samples, 1)
        if y.shape[1:] != tuple(out[1:]):
            hint = ""
            if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
                hint = (f" If {name_y} holds class labels, one-hot encode them with "
                        f"minikeras.utils.to_categorical({name_y}, {out[-1]}) or use "
                        f"loss='sparse_categorical_crossentropy'.")
            raise ValueError(f"{name_y} has shape {y.shape}, but the model's output has shape {out}; "
                             f"they must agree after the samples axis.{hint}")
        return y

    # ------------------------------------------------------------------ weights and config
    @property
    def weights(self):
        return [w for layer in self._layers for w in layer.weights]

    @property
    def trainable_weights(self):
        return [w for layer in self._layers for w in layer.trainable_weights]

    def get_weights(self):
        """Returns copies of all weights, layer by layer."""
        return [w for layer in self._layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Sets all weights from a list in :meth:`get_weights` order.

        Raises:
            ValueError: if the count or a shape does not match.
        """
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self._layers)
        if len(weights) != expected:
            raise ValueError(f"set_weights expects {expected} arrays for this model, got {len(weights)}.")
        for layer in self._layers:
            k = len(layer.weights)
            layer.set_weights(weights[:k])
            weights = weights[k:]

    def count_params(self):
        """Returns the number of scalars in all the layers' weights."""
        return sum(layer.count_params() for layer in self._layers)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index."""
        if index is not None:
            return self._layers[index]
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in self._layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None):
        """Prints the layer table in Keras's format (see :mod:`minikeras.models.summary`)."""
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    def get_config(self):
        """Returns ``{'name': ..., 'layers': [{'class_name': ..., 'config': ...}, ...]}``."""
        layer_configs = []
        if self._input_layer is not None:
            layer_configs.append({"class_name": "InputLayer", "config": self._input_layer.get_config()})
        for layer in self._layers:
            layer_configs.append({"class_name": type(layer).__name__, "config": layer.get_config()})
        return {"name": self.name, "layers": layer_configs}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model (new weights) from :meth:`get_config`'s output."""
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(deserialize_layer(layer_config, custom_objects))
        return model
