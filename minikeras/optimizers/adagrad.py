"""``Adagrad``: per-coordinate learning rates from the sum of all past squared gradients."""
import numpy as np

from .arguments import DefaultFloat, check_epsilon, check_number
from .base import Optimizer


class Adagrad(Optimizer):
    """Adagrad (Keras ``keras.optimizers.Adagrad``, tf_keras 2.21's current formula).

    One slot ``accumulator`` (``acc``), starting at ``initial_accumulator_value``::

        acc = acc + g**2
        w -= lr * g / sqrt(acc + eps)

    Args:
        learning_rate: float >= 0 (default 0.001).
        initial_accumulator_value: starting value of ``acc``, >= 0 (default 0.1).
        epsilon: small float >= 0 (default 1e-7; ``None`` means ``backend.epsilon()``).
        clipnorm, clipvalue, global_clipnorm, name, lr, decay: see :class:`Optimizer`.

    Raises:
        ValueError: for an argument out of range (the message names it).

    >>> import numpy as np
    >>> w = np.zeros(1, dtype='float32')
    >>> opt = Adagrad(learning_rate=0.1, initial_accumulator_value=3.0, epsilon=0.0)
    >>> _ = opt.apply_gradients([(np.ones(1, 'float32'), w)])
    >>> w.round(4)   # -0.1 * 1 / sqrt(3 + 1)
    array([-0.05], dtype=float32)
    """

    elementwise = True  # large parameters are updated in cache-sized pieces (see optimizers/pieces.py)

    def __init__(self, learning_rate=DefaultFloat(0.001), initial_accumulator_value=0.1, epsilon=1e-07, *,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, lr=None, decay=0.0):
        super().__init__(name=name, learning_rate=learning_rate, lr=lr, decay=decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
        self.initial_accumulator_value = check_number("initial_accumulator_value", initial_accumulator_value)
        self.epsilon = check_epsilon(epsilon)

    def slot_names(self):
        """``('accumulator',)``."""
        return ("accumulator",)

    def initial_slot_value(self, slot_name):
        """``initial_accumulator_value``."""
        return self.initial_accumulator_value

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        acc = slots["accumulator"]
        acc += np.square(grad)
        denominator = acc + self.epsilon
        np.sqrt(denominator, out=denominator)
        param -= lr * grad / denominator

    def get_config(self):
        """Returns the base config plus ``initial_accumulator_value`` and ``epsilon``."""
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon})
        return config
