"""``NumpyArrayIterator``: the batches of ``ImageDataGenerator.flow(x, y)``, as a ``keras.utils.Sequence``.

Each batch takes ``batch_size`` images (in a new random order every epoch when ``shuffle``),
draws one random transform per image, applies them all at once and standardizes the result.

Randomness: with ``seed=None`` everything comes from NumPy's global generator, as in Keras
(``np.random.seed`` or ``minikeras.utils.set_random_seed`` make it repeatable). With a ``seed``,
the iterator uses its own generators: the order of epoch ``e`` comes from ``(seed, e)`` and the
transforms of batch ``i`` from ``(seed, e, i)``, so batch ``i`` is the same whenever it is asked for.
"""
import os

import numpy as np

from ..utils.data_utils import Sequence


class NumpyArrayIterator(Sequence):
    """Yields ``x_batch`` or ``(x_batch, y_batch[, sample_weight])`` from arrays, transformed.

    Args:
        x: images ``(n, h, w, c)`` (channels_last) or ``(n, c, h, w)``; or ``(images, misc)`` /
            ``(images, [misc1, ...])``: arrays served beside the images, untransformed (see :func:`split_misc`).
        y: labels (``len(y) == n``) or None.
        image_data_generator: the :class:`~minikeras.preprocessing.image.ImageDataGenerator`.
        batch_size: images per batch.
        shuffle: a new order every epoch.
        sample_weight: per-image weights, or None.
        seed: seed of the order and the transforms (see the module docstring).
        data_format: ``'channels_last'`` or ``'channels_first'`` (default: the generator's).
        save_to_dir: folder where each transformed image is also saved (needs Pillow), or None.
        save_prefix, save_format: file name prefix and format of saved images.
        subset: ``'training'`` or ``'validation'`` with the generator's ``validation_split``.
        dtype: dtype of the image batches (default float32).

    Raises:
        ValueError: for images that are not 4-D, or ``x``/``y``/``sample_weight`` of different lengths.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png", subset=None, dtype=None):
        x, x_misc = split_misc(x)
        x = np.asarray(x, dtype=dtype or "float32")
        if x.ndim != 4:
            raise ValueError(f"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with "
                             f"shape {x.shape}")
        for misc in x_misc:
            if len(misc) != len(x):
                raise ValueError(f"All of the arrays in `x` should have the same length. Found a pair with: "
                                 f"len(x[0]) = {len(x)}, len(x[?]) = {len(misc)}")
        for name, other in (("y", y), ("sample_weight", sample_weight)):
            if other is not None and len(other) != len(x):
                label = "`y` (labels)" if name == "y" else f"`{name}`"
                raise ValueError(f"`x` (images tensor) and {label} should have the same length. Found: "
                                 f"x.shape = {x.shape}, {name}.shape = {np.asarray(other).shape}")
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}.")
        if subset not in (None, "training", "validation"):
            raise ValueError(f"Invalid subset name: {subset!r}; expected 'training' or 'validation'.")
        y = None if y is None else np.asarray(y)
        sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        if subset is not None:
            split = int(len(x) * image_data_generator.validation_split)
            part = slice(None, split) if subset == "validation" else slice(split, None)
            x, y = x[part], (None if y is None else y[part])
            sample_weight = None if sample_weight is None else sample_weight[part]
            x_misc = [m[part] for m in x_misc]
        self.x, self.y, self.sample_weight, self.x_misc = x, y, sample_weight, x_misc
        self.image_data_generator = image_data_generator
        self.data_format = data_format or image_data_generator.data_format
        self.n, self.batch_size, self.shuffle, self.seed = len(x), int(batch_size), shuffle, seed
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.epoch, self.batch_index, self.total_batches_seen, self.index_array = 0, 0, 0, None

    def _random(self, *key):
        """NumPy's global generator without a seed; otherwise a generator for ``(seed,) + key``."""
        return np.random if self.seed is None else np.random.RandomState([self.seed, *key])

    def _set_index_array(self):
        order = np.arange(self.n)
        self.index_array = self._random(self.epoch).permutation(self.n) if self.shuffle else order

    def __len__(self):
        """Batches per epoch: ``ceil(n / batch_size)``."""
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        """Returns batch ``index`` of the current epoch.

        Raises:
            ValueError: for an index beyond ``len(self) - 1``.
        """
        if not 0 <= index < len(self):
            raise ValueError(f"Asked to retrieve element {index}, but the Sequence has length {len(self)}")
        if self.index_array is None:
            self._set_index_array()
        self.total_batches_seen += 1
        chosen = self.index_array[self.batch_size * index:self.batch_size * (index + 1)]
        return self._batch(chosen, self._random(self.epoch, index))

    def on_epoch_end(self):
        """Starts a new epoch: a new order when ``shuffle``."""
        self.epoch += 1
        self._set_index_array()

    def reset(self):
        """Makes ``next()`` start again at the first batch of the current epoch."""
        self.batch_index = 0

    def __iter__(self):
        """Batches without end, starting a new epoch after the last batch (as Keras's iterator).

        ``for x_batch, y_batch in datagen.flow(...)`` therefore loops forever: break yourself.
        """
        while True:
            yield self.next()

    def next(self):
        """Returns the next batch (Keras's ``iterator.next()``); after an epoch's last batch, a new epoch starts.

        Raises:
            ValueError: when there are no images.
        """
        if self.n == 0:
            raise ValueError("The iterator has no images (n = 0).")
        batch = self[self.batch_index]
        self.batch_index += 1
        if self.batch_index == len(self):
            self.batch_index = 0
            self.on_epoch_end()
        return batch

    __next__ = next   # ``next(datagen.flow(x, y))`` works, as on Keras's iterator

    def _batch(self, chosen, rng):
        """The transformed images of ``chosen`` (plus their labels and weights)."""
        x = self.transformed(self.x[chosen], chosen, rng)                    # (batch, h, w, c)
        if self.x_misc:                                                      # [images, misc1, ...], untransformed
            x = [x] + [m[chosen] for m in self.x_misc]
        if self.y is None:
            return x
        if self.sample_weight is None:
            return x, self.y[chosen]
        return x, self.y[chosen], self.sample_weight[chosen]

    def transformed(self, x, chosen, rng):
        """Draws and applies one random transform per image of ``x``, standardizes, saves if asked.

        Args:
            x: the batch's images (a copy: it is changed).
            chosen: their sample indices (for the saved file names).
            rng: the batch's random generator.
        """
        generator = self.image_data_generator
        dtype = x.dtype
        if self.data_format == "channels_first":
            x = x.transpose(0, 2, 3, 1)
        params = [generator.draw_transform(x.shape[1:], rng) for _ in range(len(x))]
        x = generator.apply_transform_batch(x, params)
        if self.data_format == "channels_first":
            x = x.transpose(0, 3, 1, 2)
        x = generator.standardize_batch(x).astype(dtype)
        if self.save_to_dir:
            self._save(x, chosen, rng)
        return x

    def _save(self, x, chosen, rng):
        from .image_io import save_img  # Pillow is needed only when saving
        for image, index in zip(x, chosen):
            name = f"{self.save_prefix}_{index}_{rng.randint(int(1e7))}.{self.save_format}"
            save_img(os.path.join(self.save_to_dir, name), image, data_format=self.data_format)


def split_misc(x):
    """``x`` or ``(images, misc)`` / ``(images, [misc1, misc2])`` -> ``(images, [misc arrays])``.

    The miscellaneous arrays (one row per image) travel with the images, untransformed: each batch is
    then ``[image batch, misc1 batch, ...]`` (Keras's ``flow((images, x_misc), y)``).

    >>> images, misc = split_misc((np.zeros((2, 1, 1, 1)), [np.ones(2), np.arange(2)]))
    >>> images.shape, [m.tolist() for m in misc]
    ((2, 1, 1, 1), [[1.0, 1.0], [0, 1]])
    """
    if not isinstance(x, (tuple, list)):
        return x, []
    if len(x) != 2:
        raise ValueError(f"flow(x=...) as a tuple or list must be (images, misc) or (images, [misc1, ...]): "
                         f"got {len(x)} elements.")
    images, misc = x
    return images, [np.asarray(m) for m in (misc if isinstance(misc, list) else [misc])]


__all__ = ["NumpyArrayIterator"]
