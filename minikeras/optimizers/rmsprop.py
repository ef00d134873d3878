"""``RMSprop``: divide each gradient by a running root-mean-square of its past values."""
import numpy as np

from .arguments import DefaultFloat, check_bool, check_epsilon, check_number
from .base import Optimizer


class RMSprop(Optimizer):
    """RMSprop (Keras ``keras.optimizers.RMSprop``, tf_keras 2.21's current formula).

    Slots ``velocity`` (``v``), ``momentum`` (when ``momentum > 0``) and ``average_gradient``
    (``a``, when ``centered``), all starting at 0::

        v = rho * v + (1 - rho) * g**2
        a = rho * a + (1 - rho) * g                       # centered only
        step = lr * g / sqrt(v + eps)                     # centered: sqrt(v - a**2 + eps)
        mom = momentum * mom + step;  w -= mom            # momentum > 0
        w -= step                                         # otherwise

    Note ``eps`` is *inside* the square root (Keras 2.2.4 had ``sqrt(v) + eps``).

    Args:
        learning_rate: float >= 0 (default 0.001).
        rho: discounting factor in [0, 1) (default 0.9).
        momentum: float in [0, 1] (default 0).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        centered: if True, normalise by the estimated variance instead of the second moment.
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> _ = RMSprop(learning_rate=0.1, rho=0.75).apply_gradients([(np.ones(1, 'float32'), w)])
    >>> w.round(4)   # -0.1 * 1 / sqrt(0.25)
    array([-0.2], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), rho=0.9, momentum=0.0, epsilon=1e-07,
                 centered=False, *, clipnorm=None, clipvalue=None, global_clipnorm=None, name=None,
                 lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.rho = check_number("rho", rho, 0.0, 1.0)
        self.momentum = check_number("momentum", momentum, 0.0, 1.0, high_inclusive=True)
        self.epsilon = check_epsilon(epsilon)
        self.centered = check_bool("centered", centered)

    def slot_names(self):
        """``velocity``, then ``momentum`` if ``momentum > 0``, then ``average_gradient`` if centered."""
        return ("velocity",) + (("momentum",) if self.momentum > 0 else ()) + \
            (("average_gradient",) if self.centered else ())

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        v = slots["velocity"]
        v *= self.rho
        v += (1.0 - self.rho) * np.square(grad)
        if self.centered:
            a = slots["average_gradient"]
            a *= self.rho
            a += (1.0 - self.rho) * grad
            denominator = v - np.square(a)
        else:
            denominator = v.copy()
        denominator += self.epsilon
        np.sqrt(denominator, out=denominator)
        step = lr * grad / denominator
        if "momentum" in slots:
            mom = slots["momentum"]
            mom *= self.momentum
            mom += step
            step = mom
        param -= step

    def get_config(self):
        """Returns the base config plus ``rho``, ``momentum``, ``epsilon``, ``centered``."""
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
