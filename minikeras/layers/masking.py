"""``Masking``: marks the time steps to skip (Keras ``keras.layers.Masking``)."""
import numpy as np

from .base import Layer


class Masking(Layer):
    """Masks every time step whose features all equal ``mask_value``.

    The output is the input with masked steps zeroed; :meth:`compute_mask` gives the layers
    after it (recurrent layers, the loss) the ``(B, T)`` mask ``any(x != mask_value)``.

    Args:
        mask_value: the padding value.
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    >>> x = np.array([[[1.0], [0.0], [2.0]]])
    >>> Masking(0.0).compute_mask(x)
    array([[ True, False,  True]])
    """

    _CACHE = Layer._CACHE + ("_keep",)

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        """``(B, T)`` bool: True where a step has a feature different from ``mask_value``."""
        return np.any(np.asarray(inputs) != self.mask_value, axis=-1)

    def call(self, inputs, training=False):
        x = inputs if hasattr(inputs, "ndim") else np.asarray(inputs)  # (B, T, D) array or tape tensor
        self._keep = np.any(np.not_equal(x, self.mask_value), axis=-1, keepdims=True)  # (B, T, 1)
        return x * self._keep                                          # (B, T, D) masked steps zeroed

    def backward(self, grad_output, input_grad=True):
        self.grads = []
        return grad_output * self._keep                                # (B, T, D)

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
