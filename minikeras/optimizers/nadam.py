"""``Nadam``: Adam with Nesterov momentum and a warming-up momentum schedule."""
import numpy as np

from .arguments import DefaultFloat, check_epsilon, check_number
from .base import Optimizer


class Nadam(Optimizer):
    """Nadam (Keras ``keras.optimizers.Nadam``, tf_keras 2.21's current formula).

    Slots ``m`` and ``v``, both starting at 0. The momentum grows along the schedule
    ``mu_s = beta_1 * (1 - 0.5 * 0.96**s)``, and ``prod_t = mu_1 * mu_2 * ... * mu_t`` (the
    *momentum cache*). At step ``t = iterations + 1``::

        m = m + (1 - beta_1) * (g - m)
        v = v + (1 - beta_2) * (g**2 - v)
        m_hat = mu_{t+1} * m / (1 - prod_{t+1}) + (1 - mu_t) * g / (1 - prod_t)
        v_hat = v / (1 - beta_2**t)
        w -= lr * m_hat / (sqrt(v_hat) + eps)

    (Keras 2.2.4 and ``tf_keras.optimizers.legacy`` used ``0.96**(0.004 * s)``, whose
    ``0.004`` was the ``schedule_decay`` argument; tf_keras 2.21's current Nadam, followed here,
    has no such argument.)

    Args:
        learning_rate: float >= 0 (default 0.001).
        beta_1: decay of the first moment, in [0, 1) (default 0.9).
        beta_2: decay of the second moment, in [0, 1) (default 0.999).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> _ = Nadam(learning_rate=0.1, epsilon=0.0).apply_gradients([(np.array([3.0], 'float32'), w)])
    >>> w.round(4)   # mu_1 = 0.468, mu_2 = 0.48528: -0.1 * (mu_2 * 0.3 / (1 - mu_1 * mu_2) + 3) / 3
    array([-0.1063], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-07, *,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.beta_1 = check_number("beta_1", beta_1, 0.0, 1.0)
        self.beta_2 = check_number("beta_2", beta_2, 0.0, 1.0)
        self.epsilon = check_epsilon(epsilon)
        self._cache = (0, 1.0)  # (s, prod_s): the momentum cache, so each step costs one product

    def momentum_schedule(self, step):
        """Returns ``mu_step = beta_1 * (1 - 0.5 * 0.96**step)``."""
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** step)

    def momentum_cache(self, step):
        """Returns ``prod_step = mu_1 * ... * mu_step`` (recomputed if the step jumped, e.g. after
        ``set_weights``)."""
        cached_step, product = self._cache
        if cached_step > step:
            cached_step, product = 0, 1.0
        for s in range(cached_step + 1, step + 1):
            product *= self.momentum_schedule(s)
        self._cache = (step, product)
        return product

    def slot_names(self):
        """``('m', 'v')``."""
        return ("m", "v")

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        t = self.iterations + 1
        mu_t, mu_next = self.momentum_schedule(t), self.momentum_schedule(t + 1)
        prod_t = self.momentum_cache(t)
        prod_next = prod_t * mu_next
        m, v = slots["m"], slots["v"]
        m += (1.0 - self.beta_1) * (grad - m)
        v += (1.0 - self.beta_2) * (np.square(grad) - v)
        m_hat = (mu_next / (1.0 - prod_next)) * m + ((1.0 - mu_t) / (1.0 - prod_t)) * grad
        denominator = v / (1.0 - self.beta_2 ** t)
        np.sqrt(denominator, out=denominator)
        denominator += self.epsilon
        param -= lr * m_hat / denominator

    def get_config(self):
        """Returns the base config plus ``beta_1``, ``beta_2``, ``epsilon``."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config

    @classmethod
    def from_config(cls, config):
        """As :meth:`Optimizer.from_config`; a Keras 2 ``schedule_decay`` key is dropped."""
        return super().from_config({k: v for k, v in config.items() if k != "schedule_decay"})
