"""Layers that wrap a layer: ``TimeDistributed`` and ``Bidirectional`` (Keras ``keras.layers``).

The wrapper lists the inner layers' weight arrays (the same objects) as its own, under the names
tf_keras gives them (``time_distributed/kernel:0``, ``bidirectional/forward_lstm/lstm_cell/kernel:0``);
the inner layers compute the gradients, the wrapper passes them on.
"""
import numpy as np

from ..utils.generic_utils import custom_object_scope
from .base import Layer
from .input_spec import InputSpec

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _rebuilt(layer, **changes):
    """A fresh, unbuilt copy of ``layer`` from its config, with ``changes`` applied.

    The classes of the layers inside it (an RNN's cell of your own) are made known by name while
    its config is read, as tf_keras does.
    """
    config = layer.get_config()
    config.update(changes)
    with custom_object_scope({type(one).__name__: type(one) for one in layer.inner_layers()}):
        return type(layer).from_config(config)


class Wrapper(Layer):
    """Base wrapper: holds ``layer``; its regularization penalties are the inner layers'.

    Args:
        layer: the layer to wrap.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise TypeError(f"{type(self).__name__} wraps a Layer instance, e.g. Dense(3); got {layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer

    def inner_layers(self):
        """The layers whose weights this wrapper lists."""
        return [self.layer]

    def collect_grads(self):
        """``self.grads`` from the inner layers' gradients, in :attr:`trainable_weights` order."""
        self.grads = [g for layer in self.inner_layers() for g in layer.grads] if self.trainable else []

    def get_config(self):
        config = super().get_config()
        config["layer"] = {"class_name": type(self.layer).__name__, "config": self.layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config):
        from . import deserialize  # the layer table imports this module
        config = dict(config)
        config["layer"] = deserialize(config["layer"])
        return cls(**config)


class TimeDistributed(Wrapper):
    """Applies ``layer`` to every time step: ``(B, T, ...) -> (B, T, ...)``, one set of weights.

    The time axis is folded into the batch (``(B*T, ...)``), the layer runs once, and the
    result is unfolded; backward does the same with the gradient.

    Args:
        layer: the layer applied to each step, e.g. ``Dense(5)``.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    >>> from minikeras.layers import Dense
    >>> TimeDistributed(Dense(5))(np.zeros((2, 4, 3), dtype='float32')).shape
    (2, 4, 5)
    """

    _CACHE = Layer._CACHE + ("_steps_shape",)

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.input_spec = InputSpec(min_ndim=3)   # (batch, time, ...): a time axis to distribute over

    def build(self, input_shape):
        self.layer.build_from_shape((None,) + tuple(input_shape[2:]))
        self.adopt_weights(self.layer, keep_inner_name=False)

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape((None,) + tuple(input_shape[2:]))
        return tuple(input_shape[:2]) + tuple(inner[1:])

    def compute_mask(self, inputs, mask=None):
        """The ``(B, T)`` mask passes through."""
        return mask

    def call(self, inputs, training=False, mask=None):
        x = inputs if hasattr(inputs, "ndim") else np.asarray(inputs)  # (B, T, ...) array or tape tensor
        self._steps_shape = x.shape[:2]
        y = self.layer.call(x.reshape((-1,) + x.shape[2:]), training=training)  # (B*T, ...)
        return y.reshape(self._steps_shape + y.shape[1:])             # (B, T, ...)

    def backward(self, grad_output, input_grad=True):
        g = grad_output.reshape((-1,) + grad_output.shape[2:])        # (B*T, ...)
        dx = self.layer.backward(g, input_grad)
        self.collect_grads()
        return None if dx is None else dx.reshape(self._steps_shape + dx.shape[1:])  # (B, T, ...)


