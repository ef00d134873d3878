"""``RNN(your_cell)``: Keras's custom recurrent cells, differentiated through time by the tape.

Keras's recurrent-layer guide writes a cell as a layer with ``state_size`` and
``call(inputs, states) -> (output, new_states)``::

    class MinimalRNNCell(Layer):
        def __init__(self, units, **kwargs):
            self.units = units
            self.state_size = units
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name='kernel')
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name='recurrent_kernel')

        def call(self, inputs, states):
            output = K.dot(inputs, self.kernel) + K.dot(states[0], self.recurrent_kernel)
            return output, [output]

    layer = RNN(MinimalRNNCell(32))            # or RNN([cell1, cell2]): cells stacked at every step

minikeras's own cells (``LSTMCell`` & co.) come with their backward pass through time written out
(:mod:`.rnn_base`). A cell of yours has none, so :class:`UserCellRNN`, which ``RNN(cell)`` makes
for it, only writes the forward loop below, step by step and cell by cell; it has no
``backward``, so the autodiff tape records that loop and walks it back (backpropagation
through time by the tape, exact but slower than the built-in layers).

>>> import numpy as np
>>> from minikeras import backend as K
>>> from minikeras.layers import Layer, RNN
>>> class Running(Layer):
...     state_size = 2
...     def call(self, inputs, states):
...         total = states[0] + inputs
...         return total, [total]
>>> RNN(Running(), return_sequences=True)(np.ones((1, 3, 2), dtype='float32'))[0, :, 0]
array([1., 2., 3.], dtype=float32)
"""
import numpy as np

from . import tape
from .base import Layer
from .input_spec import InputSpec
from .rnn_base import RNN


class UserCellRNN(RNN):
    """The RNN of cells written as in Keras (see the module text); made by ``RNN(cell)``.

    Args:
        cell: a cell layer with ``state_size`` (an int or a list of ints) and ``call(inputs,
            states)`` returning ``(output, new_states)``; or a list of them, stacked.
        return_sequences, return_state, go_backwards: as :class:`~minikeras.layers.RNN`.
        stateful, unroll, time_major: ``stateful`` and ``time_major`` must be False; ``unroll``
            changes nothing here.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    Raises:
        TypeError: for a cell without ``call`` and ``state_size``.
        ValueError: for ``stateful=True`` or ``time_major=True``.
    """

    keras_class_name = "RNN"   # what summaries and saved configs call it: Keras's RNN(cell)

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, time_major=False, **kwargs):
        cells = list(cell) if isinstance(cell, (list, tuple)) else [cell]
        for one in cells:
            if not isinstance(one, Layer) or getattr(one, "state_size", None) is None:
                raise TypeError(f"RNN needs a cell: a Layer with a state_size and call(inputs, states), such as "
                                f"LSTMCell(units) or a cell of your own; got {one!r}.")
        if stateful or time_major:
            raise ValueError("minikeras has no stateful=True or time_major=True for RNNs of your own cells.")
        Layer.__init__(self, **kwargs)   # not RNN.__init__: that one is for minikeras's own cells
        self.cell = cell
        self.cells = cells
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.unroll = bool(go_backwards), bool(unroll)
        self.stateful, self.time_major, self.states = False, False, None
        self.input_spec = InputSpec(ndim=3)   # (batch, time, features), as RNN's

    @staticmethod
    def state_sizes(cell):
        """A cell's ``state_size`` as a list of ints."""
        return list(cell.state_size) if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]

    @staticmethod
    def output_size(cell):
        """A cell's output width: its ``output_size``, else the size of its first state."""
        return getattr(cell, "output_size", None) or UserCellRNN.state_sizes(cell)[0]

    # ------------------------------------------------------------------ building and shapes
    def build(self, input_shape):
        batch, width = input_shape[0], input_shape[-1]
        for cell in self.cells:                                  # each cell sees the previous one's output
            if not cell.built:                                   # as Keras: build(step input shape)
                cell.build((batch, width))
                cell.built = True
            self.adopt_weights(cell, keep_inner_name=True)
            width = self.output_size(cell)
        if isinstance(self.cell, (list, tuple)):                 # tf_keras: rnn/stacked_rnn_cells/<cell>/kernel:0
            self._weights = [("stacked_rnn_cells/" + name, w, t) for name, w, t in self._weights]

    def inner_layers(self):
        """The cells, which hold the weights (the tape swaps them there)."""
        return list(self.cells)

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        units = self.output_size(self.cells[-1])
        out = (batch, steps, units) if self.return_sequences else (batch, units)
        if self.return_state:
            return [out] + [(batch, n) for cell in self.cells for n in self.state_sizes(cell)]
        return out

    def compute_mask(self, inputs, mask=None):
        return None

    def __call__(self, inputs, initial_state=None, constants=None, **kwargs):
        if initial_state is not None or constants is not None:
            raise ValueError("minikeras has no initial_state or constants for RNNs of your own cells; the states "
                             "start at zeros.")
        return Layer.__call__(self, inputs, **kwargs)

    # ------------------------------------------------------------------ forward through time
    def call(self, inputs, mask=None, training=False):
        if mask is not None:
            raise ValueError(f"minikeras has no masking for RNNs of your own cells ({self.name}); pad the "
                             f"sequences to one length without a Masking layer.")
        batch, steps = inputs.shape[0], inputs.shape[1]                  # inputs (B, T, D)
        states = [[np.zeros((batch, n), self.dtype) for n in self.state_sizes(cell)] for cell in self.cells]
        outputs = []
        for t in (reversed(range(steps)) if self.go_backwards else range(steps)):
            h = inputs[:, t]                                            # (B, D)
            for i, cell in enumerate(self.cells):
                h, new_states = self._step(cell, h, states[i], training)  # (B, units), its states
                states[i] = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
            outputs.append(h)
        output = np.stack(outputs, axis=1) if self.return_sequences else outputs[-1]  # (B, T, u) or (B, u)
        return [output] + [s for cell_states in states for s in cell_states] if self.return_state else output

    @staticmethod
    def _step(cell, h, states, training):
        accepts_training, _ = tape.call_arguments(type(cell))
        return cell.call(h, states, training=training) if accepts_training else cell.call(h, states)

    def get_config(self):
        config = Layer.get_config(self)
        config.update({"return_sequences": self.return_sequences, "return_state": self.return_state,
                       "go_backwards": self.go_backwards, "stateful": False, "unroll": self.unroll,
                       "time_major": False})
        serialized = [{"class_name": type(c).__name__, "config": c.get_config()} for c in self.cells]
        config["cell"] = ({"class_name": "StackedRNNCells", "config": {"cells": serialized}}   # as Keras saves it
                          if isinstance(self.cell, (list, tuple)) else serialized[0])
        return config
