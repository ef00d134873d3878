"""Image augmentation (Keras ``keras.preprocessing.image``): ``ImageDataGenerator`` and image files.

``ImageDataGenerator`` makes a training set look bigger: every time an image is served it is
randomly rotated, shifted, sheared, zoomed, flipped (inside the ranges you give), then
standardized (rescaled, centred, normalized). ``flow(x, y)`` serves the batches as a
:class:`~minikeras.utils.Sequence` that ``model.fit`` accepts. The geometric part is one affine
matrix per image, applied to the whole batch at once (:mod:`minikeras.preprocessing.affine`).

>>> import numpy as np
>>> datagen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)
>>> batches = datagen.flow(np.zeros((10, 8, 8, 1)), np.arange(10), batch_size=4, seed=0)
>>> len(batches), batches[0][0].shape
(3, (4, 8, 8, 1))
"""
import warnings

import numpy as np

from .affine import FILL_MODES, keras_matrix, transform_batch
from .image_io import array_to_img, img_to_array, load_img, save_img
from .image_functions import (apply_affine_transform, apply_channel_shift, flip_axis, random_channel_shift,
                              random_rotation, random_shear, random_shift, random_zoom)
from .image_directory import DirectoryIterator
from .image_iterator import NumpyArrayIterator
from .image_standardize import Standardization


def _range(value, name):
    """A shift range as Keras reads it: a float (fraction if < 1, else pixels), an int or a list (pixel counts)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return np.asarray(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if not isinstance(value, (float, np.floating)):
        raise ValueError(f"`{name}` should be a float, an int or a list of ints. Received: {value!r}")
    return float(value)


def _implied_flags(zca, center, std_normalization, samplewise_std, samplewise_center):
    """Keras's overrides: ZCA and std normalization need centring; ZCA replaces std normalization."""
    def override(what, by):
        warnings.warn(f"This ImageDataGenerator specifies `{by}`, which overrides setting of `{what}`.")
    if zca and not center:
        center = True
        override("featurewise_center", "zca_whitening")
    if zca and std_normalization:
        std_normalization = False
        override("featurewise_std_normalization", "zca_whitening")
    if std_normalization and not center:
        center = True
        override("featurewise_center", "featurewise_std_normalization")
    if samplewise_std and not samplewise_center:
        samplewise_center = True
        override("samplewise_center", "samplewise_std_normalization")
    return center, std_normalization, samplewise_center


