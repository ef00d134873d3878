"""Affine image transforms in NumPy (what Keras does with ``scipy.ndimage.affine_transform``).

A transform is a 3x3 matrix ``M`` in pixel coordinates ``(row, col, 1)``. It is applied by
*inverse mapping*: output pixel ``o`` takes the input value at ``M @ o`` — so every output
pixel gets exactly one value and there are no holes. The input position is rarely a whole pixel:

* ``order=0`` takes the nearest pixel;
* ``order=1`` (bilinear) mixes the 4 surrounding pixels, weighted by closeness:
  ``(1-fr)(1-fc) x[r0,c0] + (1-fr) fc x[r0,c0+1] + fr (1-fc) x[r0+1,c0] + fr fc x[r0+1,c0+1]``.

Positions outside the image follow ``fill_mode``: ``'nearest'`` (repeat the edge, ``aaaa|abcd|dddd``),
``'reflect'`` (``dcba|abcd|dcba``), ``'wrap'`` (``abcd|abcd|abcd``) or ``'constant'`` (``cval``).
All images of a batch are transformed at once: ``(n, h, w, c)`` in, ``(n, h, w, c)`` out.

>>> import numpy as np
>>> image = np.arange(9.).reshape(1, 3, 3, 1)
>>> shift = np.array([[[1., 0, 0], [0, 1, 1], [0, 0, 1]]])   # take the pixel one column to the right
>>> transform_batch(image, shift)[0, :, :, 0].tolist()
[[1.0, 2.0, 2.0], [4.0, 5.0, 5.0], [7.0, 8.0, 8.0]]
"""
import numpy as np

#: ``fill_mode`` names.
FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def rotation_matrix(theta):
    """Rotation by ``theta`` degrees (3x3)."""
    t = np.deg2rad(theta)
    return np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])


def shift_matrix(tx, ty):
    """Translation by ``tx`` along the first axis and ``ty`` along the second (3x3)."""
    return np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=float)


def shear_matrix(shear):
    """Shear by ``shear`` degrees (3x3)."""
    s = np.deg2rad(shear)
    return np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])


def zoom_matrix(zx, zy):
    """Scaling of the sampling grid by ``zx``, ``zy`` (3x3): ``zx > 1`` zooms *out*, as in Keras."""
    return np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]], dtype=float)


def keras_matrix(theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, height=1, width=1):
    """Keras's composition ``rotation @ shift @ shear @ zoom``, about the image centre, in (row, col) order.

    Keras builds the matrix in ``(a, b)`` coordinates centred on ``(height / 2 + 0.5, width / 2 + 0.5)``
    and then swaps the two axes for channels-last images; this returns the swapped matrix, ready
    for :func:`transform_batch`. As in tf_keras, ``tx`` (drawn from ``height_shift_range``) therefore
    moves the image along its *columns* and ``ty`` along its rows (docs/differences.md).

    Args:
        theta: rotation in degrees.
        tx, ty: shifts in pixels.
        shear: shear angle in degrees.
        zx, zy: zoom factors.
        height, width: the image size (the transform is about its centre).

    Returns:
        np.ndarray ``(3, 3)``.
    """
    m = rotation_matrix(theta) @ shift_matrix(tx, ty) @ shear_matrix(shear) @ zoom_matrix(zx, zy)
    o_x, o_y = height / 2 + 0.5, width / 2 + 0.5
    m = shift_matrix(o_x, o_y) @ m @ shift_matrix(-o_x, -o_y)
    return m[[1, 0, 2]][:, [1, 0, 2]]                                  # swap the two axes


def _fold(index, size, fill_mode):
    """Integer positions (any) -> valid positions 0..size-1 following ``fill_mode`` ('constant': clipped)."""
    if fill_mode == "wrap":
        return np.mod(index, size)
    if fill_mode == "reflect":
        index = np.mod(index, 2 * size)
        return np.where(index >= size, 2 * size - 1 - index, index)
    return np.clip(index, 0, size - 1)


def transform_batch(x, matrices, fill_mode="nearest", cval=0.0, order=1):
    """Applies one (row, col) matrix per image by inverse mapping.

    Args:
        x: images ``(n, h, w, c)``.
        matrices: ``(n, 3, 3)`` (or ``(3, 3)`` for all): output ``(r, c)`` reads input ``M @ (r, c, 1)``.
        fill_mode: ``'nearest'``, ``'constant'``, ``'reflect'`` or ``'wrap'``.
        cval: the value outside the image for ``'constant'``.
        order: 0 (nearest pixel) or 1 (bilinear).

    Returns:
        np.ndarray ``(n, h, w, c)``: float32 for float32 or integer images, else float64.

    Raises:
        ValueError: for an unknown ``fill_mode`` or ``order``.
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {list(FILL_MODES)}, got {fill_mode!r}.")
    if order not in (0, 1):
        raise ValueError(f"interpolation_order must be 0 (nearest) or 1 (bilinear) in minikeras, got {order!r}.")
    x = np.asarray(x)
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)        # float32 stays float32 (faster)
    n, h, w, _ = x.shape
    m = np.broadcast_to(np.asarray(matrices, dtype=float), (n, 3, 3))
    rows, cols = np.meshgrid(np.arange(h, dtype=float), np.arange(w, dtype=float), indexing="ij")   # (h, w)
    src_r = m[:, 0, 0, None, None] * rows + m[:, 0, 1, None, None] * cols + m[:, 0, 2, None, None]  # (n, h, w)
    src_c = m[:, 1, 0, None, None] * rows + m[:, 1, 1, None, None] * cols + m[:, 1, 2, None, None]
    src_r, src_c = np.round(src_r, 9), np.round(src_c, 9)              # 2.9999999999 is pixel 3
    batch = np.arange(n)[:, None, None]                                 # (n, 1, 1)
    if order == 0:
        r0, c0 = np.floor(src_r + 0.5).astype(int), np.floor(src_c + 0.5).astype(int)
        out = x[batch, _fold(r0, h, fill_mode), _fold(c0, w, fill_mode)]  # (n, h, w, c)
    else:
        r0, c0 = np.floor(src_r).astype(int), np.floor(src_c).astype(int)
        fr, fc = (src_r - r0)[..., None].astype(x.dtype), (src_c - c0)[..., None].astype(x.dtype)  # (n, h, w, 1)
        ra, rb = _fold(r0, h, fill_mode), _fold(r0 + 1, h, fill_mode)
        ca, cb = _fold(c0, w, fill_mode), _fold(c0 + 1, w, fill_mode)
        out = ((1 - fr) * ((1 - fc) * x[batch, ra, ca] + fc * x[batch, ra, cb])
               + fr * ((1 - fc) * x[batch, rb, ca] + fc * x[batch, rb, cb]))
    if fill_mode == "constant":                                         # no interpolation beyond the edges
        outside = (src_r < 0) | (src_r > h - 1) | (src_c < 0) | (src_c > w - 1)
        out[outside] = cval
    return out


__all__ = ["rotation_matrix", "shift_matrix", "shear_matrix", "zoom_matrix", "keras_matrix", "transform_batch",
           "FILL_MODES"]
