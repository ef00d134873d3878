"""``RecurrentCell``: what SimpleRNNCell, LSTMCell and GRUCell share.

A cell computes one time step. Its weights are the kernel ``W (D, G*u)`` applied to the
inputs, the recurrent kernel ``U (u, G*u)`` applied to the previous state, and a bias, where
``G`` is the number of gate blocks (1 SimpleRNN, 4 LSTM, 3 GRU) side by side in the columns.

Because ``W`` does not depend on the state, :class:`~minikeras.layers.RNN` applies it to every
step at once (:meth:`RecurrentCell.project_inputs`, one big matrix product) and the step only
computes ``h @ U``. Its gradient ``dW = sum_t x_tᵀ dz_t`` is likewise one product after the loop.
"""
import numpy as np

from .. import activations, backend, initializers, regularizers
from .base import Layer
from .rnn_arguments import as_float
from .rnn_ops import (StepOuterProducts, fast_sigmoid, lay_out_gates, masked_product, masked_product_backward,
                      side_by_side, transposed)


def dropout_mask(training, rate, shape, dtype):
    """Inverted-dropout mask ``keep / (1 - rate)`` of ``shape``, or None outside training."""
    if not training or not rate:
        return None
    keep = backend.rng().random(shape, dtype=np.float32) >= rate
    return keep.astype(dtype) * np.asarray(1 / (1 - rate), dtype)


def step_masks(dp, steps):
    """Input masks ``(n, B, D)`` repeated for every step, in the rows of ``x.reshape(B*T, D)``: ``(n, B*T, D)``."""
    return None if dp is None else np.repeat(dp, steps, axis=1)



