"""Symbolic tensors and the nodes that record layer calls: the raw material of a model graph.

``Input(shape=(3,))`` returns a :class:`KerasTensor`: no numbers, only a shape (batch axis
``None``) and its history, "which layer made me, at which call". Calling a layer on Keras
tensors does not compute anything: the layer builds its weights for the input shape, appends a
:class:`Node` to ``layer.inbound_nodes`` and returns new Keras tensors. ``Model(inputs, outputs)``
later walks these nodes back from the outputs to the inputs (:mod:`minikeras.models.graph`).

>>> from minikeras.layers import Input, Dense
>>> x = Input(shape=(3,), name='x')
>>> y = Dense(2, name='d')(x)
>>> y.shape, y.keras_history[0].name, y.keras_history[1]
((None, 2), 'd', 0)
"""
import inspect

import numpy as np


class KerasTensor:
    """A symbolic tensor: a shape and the layer call that produces it (Keras's ``KerasTensor``).

    Args:
        shape: tuple, batch axis first (``None`` = any batch size).
        dtype: dtype name, e.g. ``'float32'``.
        layer: the layer whose call produced it.
        node_index: which call of ``layer`` (its index in ``layer.inbound_nodes``).
        tensor_index: which output of that call (0 for single-output layers).
        name: a readable name (``'input_1'`` for inputs).
    """

    def __init__(self, shape, dtype, layer, node_index, tensor_index=0, name=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.keras_history = (layer, node_index, tensor_index)
        self.name = name or f"{layer.name}/output_{node_index}_{tensor_index}"

    @property
    def _keras_history(self):
        """Keras's private spelling of :attr:`keras_history`, read by some Keras code."""
        return self.keras_history

    @property
    def node(self):
        """The :class:`Node` that produced this tensor."""
        layer, node_index, _ = self.keras_history
        return layer.inbound_nodes[node_index]

    def __repr__(self):
        return (f"<KerasTensor: shape={self.shape} dtype={self.dtype} "
                f"(created by layer '{self.keras_history[0].name}')>")

    def __len__(self):
        raise TypeError(f"A KerasTensor is symbolic (shape {self.shape}): it has no length or values. "
                        f"Build a Model(inputs, outputs) and call model.predict(arrays) to get numbers.")

    def _no_ops(self, *args):
        raise TypeError(f"minikeras has no TFOpLambda: arithmetic, a K function or a NumPy function on a symbolic "
                        f"tensor ({self.name}) is not recorded. Use the merge layers (Add, Multiply, ...) or a "
                        f"Lambda layer instead.")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __getitem__ = _no_ops
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """NumPy's ufuncs (``np.square``, hence ``K.square``...) refuse it by name, as arithmetic does."""
        self._no_ops()

    def __array_function__(self, func, types, args, kwargs):
        """NumPy functions (``np.reshape``, hence ``K.flatten``, ``K.sum``...) refuse it by name, as arithmetic does."""
        self._no_ops()


class Node:
    """One call of a layer on Keras tensors: what went in, what came out.

    Args:
        layer: the layer called.
        input_tensors: list of :class:`KerasTensor` (empty for an ``InputLayer``).
        output_tensors: list of :class:`KerasTensor` produced by the call.
        kwargs: extra keyword arguments of the call (recorded in configs).
        is_input: True for the node an ``InputLayer`` makes for itself.
    """

    def __init__(self, layer, input_tensors, output_tensors, kwargs=None, is_input=False):
        self.layer = layer
        self.input_tensors = list(input_tensors)
        self.output_tensors = list(output_tensors)
        self.kwargs = dict(kwargs or {})
        self.is_input = is_input
        self.single_input = True   # the call received one tensor, not a list
        self.single_output = True  # the call returned one tensor, not a list

    @property
    def inbound_layers(self):
        """The layers whose outputs this call consumed, in argument order."""
        return [t.keras_history[0] for t in self.input_tensors]

    def iterate_inbound(self):
        """Yields ``(layer, node_index, tensor_index, tensor)`` for every input (as Keras's node does)."""
        for t in self.input_tensors:
            layer, node_index, tensor_index = t.keras_history
            yield layer, node_index, tensor_index, t

    @property
    def input_shapes(self):
        """The input shape, or a list of shapes for a multi-input call."""
        shapes = [t.shape for t in self.input_tensors]
        return shapes[0] if self.single_input else shapes

    @property
    def output_shapes(self):
        """The output shape, or a list of shapes for a multi-output call."""
        shapes = [t.shape for t in self.output_tensors]
        return shapes[0] if self.single_output else shapes

    def __repr__(self):
        return f"<Node of {self.layer.name!r}: {[t.name for t in self.input_tensors]} -> " \
               f"{[t.name for t in self.output_tensors]}>"


class NodeAccessors:
    """What ``Layer`` knows about its calls on Keras tensors: inputs, outputs and shapes per call.

    A layer called once has one input, output and shape. A layer called several times (shared)
    answers ``get_input_at(i)`` / ``get_output_at(i)``; its ``input``/``output`` are those of the
    first call (as tf_keras), and its ``input_shape``/``output_shape`` exist only if every call agrees.
    """

    def _node_at(self, node_index, what):
        if not self.inbound_nodes:
            raise RuntimeError(f"The layer {self.name!r} has never been called on Keras tensors and thus "
                               f"has no defined {what}.")
        if not -len(self.inbound_nodes) <= node_index < len(self.inbound_nodes):
            raise ValueError(f"Asked to get {what} at node {node_index}, but the layer has only "
                             f"{len(self.inbound_nodes)} inbound nodes.")
        return self.inbound_nodes[node_index]

    def get_input_at(self, node_index):
        """Returns the input Keras tensor(s) of the layer's call number ``node_index`` (an
        ``InputLayer``'s input is its own tensor, as in tf_keras: ``model.layers[0].input``)."""
        node = self._node_at(node_index, "input")
        tensors = node.output_tensors if node.is_input else node.input_tensors
        return tensors[0] if node.single_input else list(tensors)

    def get_output_at(self, node_index):
        """Returns the output Keras tensor(s) of the layer's call number ``node_index``."""
        node = self._node_at(node_index, "output")
        return node.output_tensors[0] if node.single_output else list(node.output_tensors)

    def get_input_shape_at(self, node_index):
        """Returns the input shape of the layer's call number ``node_index``."""
        return self._node_at(node_index, "input shape").input_shapes

    def get_output_shape_at(self, node_index):
        """Returns the output shape of the layer's call number ``node_index``."""
        return self._node_at(node_index, "output shape").output_shapes

    @property
    def input(self):
        """The input Keras tensor of the layer's first call (tf_keras's choice for a shared layer)."""
        if not self.inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self.get_input_at(0)

    @property
    def output(self):
        """The output Keras tensor of the layer's first call (tf_keras's choice for a shared layer)."""
        if not self.inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        return self.get_output_at(0)

    def _shape_from_nodes(self, which):
        nodes = [n for n in self.inbound_nodes if which == "output" or not n.is_input]
        shapes = [n.output_shapes if which == "output" else n.input_shapes for n in nodes]
        if not shapes:
            return self.__dict__["_shapes"][0 if which == "input" else 1]
        if any(s != shapes[0] for s in shapes):
            raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with different {which} '
                                 f'shapes. Hence the notion of "{which} shape" is ill-defined for the layer. '
                                 f'Use `get_{which}_shape_at(node_index)` instead.')
        return shapes[0]

    @property
    def input_shape(self):
        """The input shape (batch axis included), the same for every call; None before building."""
        return self._shape_from_nodes("input")

    @input_shape.setter
    def input_shape(self, shape):  # a layer may record its shapes itself in build()
        self.__dict__["_shapes"] = (shape, self.__dict__["_shapes"][1])

    @property
    def output_shape(self):
        """The output shape (batch axis included), the same for every call; None before building."""
        return self._shape_from_nodes("output")

    @output_shape.setter
    def output_shape(self, shape):
        self.__dict__["_shapes"] = (self.__dict__["_shapes"][0], shape)


