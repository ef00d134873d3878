"""``SGD``: stochastic gradient descent, with optional (Nesterov) momentum."""
from .arguments import DefaultFloat, check_bool, check_number
from .base import Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum (Keras ``keras.optimizers.SGD``).

    With ``momentum == 0``: ``w -= lr * g``. Otherwise, with a velocity slot ``m`` (starts at 0)::

        m = momentum * m - lr * g
        w = w + m                             # nesterov=False
        w = w + momentum * m - lr * g         # nesterov=True

    Args:
        learning_rate: float >= 0 (default 0.01).
        momentum: float in [0, 1] (default 0).
        nesterov: whether to use Nesterov momentum.
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.array([1.0], dtype='float32')
    >>> opt = SGD(learning_rate=0.1, momentum=0.9)
    >>> _ = opt.apply_gradients([(np.array([1.0], 'float32'), w)])
    >>> _ = opt.apply_gradients([(np.array([1.0], 'float32'), w)])
    >>> w.round(4)   # 1 - 0.1, then - (0.9 * 0.1 + 0.1)
    array([0.71], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.01), momentum=0.0, nesterov=False, *,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.momentum = check_number("momentum", momentum, 0.0, 1.0, high_inclusive=True)
        self.nesterov = check_bool("nesterov", nesterov)

    def slot_names(self):
        """``('momentum',)`` when ``momentum > 0`` (the velocity ``m``), else none."""
        return ("momentum",) if self.momentum > 0 else ()

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        if "momentum" not in slots:
            param -= lr * grad
            return
        m = slots["momentum"]
        m *= self.momentum
        m -= lr * grad
        if self.nesterov:
            param += self.momentum * m - lr * grad
        else:
            param += m

    def get_config(self):
        """Returns the base config plus ``momentum`` and ``nesterov``."""
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
