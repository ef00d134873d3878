"""The machinery under convolution and pooling: argument checks, output lengths, padding, im2col, col2im.

Every spatial layer here works on 2-D images ``(B, H, W, C)``; a 1-D layer views its
``(B, L, C)`` input as ``(B, 1, L, C)`` and its kernel ``(k, Cin, Cout)`` as ``(1, k, Cin, Cout)``.

* **im2col** (:func:`windows`): every window the kernel visits, as a *view* of the padded input
  with shape ``(B, Ho, Wo, kh, kw, C)`` — no copy until it is reshaped into the matrix
  ``(B*Ho*Wo, kh*kw*C)`` that one matrix product turns into the convolution.
* **col2im** (:func:`accumulate_windows`): the backward pass. Each window's gradient is added
  back onto the pixels it came from; windows overlap, so the sum loops over the ``kh*kw``
  kernel offsets (never over pixels or samples), each step adding one strided slab.
  :func:`conv_input_grad` fuses it with the product that makes the windows' gradients.
* the big work arrays (the im2col matrix, one offset's gradient) come from the layer's
  ``Workspace`` (``layers/workspace.py``), recycled from one training step to the next.

>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> windows(x, (2, 2), (2, 2), (1, 1)).shape
(1, 2, 2, 2, 2, 1)
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import backend


# --------------------------------------------------------------------------- arguments
def normalize_tuple(value, n, name, layer_class):
    """Returns ``value`` as a tuple of ``n`` positive ints (an int is repeated).

    Raises:
        ValueError: naming the layer class and the argument for anything else.
    """
    values = (value,) * n if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0
                                   for v in values):
        raise ValueError(f"{layer_class}: {name} must be a positive int or a tuple of {n} positive ints, "
                         f"got {value!r}.")
    return tuple(int(v) for v in values)


def normalize_padding(padding, layer_class, allowed=("valid", "same")):
    """Returns ``padding`` lower-cased, checked against ``allowed``.

    Raises:
        ValueError: for another value (``'causal'`` outside Conv1D gets Keras's own message).
    """
    value = padding.lower() if isinstance(padding, str) else padding
    if value == "causal" and "causal" not in allowed:
        raise ValueError(f"{layer_class}: causal padding is only supported for Conv1D; got padding='causal'.")
    if value not in allowed:
        raise ValueError(f"{layer_class}: padding must be one of {list(allowed)}, got {padding!r}.")
    return value


def normalize_data_format(data_format, layer_class):
    """Returns ``'channels_last'``; ``None`` means ``backend.image_data_format()``.

    Raises:
        ValueError: for ``'channels_first'`` (not supported) or an unknown value.
    """
    value = backend.image_data_format() if data_format is None else data_format
    if value == "channels_first":
        raise ValueError(f"{layer_class}: minikeras supports only data_format='channels_last' (inputs shaped "
                         f"(batch, ..., channels)); got data_format='channels_first'. Transpose your inputs, "
                         f"e.g. np.moveaxis(x, 1, -1), and drop the data_format argument.")
    if value != "channels_last":
        raise ValueError(f"{layer_class}: data_format must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return value


def check_rank(layer, input_shape, rank, needs):
    """Raises a ValueError naming ``layer`` if ``input_shape`` does not have ``rank`` axes (batch included)."""
    if len(input_shape) != rank:
        raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}) expects inputs of rank {rank}, shaped "
                         f"{needs}; got an input of shape {tuple(input_shape)}.")


# --------------------------------------------------------------------------- lengths and padding
def dilated_size(k, d):
    """The span of a kernel of size ``k`` with dilation ``d``: ``k + (k - 1)(d - 1)``."""
    return k + (k - 1) * (d - 1)


def output_length(n, k, padding, stride, dilation=1):
    """The output length along one axis (``None`` stays ``None``).

    valid: ``floor((n - k') / s) + 1``; same: ``ceil(n / s)``; causal: ``ceil(n / s)``, with
    ``k' = dilated_size(k, d)``.
    """
    if n is None:
        return None
    if padding == "valid":
        return (n - dilated_size(k, dilation)) // stride + 1
    return -(-n // stride)


def padding_amounts(n, k, padding, stride, dilation=1):
    """Returns ``(before, after)`` zeros to add along one axis.

    'same' pads ``total = max((out - 1)s + k' - n, 0)`` cells, ``total // 2`` before and the odd
    one after (TensorFlow's rule); 'causal' pads ``d(k - 1)`` before only.
    """
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return dilation * (k - 1), 0
    total = max((output_length(n, k, padding, stride) - 1) * stride + dilated_size(k, dilation) - n, 0)
    return total // 2, total - total // 2


def pad2d(x, pads, value=0.0):
    """Pads axes 1 and 2 of ``x`` (B, H, W, C) by ``pads = ((top, bottom), (left, right))``."""
    if not any(p for pair in pads for p in pair):
        return x
    return np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=value)   # (B, Hp, Wp, C)


def unpad2d(xp, pads):
    """Undoes :func:`pad2d`: keeps the un-padded middle of ``xp``."""
    (top, bottom), (left, right) = pads
    return xp[:, top:xp.shape[1] - bottom, left:xp.shape[2] - right, :]         # (B, H, W, C)


# --------------------------------------------------------------------------- im2col and col2im
def windows(xp, kernel_size, strides, dilation):
    """All windows a kernel visits, as a read-only strided view (im2col without copying).

    Args:
        xp: padded input ``(B, Hp, Wp, C)``.
        kernel_size, strides, dilation: pairs ``(h, w)``.

    Returns:
        View of shape ``(B, Ho, Wo, kh, kw, C)``: ``out[b, i, j, p, q] = xp[b, i*sh + p*dh, j*sw + q*dw]``.
    """
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, strides, dilation
    batch, hp, wp, channels = xp.shape
    ho = (hp - dilated_size(kh, dh)) // sh + 1
    wo = (wp - dilated_size(kw, dw)) // sw + 1
    if not isinstance(xp, np.ndarray):  # an autodiff tape tensor has no strides: stack the kh*kw offset slices
        cells = [xp[(slice(None),) + offset_slices(p, q, (ho, wo), strides, dilation)] for p, q in np.ndindex(kh, kw)]
        return np.stack(cells, axis=3).reshape(batch, ho, wo, kh, kw, channels)  # (B, Ho, Wo, kh, kw, C), a copy
    b_, h_, w_, c_ = xp.strides
    return as_strided(xp, shape=(batch, ho, wo, kh, kw, channels),
                      strides=(b_, h_ * sh, w_ * sw, h_ * dh, w_ * dw, c_), writeable=False)


def accumulate_windows(dwin, padded_shape, strides, dilation):
    """col2im: adds each window's gradient back onto the input cells it was read from.

    Args:
        dwin: ``(B, Ho, Wo, kh, kw, C)``, the gradient of every window of :func:`windows`.
        padded_shape: ``(B, Hp, Wp, C)``, the shape of the padded input.
        strides, dilation: the pairs used by :func:`windows`.

    Returns:
        ``(B, Hp, Wp, C)`` array: the sum over all windows. The loop runs over the ``kh * kw``
        kernel offsets; offset ``(p, q)`` touches the cells ``(i*sh + p*dh, j*sw + q*dw)``.
    """
    _, ho, wo, kh, kw, _ = dwin.shape
    if not isinstance(dwin, np.ndarray):  # an autodiff tape tensor cannot take +=: a sum of padded copies
        return sum(_placed(dwin[:, :, :, p, q, :], offset_slices(p, q, (ho, wo), strides, dilation), padded_shape)
                   for p, q in np.ndindex(kh, kw))
    dxp = np.zeros(padded_shape, dtype=dwin.dtype)                               # (B, Hp, Wp, C)
    for p, q in np.ndindex(kh, kw):
        rows, cols = offset_slices(p, q, (ho, wo), strides, dilation)
        dxp[:, rows, cols, :] += dwin[:, :, :, p, q, :]                          # (B, Ho, Wo, C)
    return dxp


def conv_input_grad(dz2, kernel, padded_shape, out_size, strides, dilation, workspace):
    """col2im fused with its matrix product: ``dL/dxp`` of a convolution from ``dL/dz``.

    The textbook route is one product ``dcols = dz2 @ kernel.reshape(-1, Cout).T``
    ``(B*Ho*Wo, kh*kw*Cin)`` and then :func:`accumulate_windows`. Column block ``(p, q)`` of
    ``dcols`` is ``dz2 @ kernel[p, q].T``, so this computes one block at a time, each into the
    same ``(B*Ho*Wo, Cin)`` buffer, and adds it onto the cells offset ``(p, q)`` read. The
    products total the same FLOPs; the adds now read a contiguous block instead of every
    ``kh*kw``-th slice of a huge matrix (NumPy adds runs of ``Wo*Cin`` floats, not of ``Cin``),
    and the buffer is small enough to stay in cache.

    Args:
        dz2: ``(B*Ho*Wo, Cout)``, the gradient of the output before the activation.
        kernel: ``(kh, kw, Cin, Cout)``.
        padded_shape: ``(B, Hp, Wp, Cin)``, the shape of the padded input.
        out_size: ``(Ho, Wo)``.
        strides, dilation: pairs, as for :func:`windows`.
        workspace: a ``Workspace`` (``layers/workspace.py``) lending the buffer.

    Returns:
        ``(B, Hp, Wp, Cin)`` array, ``dL/dxp``.
    """
    kh, kw, cin, _ = kernel.shape
    batch = padded_shape[0]
    dtype = np.result_type(dz2, kernel)
    dxp = np.zeros(padded_shape, dtype)                                          # (B, Hp, Wp, Cin)
    block = workspace.take("dcols_block", (dz2.shape[0], cin), dtype)            # (B*Ho*Wo, Cin)
    for p, q in np.ndindex(kh, kw):
        np.matmul(dz2, kernel[p, q].T, out=block)                                # (B*Ho*Wo, Cout) @ (Cout, Cin)
        rows, cols = offset_slices(p, q, out_size, strides, dilation)
        dxp[:, rows, cols, :] += block.reshape((batch,) + tuple(out_size) + (cin,))  # (B, Ho, Wo, Cin)
    workspace.give("dcols_block", block)
    return dxp


def im2col(win, workspace=None):
    """Copies the windows ``(B, Ho, Wo, kh, kw, C)`` into the matrix ``(B*Ho*Wo, kh*kw*C)``.

    With a ``workspace``, the copy goes into its spare ``'cols'`` matrix when it fits (give it
    back once done with it). A tape tensor (autodiff) is reshaped as recorded.
    """
    rows = int(np.prod(win.shape[:3]))
    if workspace is None or not isinstance(win, np.ndarray):
        return win.reshape(rows, -1)                                             # (B*Ho*Wo, kh*kw*C)
    cols = workspace.take("cols", (rows, int(np.prod(win.shape[3:]))), win.dtype)
    np.copyto(cols.reshape(win.shape), win)                                      # (B*Ho*Wo, kh*kw*C)
    return cols


def _placed(cell, slices, padded_shape):
    """``cell`` (B, Ho, Wo, C) put at ``xp[:, rows, cols]`` of a zero ``padded_shape`` array, with
    recorded ops only (stack with zeros, reshape, pad): :func:`accumulate_windows` on the tape."""
    for axis, cut in ((1, slices[0]), (2, slices[1])):
        n = cell.shape[axis]
        if cut.step > 1:   # spread: step - 1 zeros after each row (column), the last ones dropped
            zeros = np.zeros(cell.shape, cell.dtype)
            cell = np.stack([cell] + [zeros] * (cut.step - 1), axis=axis + 1)
            shape = list(cell.shape[:axis]) + [n * cut.step] + list(cell.shape[axis + 2:])
            cell = cell.reshape(shape)[(slice(None),) * axis + (slice(0, (n - 1) * cut.step + 1),)]
        widths = [(0, 0)] * 4
        widths[axis] = (cut.start, padded_shape[axis] - cut.start - cell.shape[axis])
        cell = np.pad(cell, widths)
    return cell


def offset_slices(p, q, out_size, strides, dilation):
    """The cells kernel offset ``(p, q)`` reads for all ``Ho x Wo`` outputs: a (rows, cols) pair of slices.

    ``xp[:, rows, cols]`` equals ``windows(xp, ...)[:, :, :, p, q]``: rows ``i*sh + p*dh`` for ``i < Ho``.
    """
    (ho, wo), (sh, sw), (dh, dw) = out_size, strides, dilation
    return (slice(p * dh, p * dh + (ho - 1) * sh + 1, sh),                       # Ho rows
            slice(q * dw, q * dw + (wo - 1) * sw + 1, sw))                       # Wo columns
