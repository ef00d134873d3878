"""``LSTMCell`` and ``LSTM``: long short-term memory (Hochreiter & Schmidhuber, 1997).

One step, with the four gate blocks side by side as tf_keras orders them, ``[i | f | c | o]``::

    z = x_t W + b + h_{t-1} U                 (B, 4u)   one product for all gates
    i = σ(z_i)   f = σ(z_f)   o = σ(z_o)      input, forget, output gates
    g = tanh(z_c)                             candidate
    c_t = f * c_{t-1} + i * g                 the cell state: a sum, so gradients flow through f
    h_t = o * tanh(c_t)                       output and next state

``σ`` is ``recurrent_activation`` (sigmoid), ``tanh`` is ``activation``.
"""
import numpy as np

from .rnn_base import RNN
from .rnn_cell import RecurrentCell
from .rnn_arguments import split_arguments
from .rnn_ops import masked_product, masked_product_backward


class LSTMCell(RecurrentCell):
    """One LSTM step (Keras ``keras.layers.LSTMCell``); see :class:`RecurrentCell` for the arguments.

    Args:
        units: size of ``h`` and ``c``.
        activation: for the candidate and the output (``'tanh'``).
        recurrent_activation: for the gates (``'sigmoid'``; Keras 2.2.4 used ``'hard_sigmoid'``).
        unit_forget_bias: start the forget-gate bias at 1 (the bias is ``[0]*u + [1]*u + [0]*2u``).
        **kwargs: the :class:`RecurrentCell` arguments.
    """

    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True,
                 **kwargs):
        kwargs.pop("implementation", None)  # tf_keras's 1/2 only change how the products are grouped
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]                               # h and c

    def bias_initializer_for_build(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        u, init = self.units, self.bias_initializer

        def forget_bias_one(shape, dtype=None):
            return np.concatenate([init((u,), dtype=dtype), np.ones((u,), dtype), init((2 * u,), dtype=dtype)])
        return forget_bias_one

    def step(self, xw, states, rec_mask, gate_kernels=None):
        """``xw = x_t W + b`` (B, 4u), ``states = [h, c]`` -> ``(h_t, [h_t, c_t], cache)``
        (the arguments as :meth:`RecurrentCell.step`)."""
        h_prev, c_prev = states                                        # (B, u) each
        u, sig, tanh = self.units, self.gate, self.activation
        hr, hu = masked_product(h_prev, rec_mask, self.recurrent_kernel, gate_kernels)  # (B, 4u) every gate's h U_k
        z = xw + hu                                                    # (B, 4u)
        i = sig(z[:, :u])                                              # (B, u) input gate
        f = sig(z[:, u:2 * u])                                         # (B, u) forget gate
        g = tanh(z[:, 2 * u:3 * u])                                    # (B, u) candidate
        o = sig(z[:, 3 * u:])                                          # (B, u) output gate
        c = f * c_prev + i * g                                         # (B, u)
        tc = tanh(c)                                                   # (B, u)
        h = o * tc                                                     # (B, u)
        return h, [h, c], (hr, c_prev, z, i, f, g, o, c, tc)

    def step_backward(self, d_output, d_states, cache, rec_mask, grads):
        """From ``dL/dh_t`` (output and state) and ``dL/dc_t`` to ``dL/dz`` and ``[dL/dh_{t-1}, dL/dc_{t-1}]``."""
        hr, c_prev, z, i, f, g, o, c, tc = cache
        u = self.units
        dh = d_output + d_states[0]                                    # (B, u)
        dc = d_states[1] + self._act_grad(c, tc, dh * o)               # (B, u) through h = o*tanh(c)
        dz = np.empty_like(z)                                          # (B, 4u)
        dz[:, :u] = self._rec_act_grad(z[:, :u], i, dc * g)            # d z_i
        dz[:, u:2 * u] = self._rec_act_grad(z[:, u:2 * u], f, dc * c_prev)  # d z_f
        dz[:, 2 * u:3 * u] = self._act_grad(z[:, 2 * u:3 * u], g, dc * i)   # d z_c
        dz[:, 3 * u:] = self._rec_act_grad(z[:, 3 * u:], o, dh * tc)   # d z_o
        dh_prev = masked_product_backward(hr, rec_mask, grads["recurrent_kernel_t"], dz, grads["recurrent_steps"],
                                          gate_kernels_t=grads["recurrent_gate_kernels_t"])  # (B, u)
        return dz, [dh_prev, dc * f]                                   # dz is also dL/d(x_t W + b)

    def get_config(self):
        config = super().get_config()
        config.update({"unit_forget_bias": self.unit_forget_bias, "implementation": 2})
        return config


class LSTM(RNN):
    """Long short-term memory layer (Keras ``keras.layers.LSTM``, tf_keras 2 defaults).

    Args:
        units: size of the output and of the states.
        activation: ``'tanh'``.
        recurrent_activation: ``'sigmoid'`` (Keras 2.2.4's default was ``'hard_sigmoid'``).
        use_bias: whether to use a bias.
        kernel_initializer: ``'glorot_uniform'``.
        recurrent_initializer: ``'orthogonal'``.
        bias_initializer: ``'zeros'``.
        unit_forget_bias: forget-gate bias starts at 1.
        kernel_regularizer: optional penalty on the kernel.
        recurrent_regularizer: optional penalty on the recurrent kernel.
        bias_regularizer: optional penalty on the bias.
        activity_regularizer: must be None (not supported).
        kernel_constraint: must be None.
        recurrent_constraint: must be None.
        bias_constraint: must be None.
        dropout: input dropout rate (one mask per sequence).
        recurrent_dropout: state dropout rate (one mask per gate, fixed across time, as tf_keras).
        implementation: accepted (1 or 2: same maths).
        return_sequences: see :class:`RNN`.
        return_state: see :class:`RNN`.
        go_backwards: see :class:`RNN`.
        stateful: see :class:`RNN`.
        unroll: see :class:`RNN`.
        **kwargs: :class:`RNN` and :class:`~minikeras.layers.Layer` arguments.

    >>> LSTM(8)(np.zeros((2, 5, 3), dtype='float32')).shape
    (2, 8)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, implementation=2, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False, **kwargs):
        cell_args, rnn_args, kwargs = split_arguments(locals())     # what the cell takes, what RNN takes
        cell = LSTMCell(**cell_args, name="lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, **rnn_args, **kwargs)

