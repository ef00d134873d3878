"""Images <-> arrays (Keras ``img_to_array``, ``array_to_img``, ``load_img``, ``save_img``).

Pillow reads and writes image files. It is an optional extra: the functions that need it import
it when called and say how to install it (``pip install pillow``) when it is missing;
:func:`img_to_array` works without it.

>>> import numpy as np
>>> img_to_array(np.zeros((2, 3))).shape   # a grey image gets its channel axis
(2, 3, 1)
"""
import os
import warnings

import numpy as np

from ..utils.io_utils import atomic_path

#: ``load_img``'s ``interpolation`` names -> Pillow's resampling filter names.
INTERPOLATIONS = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC", "hamming": "HAMMING",
                  "box": "BOX", "lanczos": "LANCZOS"}
#: ``color_mode`` -> Pillow image mode.
COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
DATA_FORMATS = ("channels_last", "channels_first")


def pil_image():
    """Returns ``PIL.Image``, or raises an ImportError naming the package to install."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("Reading and writing image files needs the package `pillow` (an optional extra of "
                          "minikeras): pip install pillow") from error
    return Image


def _data_format(data_format):
    data_format = data_format or "channels_last"
    if data_format not in DATA_FORMATS:
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return data_format


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image (or array) as a float32 array ``(h, w, c)`` (``(c, h, w)`` for channels_first).

    Args:
        img: a PIL image or an array ``(h, w)`` / ``(h, w, c)``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dtype: the output dtype (default float32).

    Returns:
        np.ndarray of rank 3.

    Raises:
        ValueError: for an image that is neither 2-D nor 3-D.
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or "float32")
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """An array ``(h, w, c)`` with 1, 3 or 4 channels as a PIL image (needs Pillow).

    Args:
        x: the image array.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        scale: stretch the values to 0..255 first (min -> 0, max -> 255).
        dtype: the working dtype (default float32).

    Returns:
        PIL.Image.Image: mode ``'L'`` (or ``'I'`` above 255), ``'RGB'`` or ``'RGBA'``.

    Raises:
        ImportError: without Pillow.
        ValueError: for an array that is not one 3-D image with 1, 3 or 4 channels.
    """
    image = pil_image()
    data_format = _data_format(data_format)
    x = np.array(x, dtype=dtype or "float32")
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        if np.max(x) != 0:
            x = x / np.max(x)
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGBA" if channels == 4 else "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def load_img(path, grayscale=False, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file as a PIL image (needs Pillow).

    Args:
        path: the file.
        grayscale: Keras 2's spelling of ``color_mode='grayscale'``.
        color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'``.
        target_size: ``(height, width)`` to resize to, or None.
        interpolation: ``'nearest'``, ``'bilinear'``, ``'bicubic'``, ``'hamming'``, ``'box'``, ``'lanczos'``.
        keep_aspect_ratio: crop the centre to the target's aspect ratio before resizing.

    Returns:
        PIL.Image.Image.

    Raises:
        ImportError: without Pillow.
        ValueError: for an unknown ``color_mode`` or ``interpolation``.
    """
    if grayscale:
        color_mode = "grayscale"
    if color_mode not in COLOR_MODES:
        raise ValueError(f'color_mode must be "grayscale", "rgb", or "rgba", got {color_mode!r}.')
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation method {interpolation!r}; supported: {sorted(INTERPOLATIONS)}.")
    image = pil_image()
    with open(os.fspath(path), "rb") as f:
        img = image.open(f)
        img.load()
    if img.mode != COLOR_MODES[color_mode]:
        img = img.convert(COLOR_MODES[color_mode])
    if target_size is not None:
        height, width = target_size
        if (img.size[0], img.size[1]) != (width, height):
            if keep_aspect_ratio:
                crop_w = min(img.size[0], img.size[1] * width // height)
                crop_h = min(img.size[1], img.size[0] * height // width)
                left, top = (img.size[0] - crop_w) // 2, (img.size[1] - crop_h) // 2
                img = img.crop((left, top, left + crop_w, top + crop_h))
            img = img.resize((width, height), getattr(image, INTERPOLATIONS[interpolation]))
    return img


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file, atomically (needs Pillow).

    Args:
        path: the file; its extension picks the format unless ``file_format`` is given.
        x: the image array ``(h, w, c)``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        file_format: e.g. ``'png'``, ``'jpeg'``.
        scale: stretch the values to 0..255 first.
        **kwargs: passed to Pillow's ``Image.save``.

    Raises:
        ImportError: without Pillow.
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    path = os.fspath(path)
    file_format = file_format or os.path.splitext(path)[1].lstrip(".") or "png"
    file_format = "jpeg" if file_format.lower() == "jpg" else file_format
    if img.mode == "RGBA" and file_format.lower() == "jpeg":
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.")
        img = img.convert("RGB")
    with atomic_path(path) as tmp:
        img.save(tmp, format=file_format, **kwargs)


__all__ = ["img_to_array", "array_to_img", "load_img", "save_img", "pil_image"]
