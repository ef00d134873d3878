"""``ActivityRegularization``: passes its input through and adds a penalty on it to the loss."""
from .. import regularizers
from .base import Layer


class ActivityRegularization(Layer):
    """Identity layer adding ``(l1 * sum|x| + l2 * sum x^2) / batch`` to the loss (tf_keras's scaling).

    Keras counterpart: ``keras.layers.ActivityRegularization``.

    Args:
        l1: L1 factor.
        l2: L2 factor.
        **kwargs: :class:`Layer` arguments.

    >>> import numpy as np
    >>> layer = ActivityRegularization(l1=0.1)
    >>> _ = layer(np.array([[1.0, -2.0], [3.0, 0.0]], dtype='float32')); layer.losses
    [0.30000001192092896]
    """

    supports_masking = True   # the input mask passes on unchanged, e.g. to a per-timestep loss

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = float(l1)
        self.l2 = float(l2)

    def call(self, inputs, training=False):
        return inputs                                          # (B, ...): the penalty is added by Layer

    def backward(self, grad_output, input_grad=True):
        self.grads = []                                        # the penalty's gradient was added to grad_output
        return grad_output

    def get_config(self):
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
