"""The arithmetic the recurrent layers share: the gates' products (and how they are made fast), the sigmoid.

With ``recurrent_dropout`` tf_keras gives each gate block its own dropout masks, so the product
``h @ U`` becomes one product per block (:func:`masked_product`). A time step's products are small
(``32x128 @ 128x128``): they run fastest on one BLAS thread, with the kernel laid out per gate once
per batch (:func:`lay_out_gates`) and all gates' products in one NumPy call (:func:`per_gate_product`).
Backpropagation through time adds one ``h_tᵀ dz_t`` per step to ``dU``; :class:`StepOuterProducts`
sums them with one product after the loop.
"""
import numpy as np


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


def lay_out_gates(matrices, rows):
    """Per-gate matrices ``(G, K, N)`` laid out for :func:`per_gate_product` with ``rows`` rows:
    ``(G, P, K, N/P)``, each matrix's columns in ``P`` contiguous parts, ``P`` the fewest parts (a
    divisor of ``N``) that keep every product on one BLAS thread (see :data:`ONE_THREAD_SIZE`).
    Large products stay whole (``P = 1``, threaded), and so do those whose only fitting parts
    would be a few columns wide (a prime ``N``, say): thin products waste BLAS.

    Made once per batch (a copy of the kernel); None for a tape tensor, which takes the plain path.

    >>> lay_out_gates(np.zeros((4, 128, 128), 'float32'), rows=32).shape   # imdb_lstm: 2 parts of 64
    (4, 2, 128, 64)
    >>> lay_out_gates(np.zeros((4, 127, 127), 'float32'), rows=32).shape   # 127 is prime: whole
    (4, 1, 127, 127)
    """
    if not isinstance(matrices, np.ndarray):
        return None
    gates, k, n = matrices.shape
    width = max(1, ONE_THREAD_SIZE // (rows * k))                      # columns per one-thread product
    parts = 1
    if width < n and rows * k * n <= 8 * ONE_THREAD_SIZE:            # too big for one thread, too small for two
        fewest = next(p for p in range(2, n + 1) if n % p == 0 and n // p <= width)
        parts = fewest if n // fewest >= width // 4 else 1             # but not in slivers (a prime n)
    return np.ascontiguousarray(matrices.reshape(gates, k, parts, n // parts).transpose(0, 2, 1, 3))


def per_gate_product(a, gate_kernels, out):
    """``out[k] = a[k] @ M_k`` for every gate ``k``, in one NumPy call (one small BLAS product per part).

    Args:
        a: ``(G, B, K)`` one input per gate, or ``(1, B, K)`` shared by all gates.
        gate_kernels: ``(G, P, K, N/P)`` the gates' matrices ``M_k (K, N)``, from :func:`lay_out_gates`.
        out: ``(G, B, N)`` array or view to write into (a view of a ``(B, G*N)`` array writes the
            gates side by side in its columns).

    Returns:
        ``out``.
    """
    gates, parts, _, width = gate_kernels.shape
    np.matmul(a[:, None], gate_kernels, out=out.reshape(gates, out.shape[1], parts, width).transpose(0, 2, 1, 3))
    return out


def side_by_side(product, gates):
    """The ``(G, B, w)`` view of a ``(B, G*w)`` array: gate ``k``'s columns as ``[k]``."""
    return product.reshape(product.shape[0], gates, -1).transpose(1, 0, 2)


def masked_product(h, masks, kernel, gate_kernels=None):
    """``h @ kernel``, column block ``k`` reading ``h * masks[k]`` when ``masks`` ``(n, B, D)`` is given.

    ``kernel`` is ``(D, n*w)``: one block of ``w`` columns per mask. Returns ``(what was multiplied,
    the product (B, n*w))``, i.e. ``(h, h @ kernel)`` without masks. On arrays the blocks' products
    are written into one new array, by one call of :func:`per_gate_product` when ``gate_kernels``
    (the kernel's :func:`lay_out_gates`, made once per batch) is given and split; tape tensors get
    recorded products.
    """
    arrays = isinstance(h, np.ndarray) and isinstance(kernel, np.ndarray)
    hm = h if masks is None else h * masks                             # (B, D) or (n, B, D) one dropped copy per block
    if arrays and gate_kernels is not None and (masks is not None or gate_kernels.shape[1] > 1):
        product = np.empty((h.shape[0], kernel.shape[1]), np.result_type(hm, kernel))  # (B, n*w)
        per_gate_product(hm[None] if masks is None else hm, gate_kernels, side_by_side(product, len(gate_kernels)))
        return hm, product
    if masks is None:
        return h, step_product(h, kernel)                              # (B, D), (B, n*w)
    w = kernel.shape[1] // len(masks)
    if len(masks) == 1:
        return hm, step_product(hm[0], kernel)
    if not arrays:                                                     # tape tensors: no writes
        return hm, np.concatenate([hm[k] @ kernel[:, block(k, w)] for k in range(len(masks))], axis=1)
    product = np.empty((h.shape[0], kernel.shape[1]), np.result_type(hm, kernel))  # (B, n*w)
    for k in range(len(masks)):                                        # each block's product in its columns
        step_product(hm[k], kernel[:, block(k, w)], out=product[:, block(k, w)])
    return hm, product


def masked_product_backward(hm, masks, kernel_t, d_product, outer, input_grad=True, gate_kernels_t=None):
    """Backward of :func:`masked_product`: records ``d_kernel += hmᵀ d`` in ``outer`` (a
    :class:`StepOuterProducts`); returns ``dL/dh`` (B, D), or None when ``input_grad`` is False.

    ``kernel_t`` is the kernel transposed, ``(n*w, D)``; for a time step's small products BLAS is
    about twice as fast on a contiguous copy (made once per batch, see :func:`transposed`) as on
    the view ``kernel.T``. With masks, ``gate_kernels_t`` (its :func:`lay_out_gates`) gives every
    block's ``d_k kernel_kᵀ`` in one call.
    """
    if masks is None:
        outer.add(slice(0, kernel_t.shape[0]), hm, d_product)          # (D, n*w) later
        return step_product(d_product, kernel_t) if input_grad else None  # (B, D)
    w, dh = kernel_t.shape[0] // len(masks), None
    for k in range(len(masks)):
        outer.add(block(k, w), hm[k], d_product[:, block(k, w)])       # (D, w) later
    if not input_grad:
        return None
    if gate_kernels_t is not None:
        dh_gates = per_gate_product(side_by_side(d_product, len(masks)), gate_kernels_t,
                                    np.empty(hm.shape, d_product.dtype))  # (n, B, D) every d_k kernel_kᵀ
        dh_gates *= masks
        return dh_gates.sum(axis=0)                                    # (B, D)
    for k in range(len(masks)):
        dh_k = step_product(d_product[:, block(k, w)], kernel_t[block(k, w)])  # (B, D)
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