def shape_of(inputs):
    """The shape of a KerasTensor or an array (batch axis included), or a list of them for a list."""
    if isinstance(inputs, (list, tuple)) and inputs and all(hasattr(t, "shape") for t in inputs):
        return [tuple(t.shape) for t in inputs]                      # several inputs
    return tuple(inputs.shape) if hasattr(inputs, "shape") else tuple(np.shape(inputs))   # nested lists: one


def is_symbolic(inputs):
    """True if ``inputs`` is a KerasTensor or a list/tuple of them.

    Raises:
        TypeError: for a list that mixes Keras tensors and arrays.
    """
    if isinstance(inputs, KerasTensor):
        return True
    if isinstance(inputs, (list, tuple)) and inputs and any(isinstance(t, KerasTensor) for t in inputs):
        if not all(isinstance(t, KerasTensor) for t in inputs):
            raise TypeError("A layer was called on a list mixing Keras tensors (from Input) and arrays; "
                            "make every input a Keras tensor (constants need an Input of their own).")
        return True
    return False


def call_symbolic(layer, inputs, kwargs):
    """Builds ``layer`` for the shapes of ``inputs``, records a :class:`Node`, returns its outputs.

    Args:
        layer: the layer being called.
        inputs: a KerasTensor or a list of them.
        kwargs: other keyword arguments of the call (``training`` is dropped: it is decided when
            the model runs).

    Returns:
        A KerasTensor, or a list of them if the layer has several outputs.
    """
    single_input = isinstance(inputs, KerasTensor)
    tensors = [inputs] if single_input else list(inputs)
    shapes = tensors[0].shape if single_input else [t.shape for t in tensors]
    if not layer.built:
        layer.build_from_shape(shapes)
    output_shapes = layer.compute_output_shape(shapes)
    single_output = not (isinstance(output_shapes, list) and output_shapes and isinstance(output_shapes[0], tuple))
    output_shapes = [tuple(output_shapes)] if single_output else [tuple(s) for s in output_shapes]
    node_index = len(layer.inbound_nodes)
    kwargs = {k: v for k, v in kwargs.items() if k != "training"}
    outputs = [KerasTensor(s, layer.dtype, layer, node_index, i) for i, s in enumerate(output_shapes)]
    node = Node(layer, tensors, outputs, kwargs)
    node.single_input, node.single_output = single_input, single_output
    layer.inbound_nodes.append(node)
    for t in tensors:
        t.keras_history[0].outbound_nodes.append(node)
    return outputs[0] if single_output else outputs


_ACCEPTS_MASK = {}


def call_accepts_mask(layer):
    """True if ``type(layer).call`` has a ``mask`` parameter (Keras's mask protocol)."""
    cls = type(layer)
    if cls not in _ACCEPTS_MASK:
        _ACCEPTS_MASK[cls] = "mask" in inspect.signature(cls.call).parameters
    return _ACCEPTS_MASK[cls]
