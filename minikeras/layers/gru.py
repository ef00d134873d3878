"""``GRUCell`` and ``GRU``: gated recurrent unit (Cho et al., 2014), gate blocks ``[z | r | h]``.

tf_keras's default, ``reset_after=True`` (bias ``(2, 3u)``: row 0 for the inputs, row 1 for the state)::

    xz, xr, xh = x_t W + b[0]                 (B, 3u)  (all steps at once, in the RNN layer)
    hz, hr, hh = h_{t-1} U + b[1]             (B, 3u)  one product for all gates
    z = σ(xz + hz)    r = σ(xr + hr)          update and reset gates
    ĥ = tanh(xh + r * hh)                     candidate: the reset gate applied *after* the product
    h_t = z * h_{t-1} + (1 - z) * ĥ

Keras 2.2.4's ``reset_after=False`` (bias ``(3u,)``) applies the reset gate *before* the product:
``ĥ = tanh(xh + (r * h_{t-1}) U_h)``, so it needs a second, smaller product per step.
"""
import numpy as np

from .rnn_base import RNN
from .rnn_cell import RecurrentCell
from .rnn_arguments import split_arguments
from .rnn_ops import masked_product, masked_product_backward, step_product


class GRUCell(RecurrentCell):
    """One GRU step (Keras ``keras.layers.GRUCell``); see :class:`RecurrentCell` for the arguments.

    Args:
        units: size of ``h``.
        activation: for the candidate (``'tanh'``).
        recurrent_activation: for the gates (``'sigmoid'``).
        reset_after: apply the reset gate after the recurrent product (tf_keras, True) or before (False).
        **kwargs: the :class:`RecurrentCell` arguments.
    """

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation, **kwargs)
        self.reset_after = bool(reset_after)

    def bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def input_part(self, bias):
        return bias[0] if self.reset_after else bias

    def step(self, xw, states, rec_mask, gate_kernels=None):
        """``xw = x_t W + b_in`` (B, 3u), ``states = [h]`` -> ``(h_t, [h_t], cache)``
        (the arguments as :meth:`RecurrentCell.step`)."""
        h_prev = states[0]                                             # (B, u)
        u, sig, tanh, U = self.units, self.gate, self.activation, self.recurrent_kernel
        if self.reset_after:
            hd, hu = masked_product(h_prev, rec_mask, U, gate_kernels)  # (B, 3u) every gate's h U_k
            if self.use_bias:
                hu += self.bias[1]                                     # (a new tensor on the tape)
        else:                                                          # gates z, r only: (B, 2u)
            hd, hu = masked_product(h_prev, None if rec_mask is None else rec_mask[:2], U[:, :2 * u],
                                    None if gate_kernels is None else gate_kernels[:2])
        a_z = xw[:, :u] + hu[:, :u]                                    # (B, u)
        a_r = xw[:, u:2 * u] + hu[:, u:2 * u]                          # (B, u)
        z, r = sig(a_z), sig(a_r)                                      # (B, u) update and reset gates
        hh = h_prev if rec_mask is None else h_prev * rec_mask[-1]     # (B, u) what the candidate reads
        if self.reset_after:
            rh = None
            a_h = xw[:, 2 * u:] + r * hu[:, 2 * u:]                    # (B, u)
        else:
            rh = r * hh                                                # (B, u)
            a_h = xw[:, 2 * u:] + step_product(rh, U[:, 2 * u:])          # (B, u) second product
        cand = tanh(a_h)                                               # (B, u) ĥ
        h = z * h_prev + (1 - z) * cand                                # (B, u)
        return h, [h], (h_prev, hd, hh, hu, a_z, a_r, z, r, rh, a_h, cand)

    def step_backward(self, d_output, d_states, cache, rec_mask, grads):
        """From ``dL/dh_t`` to ``dL/d(x_t W + b_in)`` (B, 3u) and ``[dL/dh_{t-1}]``."""
        h_prev, hd, hh, hu, a_z, a_r, z, r, rh, a_h, cand = cache
        u, U_t, dU = self.units, grads["recurrent_kernel_t"], grads["recurrent_steps"]  # Uᵀ (3u, u); dU's terms
        dh = d_output + d_states[0]                                    # (B, u)
        dh_prev = dh * z                                               # (B, u) through z * h_prev
        d_ah = self._act_grad(a_h, cand, dh * (1 - z))                 # (B, u)
        d_xw = np.empty((dh.shape[0], 3 * u), dh.dtype)                # (B, 3u)
        d_xw[:, :u] = self._rec_act_grad(a_z, z, dh * (h_prev - cand))  # d a_z
        d_xw[:, 2 * u:] = d_ah
        if self.reset_after:
            d_xw[:, u:2 * u] = self._rec_act_grad(a_r, r, d_ah * hu[:, 2 * u:])  # d a_r
            d_hu = d_xw.copy()                                         # (B, 3u) dL/d(h U + b[1])
            d_hu[:, 2 * u:] *= r
            if self.use_bias:
                grads["bias"][1] += d_hu.sum(axis=0)
            return d_xw, [dh_prev + masked_product_backward(hd, rec_mask, U_t, d_hu, dU,
                                                            gate_kernels_t=grads["recurrent_gate_kernels_t"])]
        dU.add(slice(2 * u, 3 * u), rh, d_ah)                         # dU[:, 2u:] += rhᵀ d_ah
        d_rh = step_product(d_ah, U_t[2 * u:])                        # (B, u)
        d_xw[:, u:2 * u] = self._rec_act_grad(a_r, r, d_rh * hh)      # d a_r
        d_hh = d_rh * r                                                # (B, u)
        if rec_mask is not None:
            d_hh *= rec_mask[-1]
        gate_kernels_t = grads["recurrent_gate_kernels_t"]
        d_hd = masked_product_backward(hd, None if rec_mask is None else rec_mask[:2], U_t[:2 * u],
                                       d_xw[:, :2 * u], dU,
                                       gate_kernels_t=None if gate_kernels_t is None else gate_kernels_t[:2])
        return d_xw, [dh_prev + d_hh + d_hd]

    def get_config(self):
        config = super().get_config()
        config.update({"implementation": 2, "reset_after": self.reset_after})
        return config


class GRU(RNN):
    """Gated recurrent unit layer (Keras ``keras.layers.GRU``, tf_keras 2 defaults).

    Args:
        units: size of the output and of the state.
        activation: ``'tanh'``.
        recurrent_activation: ``'sigmoid'`` (Keras 2.2.4: ``'hard_sigmoid'``).
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
        recurrent_dropout: state dropout rate (one mask per gate, fixed across time, as tf_keras).
        implementation: accepted (1 or 2: same maths).
        return_sequences: see :class:`RNN`.
        return_state: see :class:`RNN`.
        go_backwards: see :class:`RNN`.
        stateful: see :class:`RNN`.
        unroll: see :class:`RNN`.
        reset_after: True (tf_keras) or False (Keras 2.2.4).
        **kwargs: :class:`RNN` and :class:`~minikeras.layers.Layer` arguments.

    >>> GRU(4, return_sequences=True)(np.zeros((2, 5, 3), dtype='float32')).shape
    (2, 5, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, implementation=2, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False, reset_after=True, **kwargs):
        cell_args, rnn_args, kwargs = split_arguments(locals())     # what the cell takes, what RNN takes
        cell = GRUCell(**cell_args, name="gru_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, **rnn_args, **kwargs)
