"""``Layer``: the base of every layer (Keras ``keras.layers.Layer``).

A layer is a function with weights. It is *built* (its weights are created) the first
time it sees an input shape, as in Keras, so ``__init__`` only stores arguments.

Each layer writes its forward pass in :meth:`Layer.call` and, right beside it, the backward
pass in :meth:`Layer.backward`: given ``dL/d(output)`` it stores ``dL/d(weight)`` for every
trainable weight in ``self.grads`` and returns ``dL/d(input)``. A layer that writes no
``backward`` (a user's custom layer) is differentiated by the autodiff tape instead, and every
``backward`` is checked: see :mod:`minikeras.layers.tape`.
"""
import functools

import numpy as np

from .. import backend, regularizers
from ..backend import autodiff
from ..utils import generic_utils
from . import node as node_module
from . import arguments, tape
from . import weights as weights_module
from .input_spec import check_input


class Layer(weights_module.WeightsMixin, node_module.NodeAccessors):
    """Base layer: naming, building, the forward and backward contract, config (weights: ``weights.py``).

    Args:
        **kwargs: the keyword arguments every Keras layer accepts:

            - ``name``: unique name; default ``<snake_class_name>``, then ``_1``, ``_2``, ...
            - ``trainable``: whether the optimizer updates this layer's weights.
            - ``dtype``: weight dtype, default ``backend.floatx()``.
            - ``input_shape``: shape of one sample (no batch axis), for a model's first layer.
            - ``input_dim``: shorthand for ``input_shape=(input_dim,)``.
            - ``batch_input_shape``: full input shape including the batch axis (``None`` = any).
            - ``batch_size``: fixed batch size to record in ``batch_input_shape``.
            - ``activity_regularizer``: penalty on the layer's output, ``reg(output) / batch``
              added to the loss (tf_keras's scaling).
            - ``weights``: initial values of the weights (as :meth:`set_weights` takes them),
              copied in when the layer is built.

    Raises:
        TypeError: for a keyword argument Keras layers do not take.
    """

    def __init__(self, **kwargs):
        unknown = set(kwargs) - arguments.ALLOWED_KWARGS
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(unknown)}; "
                            f"allowed: {sorted(arguments.ALLOWED_KWARGS)}.")
        name = kwargs.get("name")
        if name is None:
            prefix = generic_utils.to_snake_case(getattr(type(self), "keras_class_name", type(self).__name__))
            uid = backend.get_uid(prefix)
            name = prefix if uid == 1 else f"{prefix}_{uid - 1}"
        elif not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {name!r}.")
        self.name = name
        self.trainable = bool(kwargs.get("trainable", True))
        self.dtype = arguments.dtype_name(kwargs.get("dtype"), name)
        self._batch_input_shape = arguments.batch_input_shape(kwargs)
        self.__dict__["built"] = False
        self.__dict__["_shapes"] = (None, None)  # (input, output) shapes from build, before any node
        self.inbound_nodes = []   # one Node per call on Keras tensors (see layers/node.py)
        self.outbound_nodes = []  # the Nodes of the layers that consumed this layer's outputs
        self._weights = []  # list of (name, array, trainable)
        self._regularizers = []  # list of (array index, regularizer)
        self._constraints = []  # list of (array index, constraint)
        self._call_losses = []  # what call() passed to add_loss, for this call
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        self._initial_weights = kwargs.get("weights")
        self.grads = []

    #: an :class:`~minikeras.layers.input_spec.InputSpec` (or a list, one per input) that every call's
    #: input must fit; None accepts anything. Custom layers set it, as in Keras.
    input_spec = None

    # ------------------------------------------------------------------ building
    def __call__(self, inputs, training=False, mask=None, **kwargs):
        """Runs :meth:`call` on arrays (building the layer on its first input), with ``training``/
        ``mask`` if ``call`` accepts them, on the autodiff tape if the layer has no ``backward``.
        On Keras tensors (from :func:`~minikeras.layers.Input`) records a node instead and returns
        Keras tensors."""
        if self.input_spec is not None:                    # a custom layer's InputSpec, as Keras checks it
            check_input(self.input_spec, node_module.shape_of(inputs), self.name)
        if node_module.is_symbolic(inputs):
            return node_module.call_symbolic(self, inputs, kwargs if mask is None else dict(kwargs, mask=mask))
        if not self.built:
            self.build_from_shape(batch_shape_of(inputs))
        self._call_losses = []
        outputs = tape.run_call(self, inputs, training, mask, **kwargs)
        if self.activity_regularizer is not None:
            self._outputs = outputs
            self.add_loss(self.activity_regularizer(autodiff.value_of(outputs)) / len(outputs))
        return outputs

    def build_from_shape(self, input_shape):
        """Creates the weights for ``input_shape`` (batch axis included; a list for several
        inputs) and records the shapes."""
        input_shape = [tuple(s) for s in input_shape] if _is_shape_list(input_shape) else tuple(input_shape)
        self.build(input_shape)
        self.built = True
        if self._initial_weights is not None:            # Layer(weights=[...]): set once, when built
            self.set_weights(self._initial_weights)
            self._initial_weights = None
        output_shape = self.compute_output_shape(input_shape)
        self.__dict__["_shapes"] = (input_shape, output_shape)
        return output_shape

    def build(self, input_shape):
        """Creates weights with :meth:`add_weight`. The base layer has none."""

    def compute_output_shape(self, input_shape):
        """Returns the output shape for ``input_shape``.

        The base layer keeps it unchanged; for a layer differentiated by the tape (a user's layer
        that writes ``call`` but not this method) it is found by calling ``call`` on zeros (one
        sample per unknown axis), as Keras traces it.
        """
        if type(self).call is Layer.call or not self.uses_tape:
            return tuple(input_shape)
        zeros = np.zeros([1 if d is None else d for d in input_shape], dtype=self.dtype)
        out = tape.run_call(self, zeros, False, None)
        self._call_losses = []
        return (input_shape[0],) + tuple(np.shape(out))[1:]

    # ------------------------------------------------------------------ masks
    #: Keras's mask protocol: a layer that sets ``supports_masking = True`` passes its input's mask
    #: (e.g. from ``Embedding(mask_zero=True)``) on to the next layer unchanged; others drop it.
    supports_masking = False

    def compute_mask(self, inputs, mask=None):
        """The output's mask: the input's if :attr:`supports_masking`, else none (as tf_keras)."""
        return mask if self.supports_masking else None

    # ------------------------------------------------------------------ forward / backward
    def call(self, inputs, training=False):
        """The forward pass. The base layer is the identity."""
        return inputs

    #: Attributes the forward pass keeps for the backward pass (cleared by :meth:`release_cache`).
    _CACHE = ("_inputs", "_z", "_y", "_mask", "_shape", "_tape", "_outputs")

    def release_cache(self):
        """Drops what the last forward pass kept for backward (a batch can be a view of a large array)."""
        for name in self._CACHE:
            self.__dict__.pop(name, None)

    @property
    def logits(self):
        """The last call's values before the activation (``_z``), or None: what a loss computed
        from the logits (softmax/sigmoid + crossentropy, as tf_keras does) reads."""
        return self.__dict__.get("_z")

    def cache_state(self):
        """Returns what the last forward pass kept for backward (a model graph saves it per call of
        a shared layer and gives it back with :meth:`restore_cache_state` before backward)."""
        return {name: self.__dict__[name] for name in self._CACHE if name in self.__dict__}

    def restore_cache_state(self, state):
        """Puts back a state returned by :meth:`cache_state`."""
        self.release_cache()
        self.__dict__.update(state)

    def backward(self, grad_output, input_grad=True):
        """The backward pass: fills ``self.grads``; returns ``dL/d(input)`` (or None).

        The base layer's ``call`` is the identity, and so is this. A subclass that writes
        ``call`` but no ``backward`` is differentiated by the tape (:func:`tape.tape_backward`).
        """
        self.grads = []
        return grad_output

    def __init_subclass__(cls, **kwargs):
        """Every ``backward`` a subclass writes is wrapped by :func:`_checked_backward`."""
        super().__init_subclass__(**kwargs)
        if "backward" in vars(cls):
            cls.backward = _checked_backward(vars(cls)["backward"])

    @property
    def uses_tape(self):
        """True if this layer's gradients come from the tape (its class writes ``call`` but no ``backward``)."""
        return tape.uses_tape(type(self))

    # ------------------------------------------------------------------ losses added by call
    def add_loss(self, losses):
        """Adds a term to the model's loss, from inside :meth:`call` (Keras's ``self.add_loss``).

        Args:
            losses: a scalar (or a list of them) computed from the inputs and weights; on a layer
                without ``backward`` its gradient is taken by the tape.
        """
        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            self._call_losses.append(loss() if callable(loss) else loss)

    @property
    def losses(self):
        """The layer's loss terms: its weight penalties, then what its last call added with :meth:`add_loss`."""
        penalties = [float(reg(w)) for w, reg in self.penalized_weights()]   # inner layers' too (an RNN's cell)
        return penalties + [float(np.sum(autodiff.value_of(v))) for v in self._call_losses]

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

    def add_update(self, updates, inputs=None):
        """Keras 2's hook for state updates, e.g. ``self.add_update(K.update_add(v, x))`` in a
        Keras 2.2.4 stateful metric. minikeras runs eagerly: ``K.update``/``K.update_add``/
        ``K.update_sub`` change the variable when they are called, so nothing is left to run
        and the updates are not kept.

        Args:
            updates: what ``K.update*`` returned (or a list of it).
            inputs: ignored (Keras 2 ran updates that depend on the inputs only for those inputs).
        """

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} built={self.built}>"


