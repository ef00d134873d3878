"""``Adadelta``: steps scaled by the ratio of running RMS of past steps to running RMS of gradients."""
import numpy as np

from .arguments import DefaultFloat, check_epsilon, check_number
from .base import Optimizer


class Adadelta(Optimizer):
    """Adadelta (Keras ``keras.optimizers.Adadelta``, tf_keras 2.21's current formula).

    Slots ``accumulated_grad`` (``Eg``) and ``accumulated_delta_var`` (``Ed``), both starting
    at 0::

        Eg = rho * Eg + (1 - rho) * g**2
        delta = -sqrt(Ed + eps) / sqrt(Eg + eps) * g
        Ed = rho * Ed + (1 - rho) * delta**2
        w += lr * delta

    The original paper has no learning rate (``lr = 1``, Keras 2.2.4's default); tf_keras's
    default is 0.001.

    Args:
        learning_rate: float >= 0 (default 0.001).
        rho: decay rate in [0, 1) (default 0.95).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> opt = Adadelta(learning_rate=1.0, rho=0.75, epsilon=0.25)
    >>> _ = opt.apply_gradients([(np.ones(1, 'float32'), w)])
    >>> w.round(4)   # -sqrt(0 + 0.25) / sqrt(0.25 + 0.25) * 1
    array([-0.7071], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), rho=0.95, epsilon=1e-07, *,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.rho = check_number("rho", rho, 0.0, 1.0)
        self.epsilon = check_epsilon(epsilon)

    def slot_names(self):
        """``('accumulated_grad', 'accumulated_delta_var')``."""
        return ("accumulated_grad", "accumulated_delta_var")

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        eg, ed = slots["accumulated_grad"], slots["accumulated_delta_var"]
        eg *= self.rho
        eg += (1.0 - self.rho) * np.square(grad)
        delta = -np.sqrt(ed + self.epsilon) / np.sqrt(eg + self.epsilon) * grad
        ed *= self.rho
        ed += (1.0 - self.rho) * np.square(delta)
        param += lr * delta

    def get_config(self):
        """Returns the base config plus ``rho`` and ``epsilon``."""
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
