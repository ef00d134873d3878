"""Offline stand-ins for the image datasets (CIFAR-10/100, Fashion-MNIST): generated in seconds, learnable.

Every class is an *object*: a blob of its own shape (a smooth random field, thresholded) in a
colour of its own, on a background of its own — so a small network learns the classes, while
no two images are the same:

1. per class, ``styles`` variants are drawn: the blob's shape field and the colours are nudged;
2. the variants are drawn once, a few pixels larger than the image (the expensive step);
3. each image picks a variant of its class, a crop (a shift of up to ``pad`` pixels), a
   horizontal flip and one of 16 noise patterns (all in uint8: 50,000 CIFAR images take seconds).

Classes can be grouped (CIFAR-100's 20 coarse classes of 5 fine ones each): the fine classes of a
group share the blob's shape and differ in colour.

>>> x, y = generate(num_classes=3, n=6, size=8, channels=3, seed=0)
>>> x.shape, x.dtype, sorted(set(y.tolist())) <= [0, 1, 2]
((6, 8, 8, 3), dtype('uint8'), True)
"""
import numpy as np


def smooth_fields(rng, n, size, channels, cells=4):
    """Random smooth images ``(n, size, size, channels)`` in [0, 1]: a ``cells x cells`` grid upsampled bilinearly."""
    low = rng.random((n, cells, cells, channels))
    position = np.linspace(0, cells - 1, size)
    weights = np.maximum(0.0, 1.0 - np.abs(position[:, None] - np.arange(cells)[None]))   # (size, cells)
    return np.einsum("ia,nabc,jb->nijc", weights, low, weights)


def _variants(num_classes, styles, size, channels, groups, rng, dark_background):
    """``(num_classes * styles, size, size, channels)`` float images in 0..255, class-major."""
    shapes = smooth_fields(rng, num_classes // groups, size, 1)             # one blob field per group
    colours = rng.uniform(40, 255, (num_classes, 1, 1, channels))
    backgrounds = smooth_fields(rng, num_classes, size, channels) * 120 + 20
    if dark_background:
        backgrounds[:] = 0
    centre = np.linspace(-1, 1, size)
    vignette = (1 - 0.8 * (centre[:, None] ** 2 + centre[None, :] ** 2))[None, :, :, None]   # blobs stay central
    group = np.repeat(np.arange(num_classes) // groups, styles)
    cls = np.repeat(np.arange(num_classes), styles)
    field = (shapes[group] + 0.25 * smooth_fields(rng, len(cls), size, 1)) * vignette         # nudged shapes
    mask = 1 / (1 + np.exp(-25 * (field - 0.45)))                                             # soft edge
    ink = colours[cls] * rng.uniform(0.8, 1.2, (len(cls), 1, 1, channels))                    # nudged colours
    return np.clip(mask * ink + (1 - mask) * backgrounds[cls], 0, 255)


def generate(num_classes, n, size, channels, seed, groups=1, styles=40, pad=3, dark_background=False):
    """Generated labelled images.

    Args:
        num_classes: number of labels (a multiple of ``groups``).
        n: number of images.
        size: height and width.
        channels: 1 or 3.
        seed: the same seed gives the same images.
        groups: consecutive classes sharing a blob shape (5 for CIFAR-100's coarse classes).
        styles: variants per class.
        pad: the largest shift in pixels.
        dark_background: a black background (as Fashion-MNIST).

    Returns:
        ``(x, y)``: uint8 images ``(n, size, size, channels)``, int64 labels ``(n,)``.
    """
    rng = np.random.default_rng(seed)
    big = size + 2 * pad
    pool = _variants(num_classes, styles, big, channels, groups, rng, dark_background)
    pool = (pool * (239 / 255)).astype(np.uint8)                             # room for the noise: no overflow
    labels = rng.integers(0, num_classes, n)
    style = labels * styles + rng.integers(0, styles, n)
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    cols = dx[:, None] + np.arange(size)
    cols = np.where(flip[:, None], cols[:, ::-1], cols)[:, None, :]          # (n, 1, size) flipped or not
    rows = (dy[:, None] + np.arange(size))[:, :, None]                       # (n, size, 1)
    noise = rng.integers(0, 17, (16, size, size, channels), dtype=np.uint8)  # 16 sensor-noise patterns
    images = pool[style[:, None, None], rows, cols]                          # (n, size, size, channels) uint8
    images += noise[rng.integers(0, 16, n)]
    return images, labels

def train_and_test(train_size, test_size, **kwargs):
    """Train and test sets from one :func:`generate` call (seed 0): the same class variants, different draws.

    Nothing is kept in memory (50,000 CIFAR images are 150 MB): every call generates them again,
    identically.

    Args:
        train_size, test_size: numbers of images.
        **kwargs: :func:`generate`'s arguments except ``n`` and ``seed``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.
    """
    x, y = generate(n=train_size + test_size, seed=0, **kwargs)
    return (x[:train_size], y[:train_size]), (x[train_size:], y[train_size:])


__all__ = ["generate", "train_and_test", "smooth_fields"]