class ImageDataGenerator(Standardization):
    """Random image transforms and standardization, served in batches by :meth:`flow`.

    Args:
        featurewise_center: subtract the per-channel mean of the data given to :meth:`fit`.
        samplewise_center: subtract each image's mean.
        featurewise_std_normalization: divide by the per-channel std of the data given to :meth:`fit`.
        samplewise_std_normalization: divide each image by its std.
        zca_whitening: ZCA-whiten with the data given to :meth:`fit`.
        zca_epsilon: added to the eigenvalues in ZCA whitening.
        rotation_range: rotations up to this many degrees.
        width_shift_range, height_shift_range: float < 1: a fraction of the size; >= 1: pixels;
            a list: pixel counts to choose from.
        brightness_range: ``(low, high)`` factors multiplying the pixel values (clipped to 0..255).
        shear_range: shear angles up to this many degrees.
        zoom_range: ``[1 - z, 1 + z]`` for a float ``z``, or ``[low, high]``.
        channel_shift_range: add up to this much to every channel.
        fill_mode: ``'nearest'``, ``'constant'``, ``'reflect'`` or ``'wrap'``.
        cval: the fill value for ``'constant'``.
        horizontal_flip, vertical_flip: flip half of the images.
        rescale: multiply every pixel by this (e.g. ``1 / 255``), before the other steps.
        preprocessing_function: a function of one image ``(h, w, c)``, applied after the transforms.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        validation_split: the fraction of images set aside for ``flow(..., subset='validation')``.
        interpolation_order: 0 (nearest pixel) or 1 (bilinear, default).
        dtype: dtype of the batches (default float32).

    Raises:
        ValueError: for a bad ``data_format``, ``zoom_range``, ``brightness_range``, ``fill_mode``,
            ``validation_split`` or ``interpolation_order``.
    """

    def __init__(self, featurewise_center=False, samplewise_center=False, featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(f'`data_format` should be `"channels_last"` (channel after row and column) or '
                             f'`"channels_first"` (channel before row and column). Received: {data_format}')
        if isinstance(zoom_range, (int, float)):
            zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif not (isinstance(zoom_range, (list, tuple)) and len(zoom_range) == 2):
            raise ValueError(f"`zoom_range` should be a float or a tuple or list of two floats. "
                             f"Received: {zoom_range}")
        if brightness_range is not None and not (isinstance(brightness_range, (list, tuple))
                                                 and len(brightness_range) == 2):
            raise ValueError(f"`brightness_range should be tuple or list of two floats. Received: {brightness_range}")
        if not 0 <= validation_split < 1:
            raise ValueError(f"`validation_split` must be strictly between 0 and 1.  Received: {validation_split}")
        if fill_mode not in FILL_MODES:
            raise ValueError(f"fill_mode must be one of {list(FILL_MODES)}, got {fill_mode!r}.")
        if interpolation_order not in (0, 1):
            raise ValueError(f"minikeras supports interpolation_order 0 (nearest) and 1 (bilinear), got "
                             f"{interpolation_order!r}.")
        featurewise_center, featurewise_std_normalization, samplewise_center = _implied_flags(
            zca_whitening, featurewise_center, featurewise_std_normalization, samplewise_std_normalization,
            samplewise_center)
        self.featurewise_center, self.samplewise_center = featurewise_center, samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range, self.shear_range, self.zoom_range = rotation_range, shear_range, list(zoom_range)
        self.width_shift_range = _range(width_shift_range, "width_shift_range")
        self.height_shift_range = _range(height_shift_range, "height_shift_range")
        self.brightness_range, self.channel_shift_range = brightness_range, channel_shift_range
        self.fill_mode, self.cval, self.interpolation_order = fill_mode, cval, interpolation_order
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.data_format, self.validation_split, self.dtype = data_format, validation_split, dtype or "float32"
        self.mean = self.std = self.principal_components = None

    # ------------------------------------------------------------------ random transforms
    @staticmethod
    def _shift(value, size, rng):
        """One shift in pixels; an int ``k`` or a list is a choice of pixel counts (int ``k``: 0..k-1), signed."""
        if (value.size == 0) if isinstance(value, np.ndarray) else not value:
            return 0
        if isinstance(value, (np.ndarray, int)):
            shift = rng.choice(value) * rng.choice([-1, 1])
        else:
            shift = rng.uniform(-value, value)
        return shift * size if np.max(value) < 1 else shift

    def draw_transform(self, img_shape, rng):
        """Draws one image's transform parameters from ``rng`` (Keras's draw order).

        Args:
            img_shape: ``(h, w, c)`` of the image (channels last).
            rng: ``np.random`` or a ``np.random.RandomState``.

        Returns:
            dict with ``theta, tx, ty, shear, zx, zy, flip_horizontal, flip_vertical,
            channel_shift_intensity, brightness``.
        """
        theta = rng.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = self._shift(self.height_shift_range, img_shape[0], rng)
        ty = self._shift(self.width_shift_range, img_shape[1], rng)
        shear = rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        zx, zy = (1, 1) if self.zoom_range == [1, 1] else rng.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_h = (rng.random_sample() < 0.5) * self.horizontal_flip
        flip_v = (rng.random_sample() < 0.5) * self.vertical_flip
        shift = rng.uniform(-self.channel_shift_range, self.channel_shift_range) if self.channel_shift_range else None
        brightness = None if self.brightness_range is None else rng.uniform(*self.brightness_range)
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy, "flip_horizontal": flip_h,
                "flip_vertical": flip_v, "channel_shift_intensity": shift, "brightness": brightness}

    def get_random_transform(self, img_shape, seed=None):
        """Random transform parameters for one image (from NumPy's global generator, as Keras).

        Args:
            img_shape: the image's shape (in this generator's ``data_format``).
            seed: if given, ``np.random.seed(seed)`` first (as Keras).

        Returns:
            dict: see :meth:`draw_transform`.
        """
        if seed is not None:
            np.random.seed(seed)
        shape = img_shape[1:] + img_shape[:1] if self.data_format == "channels_first" else img_shape
        return self.draw_transform(tuple(shape), np.random)

    def apply_transform_batch(self, x, params):
        """Applies one parameter dict per image to a batch ``(n, h, w, c)`` (channels last).

        Args:
            x: images ``(n, h, w, c)``.
            params: list of ``n`` dicts from :meth:`draw_transform`.

        Returns:
            np.ndarray ``(n, h, w, c)``: float32 for float32 or integer images, else float64.
        """
        x = np.array(x)
        x = x.astype(np.result_type(x.dtype, np.float32), copy=False)
        n, h, w, _ = x.shape
        keys = ("theta", "tx", "ty", "shear", "zx", "zy")
        moved = [i for i, p in enumerate(params) if any(p.get(k, d) != d for k, d in zip(keys, (0, 0, 0, 0, 1, 1)))]
        if moved:
            matrices = np.stack([keras_matrix(*(params[i].get(k, d) for k, d in zip(keys, (0, 0, 0, 0, 1, 1))),
                                              height=h, width=w) for i in moved])          # (m, 3, 3)
            x[moved] = transform_batch(x[moved], matrices, self.fill_mode, self.cval, self.interpolation_order)
        for i, p in enumerate(params):
            if p.get("channel_shift_intensity") is not None:                   # clipped to the image's range
                x[i] = np.clip(x[i] + p["channel_shift_intensity"], x[i].min(), x[i].max())
            if p.get("flip_horizontal"):
                x[i] = x[i, :, ::-1]
            if p.get("flip_vertical"):
                x[i] = x[i, ::-1]
            if p.get("brightness") is not None:
                x[i] = np.clip(x[i] * p["brightness"], 0, 255)
        return x

    def apply_transform(self, x, transform_parameters):
        """Applies the parameters of :meth:`get_random_transform` to one image.

        Args:
            x: one image (in this generator's ``data_format``).
            transform_parameters: dict; missing keys mean no change.

        Returns:
            np.ndarray of the same shape.
        """
        batch = np.asarray(x, dtype=float)[None]
        if self.data_format == "channels_first":
            return self.apply_transform_batch(batch.transpose(0, 2, 3, 1), [transform_parameters])[0].transpose(2, 0, 1)
        return self.apply_transform_batch(batch, [transform_parameters])[0]

    def random_transform(self, x, seed=None):
        """One image, randomly transformed.

        Args:
            x: one image (in this generator's ``data_format``).
            seed: if given, ``np.random.seed(seed)`` first.

        Returns:
            np.ndarray of the same shape.
        """
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, save_to_dir=None,
             save_prefix="", save_format="png", subset=None):
        """Serves ``x`` (and ``y``) in transformed, standardized batches.

        Args:
            x: images ``(n, h, w, c)``, or ``(images, misc)`` / ``(images, [misc1, ...])``: arrays
                served with the images, untransformed (a batch's x is then ``[images, misc1, ...]``).
            y: labels, or None (then batches are images only).
            batch_size: images per batch.
            shuffle: a new order every epoch.
            sample_weight: per-image weights (batches become ``(x, y, w)``).
            seed: seed of the order and the transforms.
            save_to_dir: also save every served image there (needs Pillow).
            save_prefix, save_format: names and format of saved images.
            subset: ``'training'`` or ``'validation'`` (with ``validation_split``).

        Returns:
            NumpyArrayIterator: a ``keras.utils.Sequence`` (``fit`` accepts it) and an endless iterator.
        """
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
                                  seed=seed, data_format=self.data_format, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format, subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """Serves the images of ``directory``'s class sub-folders in transformed batches (needs Pillow).

        Args:
            directory: the folder with one sub-folder per class (see :mod:`.image_directory`).
            target_size: ``(height, width)`` every image is resized to.
            color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'``.
            classes: class folder names (default: every sub-folder, in alphabetical order).
            class_mode: ``'categorical'``, ``'binary'``, ``'sparse'``, ``'input'`` or None.
            batch_size: images per batch.
            shuffle: a new order every epoch.
            seed: seed of the order and the transforms.
            save_to_dir, save_prefix, save_format: also save every served image (as ``flow``).
            follow_links: follow symbolic links to folders.
            subset: ``'training'`` or ``'validation'`` (with ``validation_split``).
            interpolation: how images are resized (see ``load_img``).
            keep_aspect_ratio: must be False (minikeras has no aspect-ratio crop here).

        Returns:
            DirectoryIterator: a ``keras.utils.Sequence`` (``fit`` accepts it) and an endless iterator,
            with ``class_indices``, ``classes``, ``filenames`` and ``samples``.

        Raises:
            ValueError: for an unknown ``color_mode``, ``class_mode`` or ``subset``, or keep_aspect_ratio=True.
        """
        if keep_aspect_ratio:
            raise ValueError("minikeras has no keep_aspect_ratio in flow_from_directory; leave it False.")
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
                                 class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 data_format=self.data_format, save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links, subset=subset,
                                 interpolation=interpolation, dtype=self.dtype)


__all__ = ["ImageDataGenerator", "NumpyArrayIterator", "DirectoryIterator", "array_to_img", "img_to_array", "load_img", "save_img",
           "apply_affine_transform", "apply_channel_shift", "flip_axis", "random_channel_shift", "random_rotation",
           "random_shear", "random_shift", "random_zoom"]
