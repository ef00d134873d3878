"""``RepeatVector``: repeats a vector ``n`` times along a new time axis (Keras ``keras.layers.RepeatVector``)."""
import numpy as np

from .base import Layer


class RepeatVector(Layer):
    """``(B, features) -> (B, n, features)``: the same vector at every step (a decoder's input).

    Backward sums the gradients of the ``n`` copies.

    Args:
        n: number of repetitions, a positive int.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    Raises:
        ValueError: if ``n`` is not a positive int.

    >>> RepeatVector(3)(np.array([[1.0, 2.0]])).tolist()
    [[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n, **kwargs):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
            raise ValueError(f"RepeatVector n must be a positive int, got {n!r}.")
        super().__init__(**kwargs)
        self.n = int(n)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs, training=False):
        x = np.asarray(inputs)                                         # (B, features)
        return np.repeat(x[:, None, :], self.n, axis=1)                # (B, n, features)

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output.sum(axis=1)                                 # (B, features)

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
