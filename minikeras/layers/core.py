"""The core layers: ``Dense``, ``Activation``, ``Dropout``, ``Flatten`` (``Input`` is in ``input_layer.py``).

Each layer's forward pass (``call``) is followed by its backward pass (``backward``), with the
shapes written beside each line. ``B`` is the batch size.
"""
import numpy as np

from .. import activations, constraints, initializers, regularizers
from .base import Layer
from .input_spec import InputSpec
from .seeded import SeededLayer


class Dense(Layer):
    """A fully connected layer: ``output = activation(inputs @ kernel + bias)``.

    Keras counterpart: ``keras.layers.Dense`` (same arguments and defaults).

    Args:
        units: number of outputs, a positive int.
        activation: name or function (see :mod:`minikeras.activations`); None = linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer for the ``(input_dim, units)`` kernel.
        bias_initializer: initializer for the ``(units,)`` bias.
        kernel_regularizer: optional penalty on the kernel (added to the loss); a plain function
            ``f(w)`` written with ``K`` ops is differentiated by the tape.
        bias_regularizer: optional penalty on the bias.
        activity_regularizer: optional penalty on the output, ``reg(output) / batch`` (tf_keras).
        kernel_constraint: optional projection of the kernel after each update (e.g. ``max_norm(2.)``).
        bias_constraint: optional projection of the bias after each update.
        **kwargs: :class:`~minikeras.layers.base.Layer` arguments (``input_dim``, ``name``, ...).

    Raises:
        ValueError: if ``units`` is not a positive int, or a name is unknown.

    >>> layer = Dense(3, input_dim=2, kernel_initializer='ones')
    >>> layer(np.ones((4, 2), dtype='float32')).shape
    (4, 3)
    """

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense units must be a positive int, got {units!r}.")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._activation_grad = activations.gradient(self.activation)
        self.input_spec = InputSpec(min_ndim=2)                       # (batch, ..., features)

    def build(self, input_shape):
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})   # later calls must fit the kernel
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = (self.add_weight("bias", (self.units,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint) if self.use_bias else None)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def call(self, inputs, training=False):
        self._inputs = inputs                                   # (B, input_dim)
        z = inputs @ self.kernel                                # (B, units)
        if self.use_bias:
            z += self.bias                                      # (B, units)
        self._z = z                                             # the logits, kept for backward
        self._y = z if self.activation is activations.linear else self.activation(z)
        return self._y                                          # (B, units)

    def backward(self, grad_output, input_grad=True):
        # dL/dz = activation'(z) applied to dL/dy                 (B, units)
        dz = grad_output if self.activation is activations.linear else \
            self._activation_grad(self._z, self._y, grad_output)
        return self.backward_from_logits(dz, input_grad)

    def backward_from_logits(self, dz, input_grad=True):
        """Backward pass from ``dL/dz`` (the gradient before the activation), used when the
        loss is computed from the logits (softmax/sigmoid + crossentropy)."""
        x = self._inputs.reshape(-1, self._inputs.shape[-1])   # (B, input_dim)
        dz2 = dz.reshape(-1, self.units)                         # (B, units)
        self.grads = [x.T @ dz2]                                # dL/dkernel (input_dim, units)
        if self.use_bias:
            self.grads.append(dz2.sum(axis=0))                  # dL/dbias   (units,)
        if not self.trainable:
            self.grads = []
        self._add_regularization_grads()
        return dz @ self.kernel.T if input_grad else None       # dL/dx      (B, input_dim)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config


class Activation(Layer):
    """Applies an activation function: ``output = activation(inputs)``.

    Keras counterpart: ``keras.layers.Activation``.

    Args:
        activation: name or function (see :mod:`minikeras.activations`).

    >>> Activation('relu')(np.array([[-1.0, 2.0]], dtype='float32'))
    array([[0., 2.]], dtype=float32)
    """

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self._activation_grad = activations.gradient(self.activation)

    def call(self, inputs, training=False):
        self._z = inputs                                        # (B, ...)
        self._y = self.activation(inputs)                       # (B, ...)
        return self._y

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return self._activation_grad(self._z, self._y, grad_output)  # (B, ...)

    def backward_from_logits(self, dz, input_grad=True):
        """The gradient before the activation is this layer's input gradient."""
        self.grads = []
        return dz

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config


class Dropout(SeededLayer):
    """Randomly zeroes a fraction ``rate`` of the inputs during training (inverted dropout).

    Keras counterpart: ``keras.layers.Dropout``. Kept inputs are scaled by ``1/(1-rate)`` so the
    expected sum is unchanged; at inference the layer is the identity. Masks come from
    ``backend.rng()``, or from a generator of its own when ``seed`` is given.

    Args:
        rate: fraction to drop, in ``[0, 1)``.
        noise_shape: shape of the mask, broadcast over the input (``None`` = input's shape).
        seed: optional int seed for this layer's masks.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1)``.
    """

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.number)) or not 0 <= rate < 1:
            raise ValueError(f"Dropout rate must be a number in [0, 1), got {rate!r}.")
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed

    def build(self, input_shape):
        """Checks that ``noise_shape`` broadcasts against the input: each axis None, 1 or the input's size."""
        if self.noise_shape is None:
            return
        fits = len(self.noise_shape) <= len(input_shape) and all(    # lined up from the last axis, as TensorFlow
            n is None or n == 1 or s is None or n == s for n, s in zip(self.noise_shape[::-1], input_shape[::-1]))
        if not fits:
            raise ValueError(f"Layer {self.name!r} (Dropout): noise_shape {self.noise_shape} does not broadcast "
                             f"against its input of shape {tuple(input_shape)}; give one entry per input axis (or "
                             f"per last axes), each None (the input's size), 1 (one mask value shared along it) or "
                             f"the size itself.")

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            self._mask = None
            return inputs
        rng = self._generator()   # backend.rng(), or the layer's own when seeded
        shape = inputs.shape if self.noise_shape is None else tuple(   # None: the input's size; aligned on the right
            n if n is not None else s for n, s in zip(self.noise_shape, inputs.shape[-len(self.noise_shape):]))
        keep = rng.random(shape, dtype=np.float32) >= self.rate            # (B, ...) bool
        self._mask = keep.astype(inputs.dtype) * np.asarray(1 / (1 - self.rate), inputs.dtype)
        return inputs * self._mask                                               # (B, ...)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output if self._mask is None else grad_output * self._mask  # (B, ...)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config


class Flatten(Layer):
    """Flattens each sample to one axis: ``(B, d1, d2, ...) -> (B, d1*d2*...)``.

    Keras counterpart: ``keras.layers.Flatten`` (channels_last only).
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(np.prod(rest))
        return (input_shape[0], size)

    def call(self, inputs, training=False):
        self._shape = inputs.shape                              # (B, d1, d2, ...)
        return inputs.reshape(inputs.shape[0], -1)              # (B, d1*d2*...)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output.reshape(self._shape)                 # (B, d1, d2, ...)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


def __getattr__(name):
    """Keras 2.2.4's ``keras.layers.core`` also held layers that minikeras defines in other modules."""
    from ..compat.legacy import moved_attribute
    return moved_attribute(__name__, name)
