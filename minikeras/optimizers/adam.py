"""``Adam``: momentum on the gradient and on its square, with bias correction (and AMSGrad)."""
import math

import numpy as np

from .arguments import DefaultFloat, check_bool, check_epsilon, check_number
from .base import Optimizer
from .pieces import PIECE


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

    def step_size(self, lr):
        """``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` for this step ``t``: the bias correction."""
        t = self.iterations + 1
        return lr * math.sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)

    def update_step(self, grad, param, slots, lr):
        """Applies the formula above to ``param`` in place."""
        m, v = slots["m"], slots["v"]
        tmp = np.subtract(grad, m)                      # one scratch array: the same operations
        tmp *= 1.0 - self.beta_1                        # as m += (1 - beta_1) * (grad - m), without
        m += tmp                                        # a temporary per operation (an embedding's
        np.square(grad, out=tmp)                        # weights are millions of numbers)
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp                                        # v += (1 - beta_2) * (grad**2 - v)
        self.move(param, slots, self.step_size(lr))

    def sparse_update_step(self, grad, param, slots, lr):
        """tf_keras's formula for an ``IndexedSlices`` gradient (an embedding's rows): the moments
        decay everywhere, the gradient is added to its rows only, then :meth:`move` as usual::

            m = m - m * (1 - beta_1);   m[rows] += values * (1 - beta_1)
            v = v - v * (1 - beta_2);   v[rows] += values**2 * (1 - beta_2)

        The same as the dense formula up to rounding, with no zero-filled gradient to read. It runs
        on blocks of about ``pieces.PIECE`` numbers, whole rows each, so that a block's decay, its
        rows' additions and its move all find it in the CPU cache.
        """
        if type(self).update_step is not Adam.update_step:            # a subclass's own formula: filled in
            return super().sparse_update_step(grad, param, slots, lr)
        alpha, rows, values = self.step_size(lr), grad.indices, grad.values
        block_rows = max(1, PIECE // max(1, param[0].size)) if self.elementwise else len(param)
        starts = range(0, len(param), block_rows)
        ends = np.searchsorted(rows, [start + block_rows for start in starts])  # rows[:ends[k]]: up to block k
        first = 0
        for start, end in zip(starts, ends):
            block = {name: slot[start:start + block_rows] for name, slot in slots.items()}   # views
            mine = slice(first, end)                                   # the gradient's rows in this block
            for name, beta in (("m", self.beta_1), ("v", self.beta_2)):
                block[name] -= block[name] * (1.0 - beta)
            block["m"][rows[mine] - start] += values[mine] * (1.0 - self.beta_1)
            block["v"][rows[mine] - start] += np.square(values[mine]) * (1.0 - self.beta_2)
            self.move(param[start:start + block_rows], block, alpha)
            first = end

    def move(self, param, slots, alpha):
        """``param -= alpha * m / (sqrt(v) + epsilon)``, with ``v`` the running maximum ``vhat`` for AMSGrad."""
        v = slots["v"]
        if self.amsgrad:
            np.maximum(slots["vhat"], v, out=slots["vhat"])
            v = slots["vhat"]
        denominator = np.sqrt(v)
        denominator += self.epsilon
        step = alpha * slots["m"]
        step /= denominator
        param -= step

    def get_config(self):
        """Returns the base config plus ``beta_1``, ``beta_2``, ``epsilon``, ``amsgrad``."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config
