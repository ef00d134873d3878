"""``Sequential``: a linear stack of layers (Keras ``keras.models.Sequential``).

It is a functional model grown layer by layer: once the input shape is known, an InputLayer
feeds the first layer, each layer is called on the previous one's Keras tensor, and the graph
(:mod:`minikeras.models.graph`) runs fit, evaluate and predict exactly as for ``Model``.
"""
import warnings

from ..layers import InputLayer, Layer
from ..layers.node import KerasTensor
from . import graph_config
from .model import Model, model_classes
from .summary import class_name


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

    adds_its_layers_later = True

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._layers = []
        self._input_layer = None  # an InputLayer given first (from Input(...) or InputLayer(...))
        self._chain = []          # the Keras tensor after each layer, once built
        for layer in layers or []:
            self.add(layer)

    # ------------------------------------------------------------------ the layer list
    @property
    def layers(self):
        """The model's layers, without the InputLayer (as Keras lists them)."""
        return list(self.__dict__.get("_layers", ()))

    def add(self, layer):
        """Appends ``layer``; builds it at once if the model's input shape is already known.

        Args:
            layer: a Layer (a model too), or the Keras tensor of an ``Input(...)`` as first element.

        Raises:
            TypeError: if ``layer`` is not a Layer.
            ValueError: if an InputLayer is added after other layers, or a name repeats.
        """
        if isinstance(layer, KerasTensor) and isinstance(layer.keras_history[0], InputLayer):
            layer = layer.keras_history[0]
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
        if self._graph is not None:  # grow the graph by one call
            self._chain.append(layer(self._chain[-1] if self._chain else self.inputs[0]))
            self._init_graph(self.inputs[0], self._chain[-1])
        elif self._input_shape() is not None:
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
        _warn_removed("predict_classes", "np.argmax(model.predict(x), axis=-1) (or (model.predict(x) > 0.5) "
                                         "for one sigmoid output)")
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        return proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Keras 2.2.4's probability predictions: :meth:`predict`, warned when outside ``[0, 1]``.

        (tf_keras removed this method; it gives a ``DeprecationWarning`` here.)

        Args:
            x: the inputs.
            batch_size: samples per batch.
            verbose: progress display, as in :meth:`predict`.

        Returns:
            numpy.ndarray: the model's outputs, as :meth:`predict` returns them.
        """
        _warn_removed("predict_proba", "model.predict(x)")
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.size and (proba.min() < 0.0 or proba.max() > 1.0):
            warnings.warn("Network returning invalid probability values. The last layer might not normalize "
                          "predictions into probabilities (like softmax or sigmoid would).", stacklevel=2)
        return proba

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
        layer = self._layers.pop()
        if self._graph is not None:
            self._chain.pop()
            if self._chain:
                self._init_graph(self.inputs[0], self._chain[-1])
            else:
                self._graph = None
        return layer

    def _input_shape(self):
        if self._input_layer is not None:
            return self._input_layer._batch_input_shape
        if self._layers and self._layers[0]._batch_input_shape is not None:
            return self._layers[0]._batch_input_shape
        if self._layers and self._layers[0].built:
            return self._layers[0].input_shape
        return None

    def _output_names_for_compile(self):
        return list(self.output_names) if self._graph is not None else \
            [self._layers[-1].name if self._layers else "output"]

    # ------------------------------------------------------------------ building
    def build(self, input_shape=None):
        """Creates every layer's weights for ``input_shape`` (batch axis included): an InputLayer
        (``<first layer>_input``, as tf_keras names it) feeds the layers one after the other."""
        if not self._layers:
            raise ValueError("Cannot build an empty Sequential model: add layers first.")
        shape = tuple(input_shape if input_shape is not None else self._input_shape())
        inp = self._input_layer
        if inp is None or tuple(inp._batch_input_shape)[1:] != shape[1:]:
            inp = InputLayer(batch_input_shape=shape, name=f"{self._layers[0].name}_input")
        x = inp.inbound_nodes[0].output_tensors[0]
        self._chain = []
        for layer in self._layers:
            x = layer(x)
            self._chain.append(x)
        self._init_graph(inp.inbound_nodes[0].output_tensors[0], x)

    @property
    def input_shape(self):
        return self._input_shape()

    @property
    def output_shape(self):
        return self._chain[-1].shape if self._graph is not None else None

    def get_config(self):
        """Returns ``{'name': ..., 'layers': [{'class_name': ..., 'config': ...}, ...]}``."""
        layer_configs = []
        input_layer = self._input_layer
        if input_layer is None and self._graph is not None and self._layers[0]._batch_input_shape is None:
            input_layer = self.inputs[0].keras_history[0]   # built on first use: keep its InputLayer, as tf_keras
        if input_layer is not None:
            layer_configs.append({"class_name": "InputLayer", "config": input_layer.get_config()})
        for layer in self._layers:
            layer_configs.append({"class_name": class_name(layer), "config": layer.get_config()})
        return {"name": self.name, "layers": layer_configs}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model (new weights) from :meth:`get_config`'s output."""
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(graph_config.deserialize_layer(layer_config, custom_objects, model_classes()))
        return model


def _warn_removed(method, instead):
    warnings.warn(f"Sequential.{method}() is Keras 2.2.4 API that tf_keras removed; use {instead} instead.",
                  DeprecationWarning, stacklevel=3)
