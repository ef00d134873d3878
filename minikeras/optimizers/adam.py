"""``Adam``: momentum on the gradient and on its square, with bias correction (and AMSGrad)."""
import math

import numpy as np

from .arguments import DefaultFloat, check_bool, check_epsilon, check_number
from .base import Optimizer


class Adam(Optimizer):
    """Adam (Keras ``keras.optimizers.Adam``, tf_keras 2.21's current formula).

    Slots ``m``, ``v`` and, with ``amsgrad``, ``vhat``, all starting at 0. At step
    ``t = iterations + 1``::

        m = m + (1 - beta_1) * (g - m)
        v = v + (1 - beta_2) * (g**2 - v)
        vhat = max(vhat, v); v_used = vhat                        # amsgrad (else v_used = v)
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)        # bias correction
        w -= alpha * m / (sqrt(v_used) + eps)

    ``eps`` is added to ``sqrt(v)`` *before* the bias correction is applied (the paper's
    "epsilon hat" form, as Keras), so it is not ``eps`` of the corrected ``v``.

    Args:
        learning_rate: float >= 0 (default 0.001).
        beta_1: decay of the first moment, in [0, 1) (default 0.9).
        beta_2: decay of the second moment, in [0, 1) (default 0.999).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        amsgrad: whether to use the AMSGrad variant (running maximum of ``v``).
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> _ = Adam(learning_rate=0.1, epsilon=0.0).apply_gradients([(np.array([3.0], 'float32'), w)])
    >>> w.round(4)   # the first Adam step is lr * sign(g)
    array([-0.1], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 amsgrad=False, *, clipnorm=None, clipvalue=None, global_clipnorm=None, name=None,
                 lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.beta_1 = check_number("beta_1", beta_1, 0.0, 1.0)
        self.beta_2 = check_number("beta_2", beta_2, 0.0, 1.0)
        self.epsilon = check_epsilon(epsilon)
        self.amsgrad = check_bool("amsgrad", amsgrad)

    def slot_names(self):
        """``('m', 'v')``, plus ``'vhat'`` with ``amsgrad``."""
        return ("m", "v", "vhat") if self.amsgrad else ("m", "v")

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        t = self.iterations + 1
        alpha = lr * math.sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)
        m, v = slots["m"], slots["v"]
        tmp = np.subtract(grad, m)                      # one scratch array: the same operations
        tmp *= 1.0 - self.beta_1                        # as m += (1 - beta_1) * (grad - m), without
        m += tmp                                        # a temporary per operation (an embedding's
        np.square(grad, out=tmp)                        # weights are millions of numbers)
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp                                        # v += (1 - beta_2) * (grad**2 - v)
        if self.amsgrad:
            np.maximum(slots["vhat"], v, out=slots["vhat"])
            v = slots["vhat"]
        denominator = np.sqrt(v, out=tmp)
        denominator += self.epsilon
        step = alpha * m
        step /= denominator
        param -= step                                   # param -= alpha * m / (sqrt(v) + epsilon)

    def get_config(self):
        """Returns the base config plus ``beta_1``, ``beta_2``, ``epsilon``, ``amsgrad``."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config