class Bidirectional(Wrapper):
    """Runs a recurrent layer forwards and a copy backwards over the sequence, and merges them.

    The backward copy (``go_backwards`` flipped) returns its sequence in processing order; it is
    reversed back before merging, so step ``t`` of both halves describes input step ``t``.

    Args:
        layer: a recurrent layer (``LSTM(8)``, ``GRU(8, return_sequences=True)``, ...).
        merge_mode: ``'concat'`` (default), ``'sum'``, ``'mul'``, ``'ave'``, or None for ``[fw, bw]``.
        backward_layer: optional recurrent layer to use as the backward half.
        weights: optional initial weights (forward's then backward's).
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    Raises:
        ValueError: for an unknown ``merge_mode``.

    >>> from minikeras.layers import LSTM
    >>> Bidirectional(LSTM(4))(np.zeros((2, 5, 3), dtype='float32')).shape
    (2, 8)
    """

    _CACHE = Layer._CACHE + ("_y_forward", "_y_backward")

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Invalid merge_mode {merge_mode!r}: choose one of {list(MERGE_MODES)}.")
        for name, wrapped in (("layer", layer), ("backward_layer", backward_layer)):
            if wrapped is not None and not hasattr(wrapped, "go_backwards"):
                raise ValueError(f"Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU or RNN); its "
                                 f"{name} is {type(wrapped).__name__}. For other layers, run them on the sequence "
                                 f"directly, or wrap them in TimeDistributed.")
        super().__init__(layer, **kwargs)
        self.merge_mode = merge_mode
        self.forward_layer = _rebuilt(layer, name="forward_" + layer.name)
        self._custom_backward = backward_layer is not None
        if backward_layer is None:
            self.backward_layer = _rebuilt(layer, name="backward_" + layer.name, go_backwards=not layer.go_backwards)
        else:
            self.backward_layer = _rebuilt(backward_layer, name="backward_" + backward_layer.name)
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self._initial_weights = weights

    def __call__(self, inputs, initial_state=None, constants=None, **kwargs):
        """As :meth:`Layer.__call__`.

        Raises:
            ValueError: for ``initial_state`` or ``constants`` (not supported here).
        """
        if initial_state is not None or constants is not None:
            raise ValueError(f"minikeras has no {'initial_state' if initial_state is not None else 'constants'} for "
                             f"Bidirectional ({self.name}); Keras gives the first half of the states to the forward "
                             f"layer and the second half to the backward one: write that out with two recurrent "
                             f"layers (one with go_backwards=True), each with its initial_state, and Concatenate them.")
        return super().__call__(inputs, **kwargs)

    def inner_layers(self):
        return [self.forward_layer, self.backward_layer]

    def build(self, input_shape):
        for layer in self.inner_layers():
            layer.build_from_shape(input_shape)
            self.adopt_weights(layer, keep_inner_name=True)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], shape[1:]
            states = states + states
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (2 * shape[-1],)
        elif self.merge_mode is None:
            shape = [shape, shape]
        if self.return_state:
            return (shape if self.merge_mode is None else [shape]) + states
        return shape

    def compute_mask(self, inputs, mask=None):
        """The input mask passes on with ``return_sequences``."""
        out_mask = mask if self.return_sequences else None
        if self.merge_mode is None:
            out_mask = [out_mask, out_mask]
        if self.return_state:
            n = 2 * len(self.forward_layer.cell.state_size)
            return (out_mask if self.merge_mode is None else [out_mask]) + [None] * n
        return out_mask

    def call(self, inputs, training=False, mask=None):
        y_f = self.forward_layer.call(inputs, mask=mask, training=training)
        y_b = self.backward_layer.call(inputs, mask=mask, training=training)
        states = []
        if self.return_state:
            (y_f, *states_f), (y_b, *states_b) = y_f, y_b
            states = states_f + states_b
        if self.return_sequences:
            y_b = y_b[:, ::-1]                                         # (B, T, u) back to input order
        self._y_forward, self._y_backward = y_f, y_b
        if self.merge_mode == "concat":
            out = np.concatenate([y_f, y_b], axis=-1)                  # (..., 2u)
        elif self.merge_mode == "sum":
            out = y_f + y_b
        elif self.merge_mode == "mul":
            out = y_f * y_b
        elif self.merge_mode == "ave":
            out = (y_f + y_b) / 2
        else:
            out = [y_f, y_b]
        if self.return_state:
            return (out if self.merge_mode is None else [out]) + states
        return out

    def backward(self, grad_output, input_grad=True):
        d_states_f = d_states_b = []
        if self.return_state:
            n = len(self.forward_layer.cell.state_size)
            k = 2 if self.merge_mode is None else 1
            d_states = list(grad_output[k:])
            d_states_f, d_states_b = d_states[:n], d_states[n:]
            grad_output = grad_output[:k] if self.merge_mode is None else grad_output[0]
        if self.merge_mode == "concat":
            u = self._y_forward.shape[-1]
            g_f, g_b = grad_output[..., :u], grad_output[..., u:]
        elif self.merge_mode == "sum":
            g_f = g_b = grad_output
        elif self.merge_mode == "mul":
            g_f, g_b = grad_output * self._y_backward, grad_output * self._y_forward
        elif self.merge_mode == "ave":
            g_f = g_b = grad_output / 2
        else:
            g_f, g_b = grad_output
        if self.return_sequences:
            g_b = g_b[:, ::-1]                                         # into the backward layer's order
        if self.return_state:
            g_f, g_b = [g_f] + d_states_f, [g_b] + d_states_b
        dx_f = self.forward_layer.backward(g_f, input_grad)
        dx_b = self.backward_layer.backward(g_b, input_grad)
        self.collect_grads()
        return dx_f + dx_b if input_grad else None

    def reset_states(self):
        """Resets both halves of a stateful layer."""
        for layer in self.inner_layers():
            layer.reset_states()

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        if self._custom_backward:
            config["backward_layer"] = {"class_name": type(self.backward_layer).__name__,
                                        "config": self.backward_layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "backward_layer" in config:
            from . import deserialize  # the layer table imports this module
            config["backward_layer"] = deserialize(config["backward_layer"])
        return super().from_config(config)
