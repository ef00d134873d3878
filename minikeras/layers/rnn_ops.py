"""The building blocks the recurrent layers share: per-gate products, dropout masks, arguments.

With ``recurrent_dropout`` tf_keras gives each gate block its own dropout masks, so the product
``h @ U`` becomes one product per block (:func:`masked_product`). Backpropagation through time
adds one ``h_tᵀ dz_t`` per step to ``dU``; :class:`StepOuterProducts` sums them with one product
after the loop.
"""
import numpy as np

from .. import backend
from ..backend import autodiff
from ..utils.generic_utils import to_list
from . import node as node_module


def fast_sigmoid(x):
    """``sigmoid(x) = (1 + tanh(x / 2)) / 2``: three in-place passes instead of six (max error 6e-8 in float32).

    A tape tensor (see :mod:`minikeras.backend.autodiff`) gets the same formula, recorded.

    >>> fast_sigmoid(np.array([0.0, 2.0], dtype='float32'))
    array([0.5      , 0.8807971], dtype=float32)
    """
    if not isinstance(x, np.ndarray):
        return np.tanh(x * 0.5) * 0.5 + 0.5
    s = np.multiply(x, 0.5, dtype=x.dtype)
    np.tanh(s, out=s)
    s *= 0.5
    s += 0.5
    return s


def block(k, units):
    """The columns of gate block ``k`` in a ``(.., G*u)`` array: ``slice(k*u, (k+1)*u)``."""
    return slice(k * units, (k + 1) * units)


#: OpenBLAS runs a product ``(m, k) @ (k, n)`` on one thread when ``m*n*k <= 65536 * 4`` (its
#: threading threshold). A time step's products are a little larger (``32x128 @ 128x512``), and
#: waking a second thread for each of them costs more than it saves: 3-10x slower with two threads.
ONE_THREAD_SIZE = 65536 * 4


