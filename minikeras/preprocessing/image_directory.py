"""``DirectoryIterator``: the batches of ``ImageDataGenerator.flow_from_directory``, one class per sub-folder.

The layout Keras expects::

    directory/
        cats/    cat001.jpg  cat002.png  more/cat003.jpg ...
        dogs/    dog001.jpg ...

Each sub-folder is a class (``class_indices``: folder name -> index, in alphabetical order);
images are found recursively in it (``png``, ``jpg``, ``jpeg``, ``bmp``, ``ppm``, ``tif``,
``tiff``), in sorted order, and read from disk one batch at a time (Pillow needed). With the
generator's ``validation_split``, ``subset='validation'`` takes the first ``split`` fraction of
every class's files and ``subset='training'`` the rest, as Keras does.

Ordering, shuffling, seeding and the random transforms are :class:`NumpyArrayIterator`'s.
"""
import os

import numpy as np

from .. import backend
from .image_io import img_to_array, load_img
from .image_iterator import NumpyArrayIterator

#: File name endings Keras reads (lower-cased).
WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")
#: ``class_mode`` values and what a batch holds besides the images.
CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
#: ``color_mode`` -> channels.
CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def list_class_files(directory, classes, follow_links=False, split=None):
    """Returns ``(relative file names, class indices, class_indices)`` for every image under the class folders.

    Args:
        directory: the folder holding one sub-folder per class.
        classes: the class folder names, or None (every sub-folder, sorted).
        follow_links: follow symbolic links to folders.
        split: None, or ``(start, stop)`` fractions of every class's files to keep.

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> for name in ('b/x.png', 'a/deep/y.jpg', 'a/z.txt'):
    ...     os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
    ...     open(os.path.join(root, name), 'w').close()
    >>> list_class_files(root, None)
    (['a/deep/y.jpg', 'b/x.png'], [0, 1], {'a': 0, 'b': 1})
    """
    if classes is None:
        classes = sorted(name for name in os.listdir(directory) if os.path.isdir(os.path.join(directory, name)))
    class_indices = {name: i for i, name in enumerate(classes)}
    filenames, labels = [], []
    for name in classes:
        folder = os.path.join(directory, name)
        found = [os.path.relpath(os.path.join(root, fname), directory)
                 for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda walk: walk[0])
                 for fname in sorted(files) if fname.lower().endswith(WHITE_LIST_FORMATS)]
        if split is not None:
            found = found[int(split[0] * len(found)):int(split[1] * len(found))]
        filenames += found
        labels += [class_indices[name]] * len(found)
    return filenames, labels, class_indices


class DirectoryIterator(NumpyArrayIterator):
    """Yields ``(x_batch, y_batch)`` (or ``x_batch``) read from class sub-folders, transformed.

    Args:
        directory: the folder with one sub-folder per class.
        image_data_generator: the :class:`~minikeras.preprocessing.image.ImageDataGenerator`.
        target_size: ``(height, width)`` every image is resized to.
        color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'``.
        classes: class folder names (default: every sub-folder, sorted).
        class_mode: ``'categorical'`` (one-hot), ``'binary'`` (0./1.), ``'sparse'`` (int), ``'input'``
            (the images again, for autoencoders) or None (images only).
        batch_size, shuffle, seed, data_format, save_to_dir, save_prefix, save_format: as ``flow``.
        follow_links: follow symbolic links to folders.
        subset: ``'training'`` or ``'validation'`` with the generator's ``validation_split``.
        interpolation: how images are resized (see ``load_img``).
        dtype: dtype of the image batches (default float32).

    Raises:
        ValueError: for an unknown ``color_mode``, ``class_mode`` or ``subset``.
    """

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True, seed=None, data_format=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", dtype=None):
        if color_mode not in CHANNELS:
            raise ValueError(f'Invalid color mode: {color_mode!r}; expected "rgb", "rgba", or "grayscale".')
        if class_mode not in CLASS_MODES:
            raise ValueError(f"Invalid class_mode: {class_mode!r}; expected one of {list(CLASS_MODES)}.")
        if subset not in (None, "training", "validation"):
            raise ValueError(f"Invalid subset name: {subset!r}; expected 'training' or 'validation'.")
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}.")
        split = None
        if subset is not None and image_data_generator.validation_split:
            fraction = image_data_generator.validation_split
            split = (0.0, fraction) if subset == "validation" else (fraction, 1.0)
        self.directory, self.color_mode, self.class_mode = directory, color_mode, class_mode
        self.target_size, self.interpolation = tuple(target_size), interpolation
        self.filenames, classes_found, self.class_indices = list_class_files(directory, classes, follow_links, split)
        self.classes = np.asarray(classes_found, dtype="int32")
        self.num_classes, self.samples = len(self.class_indices), len(self.filenames)
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")   # as Keras says it
        self.dtype = np.dtype(dtype or backend.floatx())
        self.image_data_generator = image_data_generator
        self.data_format = data_format or image_data_generator.data_format
        self.x = self.y = self.sample_weight = None
        self.x_misc = []
        self.n, self.batch_size, self.shuffle, self.seed = self.samples, int(batch_size), shuffle, seed
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.epoch, self.batch_index, self.total_batches_seen, self.index_array = 0, 0, 0, None

    @property
    def image_shape(self):
        """The shape of one image: ``target_size + (channels,)`` (channels first for channels_first)."""
        channels = (CHANNELS[self.color_mode],)
        return channels + self.target_size if self.data_format == "channels_first" else self.target_size + channels

    @property
    def filepaths(self):
        """The absolute path of every image, in ``filenames`` order."""
        return [os.path.join(self.directory, name) for name in self.filenames]

    def _batch(self, chosen, rng):
        """Reads the images of ``chosen`` from disk, transforms them and adds their labels."""
        x = np.zeros((len(chosen),) + self.image_shape, dtype=self.dtype)
        for row, index in enumerate(chosen):
            img = load_img(os.path.join(self.directory, self.filenames[index]), color_mode=self.color_mode,
                           target_size=self.target_size, interpolation=self.interpolation)
            x[row] = img_to_array(img, data_format=self.data_format, dtype=self.dtype)
        x = self.transformed(x, chosen, rng)
        labels = self.classes[chosen]
        if self.class_mode == "input":
            return x, x.copy()
        if self.class_mode == "sparse":
            return x, labels
        if self.class_mode == "binary":
            return x, labels.astype(self.dtype)
        if self.class_mode == "categorical":
            return x, np.eye(self.num_classes, dtype=self.dtype)[labels]
        return x


__all__ = ["DirectoryIterator", "list_class_files"]
