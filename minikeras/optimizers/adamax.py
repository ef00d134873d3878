"""``Adamax``: Adam with the infinity norm (a decaying running maximum of ``|g|``)."""
import numpy as np

from .arguments import DefaultFloat, check_epsilon, check_number
from .base import Optimizer


class Adamax(Optimizer):
    """Adamax (Keras ``keras.optimizers.Adamax``, tf_keras 2.21's current formula).

    Slots ``m`` and ``u``, both starting at 0. At step ``t = iterations + 1``::

        m = m + (1 - beta_1) * (g - m)
        u = max(beta_2 * u, |g|)
        w -= lr * m / ((1 - beta_1**t) * (u + eps))

    Args:
        learning_rate: float >= 0 (default 0.001).
        beta_1: decay of the first moment, in [0, 1) (default 0.9).
        beta_2: decay of the infinity norm, in [0, 1) (default 0.999).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> _ = Adamax(learning_rate=0.1, epsilon=1.0).apply_gradients([(np.array([3.0], 'float32'), w)])
    >>> w.round(4)   # -0.1 * 0.3 / (0.1 * (3 + 1))
    array([-0.075], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-07, *,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.beta_1 = check_number("beta_1", beta_1, 0.0, 1.0)
        self.beta_2 = check_number("beta_2", beta_2, 0.0, 1.0)
        self.epsilon = check_epsilon(epsilon)

    def slot_names(self):
        """``('m', 'u')``."""
        return ("m", "u")

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        t = self.iterations + 1
        m, u = slots["m"], slots["u"]
        m += (1.0 - self.beta_1) * (grad - m)
        u *= self.beta_2
        np.maximum(u, np.abs(grad), out=u)
        denominator = u + self.epsilon
        denominator *= 1.0 - self.beta_1 ** t
        param -= lr * m / denominator

    def get_config(self):
        """Returns the base config plus ``beta_1``, ``beta_2``, ``epsilon``."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
