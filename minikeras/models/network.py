"""``Network``: a graph of layers that is itself a layer (the part of Keras's ``Model`` that is not training).

It owns a :class:`~minikeras.models.graph.Graph` and gives it the face of a layer: ``call`` runs
the graph forward, ``backward`` runs it backwards (so a model can sit inside another model), its
weights are its layers' weights, layer by layer, and ``trainable`` switches them all.
"""
from ..layers import Layer
from ..layers.node import KerasTensor, Node
from .graph import Graph
from .summary import print_summary


def flatten_structure(value, what):
    """A tensor, list or dict of KerasTensors -> ``(list, keys or None)``; dicts in sorted key order.

    Raises:
        TypeError: if an element is not a KerasTensor.
    """
    keys = None
    if isinstance(value, dict):
        keys = sorted(value)
        items = [value[k] for k in keys]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    for t in items:
        if not isinstance(t, KerasTensor):
            raise TypeError(f"Model {what} must be Keras tensors (from Input() or from calling layers on them), "
                            f"got {t!r}. Functional models are built as Model(inputs=Input(...), outputs=...).")
    return items, keys


class Network(Layer):
    """The graph of layers between ``inputs`` and ``outputs``, usable as a layer.

    Attributes:
        inputs, outputs: lists of KerasTensors.
        input_names, output_names: the names Keras uses for them (input layers' names; the
            output layers' names, or the keys of a dict of outputs).
    """

    _CACHE = ()
    is_graph_model = True  # its own construction counts as node 0 in configs, as in Keras

    def _init_graph(self, inputs, outputs):
        """Builds the graph and records the model's own node (its inputs -> outputs)."""
        self.inputs, _ = flatten_structure(inputs, "inputs")
        self.outputs, out_keys = flatten_structure(outputs, "outputs")
        self._graph = Graph(self.inputs, self.outputs)
        self.input_names = [t.keras_history[0].name for t in self.inputs]
        self.output_names = list(out_keys) if out_keys else _unique([t.keras_history[0].name for t in self.outputs])
        self._single_io = (not isinstance(inputs, (list, tuple, dict)) or len(self.inputs) == 1,
                           not isinstance(outputs, (list, tuple, dict)) or len(self.outputs) == 1)
        node = Node(self, self.inputs, self.outputs)
        node.single_input, node.single_output = self._single_io
        own = self.__dict__.get("_own_node")
        if own is not None and own in self.inbound_nodes:
            self.inbound_nodes[self.inbound_nodes.index(own)] = node
        else:
            self.inbound_nodes.insert(0, node)
        self._own_node = node

    # ------------------------------------------------------------------ state
    @property
    def built(self):
        """True once the graph exists (the weights too)."""
        return self.__dict__.get("_graph") is not None

    @built.setter
    def built(self, value):
        pass  # derived from the graph

    @property
    def trainable(self):
        """Setting it sets every layer's ``trainable`` too (as tf_keras does)."""
        return self.__dict__.get("_trainable", True)

    @trainable.setter
    def trainable(self, value):
        self.__dict__["_trainable"] = bool(value)
        for layer in self.layers:
            layer.trainable = bool(value)

    @property
    def layers(self):
        """The model's layers in Keras's order (InputLayers included for a functional model)."""
        graph = self.__dict__.get("_graph")
        return list(graph.layers) if graph is not None else []

    def get_layer(self, name=None, index=None):
        """Returns a layer by ``name`` or by ``index`` in :attr:`layers`.

        Raises:
            ValueError: if no layer has that name, or the index is out of range.
        """
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                 f"{len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None):
        """Prints the layer table in tf_keras's format (see :mod:`minikeras.models.summary`)."""
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    # ------------------------------------------------------------------ as a layer
    def compute_output_shape(self, input_shape):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if self._single_io[1] else shapes

    def call(self, inputs, training=False):
        """Runs the graph on arrays: one array, or a list in ``inputs`` order."""
        xs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        outs = self._graph.forward(xs, training)
        return outs[0] if self._single_io[1] else outs

    def backward(self, grad_output, input_grad=True):
        """Runs the graph backwards; ``self.grads`` follows :attr:`trainable_weights`."""
        grads = list(grad_output) if not self._single_io[1] else [grad_output]
        d_inputs = self._graph.backward(grads, input_grad=True)
        self.grads = [g for layer in self.layers for g in layer.grads] if self.trainable else []
        if not input_grad:
            return None
        return d_inputs[0] if self._single_io[0] else d_inputs

    def cache_state(self):
        graph = self._graph
        return ([layer.cache_state() for layer in self.layers], dict(graph.node_caches), dict(graph.values))

    def restore_cache_state(self, state):
        for layer, s in zip(self.layers, state[0]):
            layer.restore_cache_state(s)
        self._graph.node_caches, self._graph.values = dict(state[1]), dict(state[2])

    def release_cache(self):
        for layer in self.layers:
            layer.release_cache()
        if self.__dict__.get("_graph") is not None:
            self._graph.release()

    def regularization_loss(self):
        return sum(layer.regularization_loss() for layer in self.layers)

    @property
    def losses(self):
        """Every layer's loss terms (weight penalties, ``add_loss`` terms of the last call), as floats."""
        return [loss for layer in self.layers for loss in layer.losses]

    def apply_constraints(self):
        """Projects every layer's weights through their constraints (after each optimizer update)."""
        for layer in self.layers:
            layer.apply_constraints()

    # ------------------------------------------------------------------ weights, layer by layer
    @property
    def weights(self):
        return [w for layer in self.layers for w in layer.weights]

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in layer.trainable_weights] if self.trainable else []

    @property
    def non_trainable_weights(self):
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    @property
    def weight_names(self):
        return [n for layer in self.layers for n in layer.weight_names]

    def get_weights(self):
        """Returns copies of all weights, layer by layer."""
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Sets all weights from a list in :meth:`get_weights` order.

        Raises:
            ValueError: if the count or a shape does not match.
        """
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(f"set_weights expects {expected} arrays for this model, got {len(weights)}.")
        for layer in self.layers:
            k = len(layer.weights)
            layer.set_weights(weights[:k])
            weights = weights[k:]

    def count_params(self):
        """Returns the number of scalars in all the layers' weights."""
        return sum(layer.count_params() for layer in self.layers)


def _unique(names):
    """Keras's output names: a repeated name gets ``_1``, ``_2``, ..."""
    seen, out = {}, []
    for name in names:
        k = seen.get(name, 0)
        out.append(name if k == 0 else f"{name}_{k}")
        seen[name] = k + 1
    return out
