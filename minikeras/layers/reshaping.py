"""Layers that only move values around: ``Reshape``, ``Permute``, ``RepeatVector``.

Their backward passes undo the move: reshape back, transpose by the inverse permutation, and
sum the gradient over the copies that ``RepeatVector`` made.
"""
import numpy as np

from .base import Layer


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (Keras ``keras.layers.Reshape``).

    Args:
        target_shape: the new shape of one sample (no batch axis); one entry may be ``-1``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for more than one ``-1`` or a size that does not match the input.

    >>> Reshape((-1, 2))(np.zeros((5, 3, 4))).shape
    (5, 6, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape: there must be at most one unknown dimension in target_shape. "
                             f"Received: target_shape={self.target_shape}.")
        if any(d == 0 or d < -1 for d in self.target_shape):
            raise ValueError(f"Reshape: target_shape entries must be positive or -1, got {self.target_shape}.")

    def compute_output_shape(self, input_shape):
        sample = input_shape[1:]
        if any(d is None for d in sample):
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        size, known = int(np.prod(sample)), int(np.prod([d for d in self.target_shape if d != -1]))
        if (-1 in self.target_shape and size % known) or (-1 not in self.target_shape and size != known):
            raise ValueError(f"Layer {self.name!r} (Reshape): total size of new array must be unchanged, "
                             f"input_shape = {list(sample)}, output_shape = {list(self.target_shape)}.")
        return (input_shape[0],) + tuple(size // known if d == -1 else d for d in self.target_shape)

    def call(self, inputs, training=False):
        self._shape = inputs.shape                                          # (B, *input sample)
        target = self.compute_output_shape(inputs.shape)[1:]                # one sample's new shape
        return inputs.reshape((inputs.shape[0],) + target)                  # (B, *target)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output.reshape(self._shape)                             # (B, *input sample)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


class Permute(Layer):
    """Permutes the axes of each sample (Keras ``keras.layers.Permute``); ``dims`` counts from 1.

    Args:
        dims: a permutation of ``1 .. rank-1``, e.g. ``(2, 1)`` swaps the two axes of ``(B, a, b)``.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: if ``dims`` is not a permutation of ``1 .. n``.

    >>> Permute((2, 1))(np.zeros((5, 3, 4))).shape
    (5, 4, 3)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
                             f"must be consecutive and start from 1. Received dims={self.dims}")

    def compute_output_shape(self, input_shape):
        if len(input_shape) != len(self.dims) + 1:
            raise ValueError(f"Layer {self.name!r} (Permute) with dims={self.dims} expects inputs of rank "
                             f"{len(self.dims) + 1}; got input shape {tuple(input_shape)}.")
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, inputs, training=False):
        self.compute_output_shape(inputs.shape)
        return np.transpose(inputs, (0,) + self.dims)                       # (B, permuted axes)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return np.transpose(grad_output, np.argsort((0,) + self.dims))      # (B, original axes)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config


class RepeatVector(Layer):
    """Repeats each input vector ``n`` times: ``(B, features) -> (B, n, features)``.

    Keras counterpart: ``keras.layers.RepeatVector``.

    Args:
        n: the number of copies, a positive int.
        **kwargs: base :class:`~minikeras.layers.base.Layer` arguments.

    Raises:
        ValueError: for a bad ``n`` or an input that is not 2-D.

    >>> RepeatVector(3)(np.array([[1.0, 2.0]])).shape
    (1, 3, 2)
    """

    def __init__(self, n, **kwargs):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
            raise ValueError(f"RepeatVector: n must be a positive int, got {n!r}.")
        super().__init__(**kwargs)
        self.n = int(n)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(f"Layer {self.name!r} (RepeatVector) expects inputs of rank 2, shaped (batch, "
                             f"features); got input shape {tuple(input_shape)}.")
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs, training=False):
        self.compute_output_shape(inputs.shape)
        return np.repeat(inputs[:, None, :], self.n, axis=1)                 # (B, n, features)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output.sum(axis=1)                                      # (B, features): copies add up

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
