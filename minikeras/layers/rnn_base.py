"""``RNN``: runs a recurrent cell over the time axis, forward and backward through time.

Keras counterpart: ``keras.layers.RNN``. The cell (:class:`~minikeras.layers.SimpleRNNCell`,
:class:`~minikeras.layers.LSTMCell`, :class:`~minikeras.layers.GRUCell`) knows one time step;
this layer owns everything about time:

- the input projection ``x_t @ W + b`` for *all* steps in one matrix product (``(B, T, G*u)``),
- the loop over steps (reversed for ``go_backwards``), each step one product ``h @ U``,
- masks: a masked step keeps the previous state and repeats the previous output,
- dropout masks drawn once per batch and fixed across time (as Keras),
- ``stateful`` states carried between batches, ``initial_state``, ``return_sequences``/``return_state``.

Backpropagation through time (BPTT) is the same loop run backwards: at step ``t`` the gradient
reaching ``h_t`` is what the output at ``t`` received plus what step ``t+1`` sent back.
``B`` is the batch, ``T`` the number of steps, ``D`` the input features, ``u`` the units.
"""
import numpy as np

from ..backend import autodiff
from .base import Layer
from .input_spec import InputSpec
from ..utils.generic_utils import to_list
from .rnn_arguments import as_float, sequence_shape, symbolic_states


#: The cell arguments a recurrent layer shows as its own attributes (``LSTM(4).units``).
CELL_ATTRIBUTES = ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                   "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
                   "recurrent_regularizer", "bias_regularizer", "dropout", "recurrent_dropout",
                   "reset_after", "implementation")