def _is_shape_list(shape):
    return isinstance(shape, (list, tuple)) and len(shape) > 0 and isinstance(shape[0], (list, tuple))


def batch_shape_of(inputs):
    """Returns ``(None,) + shape[1:]`` of an array, or a list of those for a list of arrays."""
    if isinstance(inputs, (list, tuple)) and inputs and all(hasattr(a, "shape") for a in inputs):
        return [(None,) + tuple(a.shape)[1:] for a in inputs]
    return (None,) + tuple(np.shape(inputs))[1:]


def _checked_backward(backward):
    """Wraps a layer's ``backward``: adds the activity penalty's gradient, uses the tape when the
    class's ``call`` is newer than its ``backward``, and enforces the contract (:func:`tape.check_gradients`)."""
    @functools.wraps(backward)
    def checked(self, grad_output, input_grad=True):
        if self.activity_regularizer is not None:
            penalty = weights_module.penalty_gradient(self.activity_regularizer, self._outputs) / len(self._outputs)
            grad_output = grad_output + penalty.astype(np.result_type(grad_output))
        self.grads = None
        if tape.uses_tape(type(self)):
            result = tape.tape_backward(self, grad_output, input_grad)
        else:
            result = backward(self, grad_output, input_grad)
        tape.check_gradients(self)
        return result
    return checked


Layer.backward = _checked_backward(Layer.backward)  # the base class's own, checked like the others