class RecurrentCell(Layer):
    """Base cell: stores and validates the arguments; the input projection and its gradient.

    Args:
        units: size of the state, a positive int.
        activation: the output/candidate activation (``'tanh'``).
        recurrent_activation: the gates' activation (``'sigmoid'``; None for SimpleRNN).
        use_bias: whether the cell has a bias.
        kernel_initializer: initializer of ``W``.
        recurrent_initializer: initializer of ``U`` (``'orthogonal'``).
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional penalty on ``W``.
        recurrent_regularizer: optional penalty on ``U``.
        bias_regularizer: optional penalty on the bias.
        kernel_constraint: must be None (minikeras's recurrent layers have no constraints yet).
        recurrent_constraint: must be None.
        bias_constraint: must be None.
        dropout: fraction of the inputs dropped (one mask per sequence), in ``[0, 1)``.
        recurrent_dropout: fraction of the state dropped before ``h @ U``, in ``[0, 1)``.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    Raises:
        ValueError: for a bad ``units``, dropout rate, or a constraint.
    """

    gates = 1  # column blocks in W and U

    def __init__(self, units, activation="tanh", recurrent_activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, **kwargs):
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"{type(self).__name__} units must be a positive int, got {units!r}.")
        for argument, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if isinstance(rate, bool) or not isinstance(rate, (int, float, np.number)) or not 0 <= rate < 1:
                raise ValueError(f"{argument} must be a number in [0, 1), got {rate!r}.")
        for argument, constraint in (("kernel_constraint", kernel_constraint),
                                     ("recurrent_constraint", recurrent_constraint),
                                     ("bias_constraint", bias_constraint)):
            if constraint is not None:
                raise ValueError(f"minikeras has no {argument} for recurrent layers yet; got {constraint!r}. "
                                 f"Leave it None.")
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = (activations.get(recurrent_activation)
                                     if recurrent_activation is not None else None)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self._act_grad = activations.gradient(self.activation)
        self._rec_act_grad = (activations.gradient(self.recurrent_activation)
                              if self.recurrent_activation is not None else None)
        # The gates' function, called 2-3 times per step: the same sigmoid, in fewer passes over memory.
        self.gate = fast_sigmoid if self.recurrent_activation is activations.sigmoid else self.recurrent_activation

    @property
    def state_size(self):
        """Sizes of the states: ``[units]`` (``[units, units]`` for LSTM: h and c)."""
        return [self.units]

    def build(self, input_shape):
        width = self.gates * self.units
        self.kernel = self.add_weight("kernel", (input_shape[-1], width), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)                 # W (D, G*u)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)    # U (u, G*u)
        self.bias = (self.add_weight("bias", self.bias_shape(), initializer=self.bias_initializer_for_build(),
                                     regularizer=self.bias_regularizer) if self.use_bias else None)

    def bias_shape(self):
        """The bias shape: ``(G*u,)``."""
        return (self.gates * self.units,)

    def bias_initializer_for_build(self):
        """The initializer used for the bias (LSTM's ``unit_forget_bias`` changes it)."""
        return self.bias_initializer

    def input_part(self, bias):
        """The part of a bias-shaped array added to the input projection (all of it here)."""
        return bias

    # ------------------------------------------------------------------ dropout and the input projection
    def dropout_masks(self, training, batch, features, dtype):
        """Draws the dropout masks a sequence keeps at every step: ``(dp, rdp)``, None outside training.

        As tf_keras: with ``recurrent_dropout`` each gate block has its own input mask and its own
        state mask (tf_keras then forces ``implementation=1``): ``dp (G, B, D)``, ``rdp (G, B, u)``;
        with ``dropout`` alone the gates share one input mask, ``dp (1, B, D)``.
        """
        gates = self.gates if self.recurrent_dropout else 1
        dp = dropout_mask(training, self.dropout, (gates, batch, features), dtype)
        rdp = dropout_mask(training, self.recurrent_dropout, (self.gates, batch, self.units), dtype)
        return dp, rdp

    def project_inputs(self, x, dp=None):
        """``x @ W + b`` for every step: ``(B, T, D) -> (B, T, G*u)``; ``dp`` (n, B, D) drops inputs first."""
        batch, steps, features = x.shape
        _, xw = masked_product(x.reshape(-1, features), step_masks(dp, steps), self.kernel)  # (B*T, G*u)
        if self.use_bias:
            xw += self.input_part(self.bias)
        return xw.reshape(batch, steps, -1)                            # (B, T, G*u)

    def project_inputs_backward(self, x, d_xw, dp, grads, input_grad=True):
        """Adds ``dW = xᵀ dxw`` and the input bias gradient to ``grads``; returns ``dL/dx`` (B, T, D) or None."""
        steps, features = x.shape[1], x.shape[2]
        masks = step_masks(dp, steps)                                  # (n, B*T, D) or None
        x2 = x.reshape(-1, features)                                   # (B*T, D)
        d2 = d_xw.reshape(-1, d_xw.shape[-1])                          # (B*T, G*u)
        xm = x2 if masks is None else x2 * masks                       # what was multiplied
        outer = StepOuterProducts()
        dx = masked_product_backward(xm, masks, self.kernel.T, d2, outer, input_grad)  # (one big product)
        outer.add_to(grads["kernel"])                                  # (D, G*u)
        if self.use_bias:
            self.input_part(grads["bias"])[...] += d2.sum(axis=0)      # (G*u,)
        return None if dx is None else dx.reshape(x.shape)

    def start_forward(self, batch):
        """``U``'s gates laid out for a batch's per-step products (:func:`~.rnn_ops.lay_out_gates`,
        ``(G, P, u, u/P)``), or None on the autodiff tape. The layer passes it to every :meth:`step`."""
        return lay_out_gates(side_by_side(self.recurrent_kernel, self.gates), batch)

    def step(self, xw, states, rec_mask, gate_kernels=None):
        """One time step (each cell writes its own).

        Args:
            xw: ``x_t W + b``, ``(B, G*u)`` (the input projection, made for all steps at once).
            states: the previous states, a list of ``(B, u)`` (``[h, c]`` for LSTM).
            rec_mask: the recurrent dropout masks ``(G, B, u)``, or None.
            gate_kernels: :meth:`start_forward`'s layout of ``U``, or None for the plain products.

        Returns:
            ``(output (B, u), new states, cache)``; the cache is what :meth:`step_backward` reads.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement step().")

    def step_backward(self, d_output, d_states, cache, rec_mask, grads):
        """One step of backpropagation through time: from ``dL/d(output)`` and ``dL/d(states)`` to
        ``dL/d(xw)`` ``(B, G*u)`` and ``dL/d(previous states)``; adds ``U``'s terms to ``grads``."""
        raise NotImplementedError(f"{type(self).__name__} must implement step_backward().")

    def start_backward(self, batch):
        """What backpropagation through time accumulates into and reads, by name: fresh gradients
        (one per weight), dU's per-step terms (summed at the end), and ``Uᵀ`` as a contiguous copy
        for the steps' products ``dz Uᵀ`` (with recurrent dropout also laid out per gate, as in
        :meth:`start_forward`, since each gate then has its own product)."""
        u_t = transposed(self.recurrent_kernel)                        # (G*u, u)
        grads = {"kernel": np.zeros_like(self.kernel), "recurrent_kernel": np.zeros_like(self.recurrent_kernel),
                 "recurrent_steps": StepOuterProducts(), "recurrent_kernel_t": u_t,
                 "recurrent_gate_kernels_t": (lay_out_gates(u_t.reshape(self.gates, self.units, -1), batch)
                                              if self.recurrent_dropout else None)}
        if self.use_bias:
            grads["bias"] = np.zeros_like(self.bias)
        return grads

    def finish_grads(self, grads):
        """Turns the accumulators into ``self.grads`` (weight order, regularization added) and returns it."""
        grads["recurrent_steps"].add_to(grads["recurrent_kernel"])    # dU = sum_t h_tᵀ dz_t, one product
        self.grads = [grads["kernel"], grads["recurrent_kernel"]] + ([grads["bias"]] if self.use_bias else [])
        if not self.trainable:
            self.grads = []
        self._add_regularization_grads()
        return self.grads

    def compute_output_shape(self, input_shape):
        """One step's output shape: ``(batch, units)`` (a cell is built on one step's ``(batch, features)``)."""
        return tuple(input_shape[:-1]) + (self.units,)

    def call(self, inputs, states, training=False):
        """One step without dropout: ``(B, D)``, ``[(B, u), ...]`` -> ``(output, new_states)``."""
        xw = self.project_inputs(as_float(inputs, self.dtype)[:, None, :])[:, 0]
        output, new_states, _ = self.step(xw, [as_float(s, self.dtype) for s in states], None)
        return output, new_states

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None,
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
        })
        if self.recurrent_activation is not None:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        return config
