"""``SimpleRNNCell`` and ``SimpleRNN``: the Elman network, ``h_t = tanh(x_t W + b + h_{t-1} U)``.

Its backward step shows backpropagation through time in three lines::

    da   = dh * (1 - h_t**2)          (B, u)  through tanh
    dU  += h_{t-1}ᵀ da                (u, u)  the same U at every step: gradients add up
    dh_{t-1} = da Uᵀ                  (B, u)  sent to the previous step (repeated products by Uᵀ
                                              are why gradients vanish or explode over long sequences)

(The code sums ``dU``'s per-step terms with one product after the loop: ``StepOuterProducts``.)
"""
from .rnn_base import RNN
from .rnn_cell import RecurrentCell
from .rnn_arguments import split_arguments
from .rnn_ops import masked_product, masked_product_backward


class SimpleRNNCell(RecurrentCell):
    """One SimpleRNN step (Keras ``keras.layers.SimpleRNNCell``); arguments as :class:`RecurrentCell`.

    Args:
        units: size of ``h``.
        activation: ``'tanh'``.
        **kwargs: the :class:`RecurrentCell` arguments.
    """

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=activation, **kwargs)

    def step(self, xw, states, rec_mask, gate_kernels=None):
        """``xw = x_t W + b`` (B, u), ``states = [h]`` -> ``(h_t, [h_t], cache)`` (see :meth:`RecurrentCell.step`)."""
        hd, hu = masked_product(states[0], rec_mask, self.recurrent_kernel, gate_kernels)  # h_{t-1} (dropped), (B, u)
        a = xw + hu                                                    # (B, u)
        h = self.activation(a)                                         # (B, u)
        return h, [h], (hd, a, h)

    def step_backward(self, d_output, d_states, cache, rec_mask, grads):
        """From ``dL/dh_t`` to ``dL/d(x_t W + b)`` and ``[dL/dh_{t-1}]``."""
        hd, a, h = cache
        da = self._act_grad(a, h, d_output + d_states[0])              # (B, u)
        # dU += hdᵀ da (summed after the loop); dh_{t-1} = da Uᵀ
        dh_prev = masked_product_backward(hd, rec_mask, grads["recurrent_kernel_t"], da, grads["recurrent_steps"],
                                          gate_kernels_t=grads["recurrent_gate_kernels_t"])  # (B, u)
        return da, [dh_prev]


class SimpleRNN(RNN):
    """Fully connected recurrent layer (Keras ``keras.layers.SimpleRNN``).

    Args:
        units: size of the output and of the state.
        activation: ``'tanh'``.
        use_bias: whether to use a bias.
        kernel_initializer: ``'glorot_uniform'``.
        recurrent_initializer: ``'orthogonal'``.
        bias_initializer: ``'zeros'``.
        kernel_regularizer: optional penalty on the kernel.
        recurrent_regularizer: optional penalty on the recurrent kernel.
        bias_regularizer: optional penalty on the bias.
        activity_regularizer: must be None (not supported).
        kernel_constraint: must be None.
        recurrent_constraint: must be None.
        bias_constraint: must be None.
        dropout: input dropout rate (one mask per sequence).
        recurrent_dropout: state dropout rate (one mask per sequence).
        return_sequences: see :class:`RNN`.
        return_state: see :class:`RNN`.
        go_backwards: see :class:`RNN`.
        stateful: see :class:`RNN`.
        unroll: see :class:`RNN`.
        **kwargs: :class:`RNN` and :class:`~minikeras.layers.Layer` arguments.

    >>> SimpleRNN(4)(np.zeros((2, 5, 3), dtype='float32')).shape
    (2, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        cell_args, rnn_args, kwargs = split_arguments(locals())     # what the cell takes, what RNN takes
        cell = SimpleRNNCell(**cell_args, name="simple_rnn_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, **rnn_args, **kwargs)
