"""Keras's one-image transform functions (``keras.preprocessing.image.random_rotation`` and friends).

Each works on one image whose axes are given by ``row_axis``, ``col_axis`` and ``channel_axis``
(Keras's defaults 1, 2, 0 mean channels *first*), draws its parameter from NumPy's global
generator as Keras does, and applies it with :func:`apply_affine_transform`.

>>> import numpy as np
>>> image = np.zeros((1, 3, 3)); image[0, 1, 0] = 1
>>> flip_axis(image, 2)[0].tolist()
[[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
"""
import numpy as np

from .affine import keras_matrix, transform_batch


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2, channel_axis=0,
                           fill_mode="nearest", cval=0.0, order=1):
    """Rotates, shifts, shears and zooms one image, as Keras (see :func:`~minikeras.preprocessing.affine.keras_matrix`).

    Args:
        x: one image (3-D).
        theta: rotation in degrees.
        tx, ty: shifts in pixels.
        shear: shear angle in degrees.
        zx, zy: zoom factors (> 1 zooms out).
        row_axis, col_axis, channel_axis: the image's axes (a permutation of 0, 1, 2).
        fill_mode: ``'nearest'``, ``'constant'``, ``'reflect'`` or ``'wrap'``.
        cval: the fill value for ``'constant'``.
        order: 0 (nearest pixel) or 1 (bilinear).

    Returns:
        np.ndarray of the same shape (float).

    Raises:
        ValueError: unless ``x`` is 3-D with distinct axes 0, 1, 2.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError("Input arrays must be multi-channel 2D images.")
    if sorted((row_axis, col_axis, channel_axis)) != [0, 1, 2]:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct and in 0, 1, 2.")
    if (theta, tx, ty, shear, zx, zy) == (0, 0, 0, 0, 1, 1):
        return x
    image = np.transpose(x, (row_axis, col_axis, channel_axis))[None]     # (1, rows, cols, channels)
    m = keras_matrix(theta, tx, ty, shear, zx, zy, height=x.shape[row_axis], width=x.shape[col_axis])
    out = transform_batch(image, m, fill_mode, cval, order)[0]
    return np.transpose(out, np.argsort((row_axis, col_axis, channel_axis)))


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """Rotates by an angle drawn uniformly from ``[-rg, rg]`` degrees.

    Args:
        x: one image.
        rg: the largest rotation in degrees.
        row_axis, col_axis, channel_axis, fill_mode, cval: as in :func:`apply_affine_transform`.
        interpolation_order: 0 or 1.

    Returns:
        np.ndarray.
    """
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shifts by fractions of the size drawn from ``[-hrg, hrg]`` (height) and ``[-wrg, wrg]`` (width).

    Args:
        x: one image.
        wrg, hrg: the largest shifts as fractions of the width and height.
        row_axis, col_axis, channel_axis, fill_mode, cval: as in :func:`apply_affine_transform`.
        interpolation_order: 0 or 1.

    Returns:
        np.ndarray.
    """
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx, ty = np.random.uniform(-hrg, hrg) * h, np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shears by an angle drawn from ``[-intensity, intensity]`` degrees.

    Args:
        x: one image.
        intensity: the largest shear angle in degrees.
        row_axis, col_axis, channel_axis, fill_mode, cval: as in :func:`apply_affine_transform`.
        interpolation_order: 0 or 1.

    Returns:
        np.ndarray.
    """
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                interpolation_order=1):
    """Zooms by factors ``zx, zy`` drawn from ``zoom_range``.

    Args:
        x: one image.
        zoom_range: ``(low, high)``.
        row_axis, col_axis, channel_axis, fill_mode, cval: as in :func:`apply_affine_transform`.
        interpolation_order: 0 or 1.

    Returns:
        np.ndarray.

    Raises:
        ValueError: unless ``zoom_range`` has two values.
    """
    if len(zoom_range) != 2:
        raise ValueError(f"`zoom_range` should be a tuple or list of two floats. Received: {zoom_range}")
    zx, zy = (1, 1) if tuple(zoom_range) == (1, 1) else np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def flip_axis(x, axis):
    """``x`` reversed along ``axis``.

    Args:
        x: an array.
        axis: the axis to reverse.

    Returns:
        np.ndarray.
    """
    return np.flip(np.asarray(x), axis).copy()


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds ``intensity`` to every channel, clipped to the image's own range.

    Args:
        x: one image.
        intensity: the value added.
        channel_axis: the channel axis (unused: the shift is the same for all channels, as Keras).

    Returns:
        np.ndarray.
    """
    x = np.asarray(x, dtype=float)
    return np.clip(x + intensity, x.min(), x.max())


def random_channel_shift(x, intensity_range, channel_axis=0):
    """:func:`apply_channel_shift` by a value drawn from ``[-intensity_range, intensity_range]``.

    Args:
        x: one image.
        intensity_range: the largest shift.
        channel_axis: the channel axis.

    Returns:
        np.ndarray.
    """
    return apply_channel_shift(x, np.random.uniform(-intensity_range, intensity_range), channel_axis)


__all__ = ["apply_affine_transform", "random_rotation", "random_shift", "random_shear", "random_zoom", "flip_axis",
           "apply_channel_shift", "random_channel_shift"]