def step_product(a, b, out=None):
    """``a @ b`` for one time step's small matrices, computed in column blocks small enough for
    OpenBLAS to run each on one thread (products over 8 blocks' worth stay whole, threaded).

    Args:
        a: ``(m, k)``.
        b: ``(k, n)``.
        out: optional ``(m, n)`` array (or a view with unit column stride) to write into.

    Returns:
        ``a @ b``, ``(m, n)`` (``out`` itself when given).

    >>> a, b = np.ones((32, 128), 'float32'), np.ones((128, 512), 'float32')
    >>> np.array_equal(step_product(a, b), a @ b)
    True
    """
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):   # tape tensors: one recorded product
        return a @ b
    (m, k), n = a.shape, b.shape[1]
    if out is not None and out.shape != (m, n):
        raise ValueError(f"step_product: out has shape {out.shape}, but a @ b is {(m, n)}.")
    width = max(1, ONE_THREAD_SIZE // (m * k))
    if n <= width or m * k * n > 8 * ONE_THREAD_SIZE:
        return np.matmul(a, b, out=out)
    out = np.empty((m, n), np.result_type(a, b)) if out is None else out
    for start in range(0, n, width):
        np.matmul(a, b[:, start:start + width], out=out[:, start:start + width])
    return out


def masked_product(h, masks, kernel):
    """``h @ kernel``, column block ``k`` reading ``h * masks[k]`` when ``masks`` ``(n, B, D)`` is given.

    ``kernel`` is ``(D, n*w)``: one block of ``w`` columns per mask. Returns ``(what was multiplied,
    the product (B, n*w))``, i.e. ``(h, h @ kernel)`` without masks. On arrays the blocks' products
    are written into one new array; tape tensors get recorded products and no writes.
    """
    if masks is None:
        return h, step_product(h, kernel)                              # (B, D), (B, n*w)
    hm = h * masks                                                     # (n, B, D) one dropped copy per block
    w = kernel.shape[1] // len(masks)
    if len(masks) == 1:
        return hm, step_product(hm[0], kernel)
    if not isinstance(hm, np.ndarray) or not isinstance(kernel, np.ndarray):   # tape tensors: no writes
        return hm, np.concatenate([hm[k] @ kernel[:, block(k, w)] for k in range(len(masks))], axis=1)
    product = np.empty((h.shape[0], kernel.shape[1]), np.result_type(hm, kernel))  # (B, n*w)
    for k in range(len(masks)):                                        # each block's product in its columns
        step_product(hm[k], kernel[:, block(k, w)], out=product[:, block(k, w)])
    return hm, product


def masked_product_backward(hm, masks, kernel_t, d_product, outer, input_grad=True):
    """Backward of :func:`masked_product`: records ``d_kernel += hmᵀ d`` in ``outer`` (a
    :class:`StepOuterProducts`); returns ``dL/dh`` (B, D), or None when ``input_grad`` is False.

    ``kernel_t`` is the kernel transposed, ``(n*w, D)``; for a time step's small products BLAS is
    about twice as fast on a contiguous copy (made once per batch, see :func:`transposed`) as on
    the view ``kernel.T``.
    """
    if masks is None:
        outer.add(slice(0, kernel_t.shape[0]), hm, d_product)          # (D, n*w) later
        return step_product(d_product, kernel_t) if input_grad else None  # (B, D)
    w, dh = kernel_t.shape[0] // len(masks), None
    for k in range(len(masks)):
        cols = block(k, w)
        outer.add(cols, hm[k], d_product[:, cols])                     # (D, w) later
        if input_grad:
            dh_k = step_product(d_product[:, cols], kernel_t[cols])   # (B, D)
            dh_k *= masks[k]
            if dh is None:
                dh = dh_k
            else:
                dh += dh_k
    return dh


def transposed(kernel):
    """``kernel.T`` as a contiguous array (a tape tensor's transpose stays recorded)."""
    return np.ascontiguousarray(kernel.T) if isinstance(kernel, np.ndarray) else kernel.T


class StepOuterProducts:
    """``dW[:, cols] += leftᵀ right`` of every time step, summed by one matrix product per block at the end.

    Each step's ``leftᵀ right`` is a thin ``(u, B) x (B, n)`` product; BLAS is far faster on one
    ``(u, T*B) x (T*B, n)`` product of the stacked steps, which is the same sum.

    >>> outer = StepOuterProducts()
    >>> for t in range(3):
    ...     outer.add(slice(0, 2), np.ones((4, 1)), np.ones((4, 2)))
    >>> grad = np.zeros((1, 2)); outer.add_to(grad); grad
    array([[12., 12.]])
    """

    def __init__(self):
        self.blocks = {}                                               # (start, stop) -> (lefts, rights)

    def add(self, cols, left, right):
        """Records ``leftᵀ right`` (``(B, D)``, ``(B, n)``) for the columns ``cols`` of the gradient."""
        lefts, rights = self.blocks.setdefault((cols.start, cols.stop), ([], []))
        lefts.append(left)
        rights.append(right)

    def add_to(self, grad):
        """Adds the recorded sums to ``grad`` (in place) and forgets them."""
        for (start, stop), (lefts, rights) in self.blocks.items():
            left = lefts[0] if len(lefts) == 1 else np.concatenate(lefts)     # (T*B, D)
            right = rights[0] if len(rights) == 1 else np.concatenate(rights)  # (T*B, n)
            grad[:, start:stop] += left.T @ right
        self.blocks = {}


def dropout_mask(training, rate, shape, dtype):
    """Inverted-dropout mask ``keep / (1 - rate)`` of ``shape``, or None outside training."""
    if not training or not rate:
        return None
    keep = backend.rng().random(shape, dtype=np.float32) >= rate
    return keep.astype(dtype) * np.asarray(1 / (1 - rate), dtype)


def step_masks(dp, steps):
    """Input masks ``(n, B, D)`` repeated for every step, in the rows of ``x.reshape(B*T, D)``: ``(n, B*T, D)``."""
    return None if dp is None else np.repeat(dp, steps, axis=1)


def sequence_shape(input_shape):
    """The sequence's shape ``(B, T, D)`` out of ``[x, h0, (c0)]``'s list of shapes (or of a single shape)."""
    return tuple(input_shape[0]) if isinstance(input_shape[0], (list, tuple)) else tuple(input_shape)


def as_float(x, dtype):
    """``x`` as a float array of ``dtype``; a tape tensor stays as it is (so that the tape records the call)."""
    return x if isinstance(x, autodiff.Tensor) else np.asarray(x, dtype=dtype)


#: The arguments of a recurrent layer that are the RNN's own; the others (but ``kwargs``) go to the cell.
RNN_ARGUMENTS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")


def split_arguments(arguments):
    """Splits a recurrent layer's ``locals()`` into ``(cell arguments, RNN arguments, Layer kwargs)``.

    ``LSTM(4, dropout=0.2, return_sequences=True, name='x')`` builds
    ``LSTMCell(4, dropout=0.2, ...)`` and ``RNN(cell, return_sequences=True, name='x')``.

    Raises:
        ValueError: for an ``activity_regularizer`` other than None (not supported).
    """
    cell_args = {k: v for k, v in arguments.items() if k not in ("self", "__class__", "kwargs")}
    activity_regularizer = cell_args.pop("activity_regularizer")
    if activity_regularizer is not None:
        raise ValueError(f"minikeras has no activity_regularizer for recurrent layers; got "
                         f"{activity_regularizer!r}. Leave it None.")
    rnn_args = {k: cell_args.pop(k) for k in RNN_ARGUMENTS}
    return cell_args, rnn_args, arguments["kwargs"]


def symbolic_states(layer_name, inputs, initial_state, state_size):
    """The Keras tensors given as ``initial_state``, checked against the cell's states.

    Args:
        layer_name: the recurrent layer's name (for the messages).
        inputs: what the layer is called on.
        initial_state: the ``initial_state`` argument (None, arrays or Keras tensors).
        state_size: the cell's state widths (``[u, u]`` for an LSTM).

    Returns:
        The list of Keras tensors, or None if ``initial_state`` holds none.

    Raises:
        TypeError: for Keras tensors as states with array inputs.
        ValueError: if their number or widths do not match the cell's states.
    """
    if initial_state is None or not node_module.is_symbolic(to_list(initial_state, allow_tuple=True)):
        return None
    if not node_module.is_symbolic(inputs):
        raise TypeError(f"{layer_name}: initial_state holds Keras tensors, so the inputs must be a Keras tensor "
                        f"too (from Input or another layer), got {type(inputs).__name__}.")
    states = to_list(initial_state, allow_tuple=True)
    widths = [s.shape[-1] for s in states]
    if widths != list(state_size):
        raise ValueError(f"{layer_name} has states of widths {list(state_size)}, but initial_state has "
                         f"{len(states)} tensor(s) of widths {widths}; give one Keras tensor per state "
                         f"(an LSTM's [h, c]) shaped (batch, units).")
    return states