class RNN(Layer):
    """A recurrent layer built from a cell.

    Args:
        cell: a cell instance (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``).
        return_sequences: return the output of every step ``(B, T, u)`` instead of the last ``(B, u)``.
        return_state: also return the final states: ``[output, h]`` (``[output, h, c]`` for LSTM).
        go_backwards: process the sequence from the last step to the first; the returned
            sequence stays in processing order (as Keras).
        stateful: the final states of a batch are the initial states of the next batch (sample
            ``i`` continues sample ``i``); needs a fixed batch size; :meth:`reset_states` zeroes them.
        unroll: accepted for compatibility (same maths; minikeras always loops).
        time_major: must be False (inputs are ``(batch, time, features)``).
        **kwargs: :class:`~minikeras.layers.Layer` arguments; Keras 2's ``input_dim``/``input_length``
            become ``input_shape=(input_length, input_dim)``.

    Raises:
        ValueError: for ``time_major=True``, or a stateful layer without a fixed batch size.

    >>> from minikeras.layers import LSTMCell
    >>> RNN(LSTMCell(4), return_sequences=True)(np.ones((2, 5, 3), dtype='float32')).shape
    (2, 5, 4)
    """

    _CACHE = Layer._CACHE + ("_x", "_steps", "_step_mask", "_dp", "_rdp", "_had_initial_state")

    def __new__(cls, cell=None, *args, **kwargs):
        """``RNN(cell)`` with a cell of your own, or a list of cells, makes a
        :class:`~minikeras.layers.rnn_user_cells.UserCellRNN`, differentiated by the tape."""
        if cls is RNN and cell is not None and (isinstance(cell, (list, tuple)) or not hasattr(cell, "step")):
            from .rnn_user_cells import UserCellRNN   # a subclass of this class
            cls = UserCellRNN
        return super().__new__(cls)

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, time_major=False, **kwargs):
        if cell is None:
            raise TypeError(f"{type(self).__name__} needs a cell, e.g. RNN(LSTMCell(4)) or a cell of your own.")
        if isinstance(cell, (list, tuple)) or not hasattr(cell, "step"):   # RNN(cell) went to UserCellRNN
            raise TypeError(f"minikeras has no subclasses of RNN running cells of your own: {type(self).__name__}'s "
                            f"loop runs minikeras's SimpleRNNCell, LSTMCell or GRUCell; got {cell!r}. Use "
                            f"RNN(your_cell) itself.")
        if time_major:
            raise ValueError("minikeras has no time_major=True; give inputs as (batch, time, features).")
        input_dim, input_length = kwargs.pop("input_dim", None), kwargs.pop("input_length", None)
        if "input_shape" not in kwargs and (input_dim is not None or input_length is not None):
            kwargs["input_shape"] = (input_length, input_dim)  # Keras 2's recurrent-layer shorthand
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.time_major = False
        self.states = None  # the carried states of a stateful layer: list of (B, u)
        self.input_spec = InputSpec(ndim=3)   # (batch, time, features), checked on every call

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        input_shape = sequence_shape(input_shape)
        if self.stateful and input_shape[0] is None:
            raise ValueError("If a RNN is stateful, it needs to know its batch size. Specify the batch size "
                             "of your input tensors: pass batch_input_shape=(32, timesteps, features) (or "
                             "batch_size=32) to the first layer, or batch_shape= to Input.")
        self.cell.build_from_shape((input_shape[0], input_shape[-1]))
        self.adopt_weights(self.cell, keep_inner_name=True)  # lstm/lstm_cell/kernel:0, as tf_keras names them
        if self.stateful:
            self.batch_size = input_shape[0]                          # fixed: states are per sample
            self.reset_states()

    def inner_layers(self):
        """The cell, which holds the weights this layer lists (the tape swaps them there)."""
        return [self.cell]

    def compute_output_shape(self, input_shape):
        input_shape, units = sequence_shape(input_shape), self.cell.units
        out = (input_shape[0], input_shape[1], units) if self.return_sequences else (input_shape[0], units)
        if self.return_state:
            return [out] + [(input_shape[0], units)] * len(self.cell.state_size)
        return out

    def compute_mask(self, inputs, mask=None):
        """The input mask passes on with ``return_sequences`` (None otherwise; None for states)."""
        if isinstance(mask, (list, tuple)):    # inputs [x, h0, (c0)]: x's mask
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        return [out_mask] + [None] * len(self.cell.state_size) if self.return_state else out_mask

    def reset_states(self, states=None):
        """Sets a stateful layer's states to zeros (or to ``states``, a list of ``(B, u)`` arrays).

        Raises:
            AttributeError: if the layer is not stateful.
        """
        if not self.stateful:
            raise AttributeError("Layer must be stateful (stateful=True) to reset its states.")
        if states is None:
            self.states = [np.zeros((self.batch_size, n), self.dtype) for n in self.cell.state_size]
        else:
            self.states = [np.array(s, dtype=self.dtype) for s in to_list(states, allow_tuple=True)]

    # ------------------------------------------------------------------ forward through time
    def __call__(self, inputs, initial_state=None, constants=None, **kwargs):
        """As :meth:`Layer.__call__`; Keras tensors given as ``initial_state`` join the inputs
        (``[x, h0, c0]``, as Keras does), so a functional model records them as inputs of this
        layer and sends their gradient back (the encoder-decoder of ``lstm_seq2seq``).

        Raises:
            ValueError: for ``constants`` (not supported), or Keras tensors as ``initial_state``
                whose number or widths do not match the cell's states.
            TypeError: for Keras tensors as ``initial_state`` with array inputs.
        """
        if constants is not None:
            raise ValueError(f"minikeras has no constants for recurrent cells ({self.name}); feed the constant "
                             f"values as extra input features at every step instead.")
        states = symbolic_states(self.name, inputs, initial_state, self.cell.state_size)
        if states is not None:
            return super().__call__([inputs] + states, **kwargs)
        if initial_state is not None:
            kwargs["initial_state"] = initial_state
        return super().__call__(inputs, **kwargs)

    def call(self, inputs, mask=None, training=False, initial_state=None):
        # Written without in-place writes, so that the autodiff tape can follow it too (the tests
        # compare backward() with the tape's gradient); on arrays it runs at full NumPy speed.
        if isinstance(inputs, (list, tuple)):  # functional style: [x, h0, (c0)]
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        if isinstance(mask, (list, tuple)):    # the masks of [x, h0, (c0)]: only x's has a meaning
            mask = mask[0]
        x = as_float(inputs, self.dtype)                               # (B, T, D)
        if x.ndim != 3:
            raise ValueError(f"{self.name} expects inputs of shape (batch, timesteps, features), got {x.shape}.")
        cell, (batch, steps, features) = self.cell, x.shape
        states = self._initial_states(batch, initial_state)            # list of (B, u)
        self._had_initial_state = initial_state is not None
        # Dropout masks, drawn once for the whole sequence (Keras fixes them across time).
        self._dp, self._rdp = cell.dropout_masks(training, batch, features, self.dtype)  # (n, B, D), (G, B, u)
        if self.go_backwards:
            x = x[:, ::-1]
            mask = None if mask is None else np.asarray(mask)[:, ::-1]
        self._x = x                                                    # (B, T, D) in processing order
        self._step_mask = None if mask is None else np.asarray(mask, dtype=bool)[:, :, None]  # (B, T, 1)

        xw = cell.project_inputs(x, self._dp)                          # (B, T, G*u): all steps, all gates
        gate_kernels = cell.start_forward(batch)                       # U laid out per gate, for the steps
        output = np.zeros((batch, cell.units), self.dtype)             # the output before step 0
        outputs, self._steps = [], []
        for t in range(steps):
            h, new_states, cache = cell.step(xw[:, t], states, self._rdp, gate_kernels)  # (B, u), [(B, u), ...]
            if mask is not None:  # masked samples keep their state and repeat their last output
                m = self._step_mask[:, t]                              # (B, 1)
                new_states = [np.where(m, new, old) for new, old in zip(new_states, states)]
                h = np.where(m, h, output)
            self._steps.append(cache)
            output, states = h, new_states
            outputs.append(output)
        if self.stateful:
            self.states = [np.array(autodiff.value_of(s)) for s in states]  # carried to the next batch
        result = np.stack(outputs, axis=1) if self.return_sequences else output  # (B, T, u) or (B, u)
        return [result] + list(states) if self.return_state else result

    def _initial_states(self, batch, initial_state):
        n = len(self.cell.state_size)
        if initial_state is not None:
            states = [as_float(s, self.dtype) for s in to_list(initial_state, allow_tuple=True)]
            if len(states) != n:
                raise ValueError(f"{self.name} has {n} state(s) but initial_state has {len(states)} array(s).")
            return states
        if self.stateful:
            if self.states is None or self.states[0].shape[0] != batch:
                raise ValueError(f"{self.name} is stateful with batch size {self.states[0].shape[0]}, but got a "
                                 f"batch of {batch}; give fit/predict batch_size={self.states[0].shape[0]} and a "
                                 f"number of samples divisible by it.")
            return self.states
        return [np.zeros((batch, size), self.dtype) for size in self.cell.state_size]

    # ------------------------------------------------------------------ backward through time
    def backward(self, grad_output, input_grad=True):
        cell, steps = self.cell, len(self._steps)
        batch, units = self._x.shape[0], cell.units
        zeros = [np.zeros((batch, size), self._x.dtype) for size in cell.state_size]
        d_states = zeros                                               # dL/d(final states): [(B, u), ...]
        if self.return_state:  # grad_output is [d_output, d_h_final, (d_c_final)]
            grad_output, *given = grad_output
            d_states = [z if g is None else g for z, g in zip(zeros, given)]
        if self.return_sequences:
            d_sequence, d_carry = grad_output, np.zeros((batch, units), grad_output.dtype)  # (B, T, u)
        else:
            d_sequence, d_carry = None, grad_output                   # only the last output: (B, u)
        grads = cell.start_backward(batch)
        d_xw = np.empty(self._x.shape[:2] + (cell.gates * units,), self._x.dtype)  # (B, T, G*u)
        for t in range(steps - 1, -1, -1):
            d_out = d_carry if d_sequence is None else d_carry + d_sequence[:, t]   # (B, u)
            if self._step_mask is None:
                d_new_out, d_new_states, d_carry = d_out, d_states, 0.0
                kept = None
            else:  # the masked samples' gradient skips this step
                m = self._step_mask[:, t]                              # (B, 1)
                d_new_out, d_carry = d_out * m, d_out * ~m
                d_new_states = [d * m for d in d_states]
                kept = [d * ~m for d in d_states]
            d_xw[:, t], d_states = cell.step_backward(d_new_out, d_new_states, self._steps[t], self._rdp, grads)
            if kept is not None:
                d_states = [d + k for d, k in zip(d_states, kept)]
        dx = cell.project_inputs_backward(self._x, d_xw, self._dp, grads, input_grad)  # (B, T, D)
        self.grads = cell.finish_grads(grads) if self.trainable else []
        if dx is not None and self.go_backwards:
            dx = np.ascontiguousarray(dx[:, ::-1])
        return [dx] + d_states if self._had_initial_state else dx

    def __getattr__(self, name):  # lstm.units, lstm.dropout, ...: the cell's arguments
        cell = self.__dict__.get("cell")
        if cell is not None and name in CELL_ATTRIBUTES:
            return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ config
    def get_config(self):
        config = super().get_config()
        config.update({"return_sequences": self.return_sequences, "return_state": self.return_state,
                       "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                       "time_major": self.time_major})
        if type(self) is RNN:
            config["cell"] = {"class_name": type(self.cell).__name__, "config": self.cell.get_config()}
        else:  # LSTM(...) & co.: the cell's arguments are the layer's own
            config.update({k: v for k, v in self.cell.get_config().items() if k not in config})
            config["activity_regularizer"] = None
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("cell"), (dict, list)) and not isinstance(config["cell"], Layer):
            from . import deserialize  # the layer table imports this module
            cell = config["cell"]
            if isinstance(cell, dict) and cell.get("class_name") == "StackedRNNCells":   # Keras's RNN([cells])
                cell = list(cell["config"]["cells"])
            config["cell"] = [deserialize(c) for c in cell] if isinstance(cell, list) else deserialize(cell)
        return cls(**config)
