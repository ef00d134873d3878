"""What a recurrent layer is given: its arguments, its inputs and its initial states."""
import numpy as np

from ..backend import autodiff
from ..utils.generic_utils import to_list
from . import node as node_module


def sequence_shape(input_shape):
    """The sequence's shape ``(B, T, D)`` out of ``[x, h0, (c0)]``'s list of shapes (or of a single shape)."""
    return tuple(input_shape[0]) if isinstance(input_shape[0], (list, tuple)) else tuple(input_shape)


def as_float(x, dtype):
    """``x`` as a float array of ``dtype``; a tape tensor stays as it is (so that the tape records the call)."""
    return x if isinstance(x, autodiff.Tensor) else np.asarray(x, dtype=dtype)


#: The arguments of a recurrent layer that are the RNN's own; the others (but ``kwargs``) go to the cell.
RNN_ARGUMENTS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")


def split_arguments(arguments):
    """Splits a recurrent layer's ``locals()`` into ``(cell arguments, RNN arguments, Layer kwargs)``.

    ``LSTM(4, dropout=0.2, return_sequences=True, name='x')`` builds
    ``LSTMCell(4, dropout=0.2, ...)`` and ``RNN(cell, return_sequences=True, name='x')``.

    Raises:
        ValueError: for an ``activity_regularizer`` other than None (not supported).
    """
    cell_args = {k: v for k, v in arguments.items() if k not in ("self", "__class__", "kwargs")}
    activity_regularizer = cell_args.pop("activity_regularizer")
    if activity_regularizer is not None:
        raise ValueError(f"minikeras has no activity_regularizer for recurrent layers; got "
                         f"{activity_regularizer!r}. Leave it None.")
    rnn_args = {k: cell_args.pop(k) for k in RNN_ARGUMENTS}
    return cell_args, rnn_args, arguments["kwargs"]


def symbolic_states(layer_name, inputs, initial_state, state_size):
    """The Keras tensors given as ``initial_state``, checked against the cell's states.

    Args:
        layer_name: the recurrent layer's name (for the messages).
        inputs: what the layer is called on.
        initial_state: the ``initial_state`` argument (None, arrays or Keras tensors).
        state_size: the cell's state widths (``[u, u]`` for an LSTM).

    Returns:
        The list of Keras tensors, or None if ``initial_state`` holds none.

    Raises:
        TypeError: for Keras tensors as states with array inputs.
        ValueError: if their number or widths do not match the cell's states.
    """
    if initial_state is None or not node_module.is_symbolic(to_list(initial_state, allow_tuple=True)):
        return None
    if not node_module.is_symbolic(inputs):
        raise TypeError(f"{layer_name}: initial_state holds Keras tensors, so the inputs must be a Keras tensor "
                        f"too (from Input or another layer), got {type(inputs).__name__}.")
    states = to_list(initial_state, allow_tuple=True)
    widths = [s.shape[-1] for s in states]
    if widths != list(state_size):
        raise ValueError(f"{layer_name} has states of widths {list(state_size)}, but initial_state has "
                         f"{len(states)} tensor(s) of widths {widths}; give one Keras tensor per state "
                         f"(an LSTM's [h, c]) shaped (batch, units).")
    return states
