"""An offline stand-in for MNIST: handwritten-looking digits drawn by code (``digits.load_data()``).

Same shapes, dtypes and return structure as :func:`minikeras.datasets.mnist.load_data`, so a
tutorial runs unchanged in a classroom without internet. Each digit is a few pen strokes
(polylines, listed in ``GLYPHS``), and every image is drawn differently:

1. a random *pen*: each glyph is bent (a smooth wave displaces its points), rotated (up to 16
   degrees), sheared and stretched, drawn anti-aliased with a stroke 1.1 to 2.6 pixels wide and
   a random ink brightness; one pen in ten also draws a stray stroke;
2. a random *place*: the drawing (about 12x17 pixels) is shifted by up to 2 pixels from the
   centre of the 28x28 image;
3. random *noise*: every background pixel gets a random grey level from 0 to 47.

Step 1 is the expensive one (the distance of every pixel to every stroke segment), so it draws
a pool of ``styles_per_digit`` pens per digit; steps 2-3 then make every image different. Train
and test use different pools, so the test set measures generalization to unseen handwriting.
Generating all 70,000 images takes about a second; the result is kept in memory. The Keras 2
callbacks guide's softmax model (``Dense(10)`` on ``x / 255``, RMSprop, batch 128) reaches about 91 %
test accuracy after 5 epochs
(``tests/datasets/test_digits.py`` asserts at least 85 %).

>>> (x_train, y_train), (x_test, y_test) = load_data(train_size=100, test_size=20)
>>> x_train.shape, x_train.dtype, y_train.dtype, int(y_train.max())
((100, 28, 28), dtype('uint8'), dtype('uint8'), 9)
"""
import numpy as np

_CACHE = {}


def _arc(cx, cy, rx, ry, start, stop, n=10):
    """Points on an ellipse arc; angles in degrees, counter-clockwise, y pointing down."""
    t = np.radians(np.linspace(start, stop, n))
    return np.stack([cx + rx * np.cos(t), cy - ry * np.sin(t)], axis=1)


def _line(*points):
    return np.array(points, dtype=float)


#: Each digit as a list of strokes (polylines) in a unit box: x to the right, y downwards.
GLYPHS = {
    0: [_arc(0.5, 0.5, 0.38, 0.5, 0, 360, 16)],
    1: [_line((0.3, 0.2), (0.55, 0.0), (0.55, 1.0))],
    2: [np.concatenate([_arc(0.5, 0.3, 0.4, 0.3, 160, -40), _line((0.05, 1.0), (0.95, 1.0))])],
    3: [_arc(0.48, 0.26, 0.38, 0.26, 150, -90), _arc(0.48, 0.74, 0.42, 0.26, 90, -160)],
    4: [_line((0.7, 1.0), (0.7, 0.0), (0.05, 0.68), (0.95, 0.68))],
    5: [np.concatenate([_line((0.9, 0.0), (0.22, 0.0), (0.16, 0.45)), _arc(0.5, 0.68, 0.4, 0.32, 130, -150)])],
    6: [np.concatenate([_arc(0.6, 0.6, 0.45, 0.6, 80, 180, 6), _arc(0.5, 0.72, 0.36, 0.28, 180, 540, 14)])],
    7: [_line((0.05, 0.0), (0.95, 0.0), (0.4, 1.0))],
    8: [_arc(0.5, 0.24, 0.32, 0.24, -90, 270, 12), _arc(0.5, 0.72, 0.4, 0.28, 90, 450, 14)],
    9: [_arc(0.5, 0.28, 0.38, 0.28, 0, 360, 14), _line((0.88, 0.3), (0.62, 1.0))],
}


def _segments(strokes):
    """All consecutive point pairs of the strokes: ``(k, 2, 2)`` (segment, end, xy)."""
    return np.concatenate([np.stack([s[:-1], s[1:]], axis=1) for s in strokes])


def _draw_styles(digit, count, rng, size=32):
    """Draws ``count`` differently-styled images of ``digit``: ``(count, size, size)`` uint8.

    Pen strokes are bent, rotated, sheared, stretched and given a width; a pixel's ink is
    ``clip(half_width + 0.5 - distance_to_nearest_segment, 0, 1)`` (an anti-aliased edge).
    """
    seg = _segments(GLYPHS[digit])[None]                               # (1, k, 2, 2) unit box
    phase = rng.uniform(0, 1, (count, 1, 1, 2))
    bend = rng.uniform(-0.08, 0.08, (count, 1, 1, 2)) * np.sin(2 * np.pi * (seg[..., ::-1] + phase))
    pts = seg - 0.5 + bend                                             # (count, k, 2, 2), centred
    stray = rng.uniform(-0.7, 0.7, (count, 1, 2, 2))                   # an extra stroke on 10 %...
    stray[rng.random(count) > 0.1] = -9.0                              # ...and far off-canvas for the rest
    pts = np.concatenate([pts, stray], axis=1)
    angle = np.radians(rng.uniform(-16, 16, count))
    shear = rng.uniform(-0.35, 0.35, count)
    sx, sy = rng.uniform(9.5, 15, count), rng.uniform(14.5, 18.5, count)  # glyph width/height in pixels
    cos, sin = np.cos(angle), np.sin(angle)
    m = np.stack([np.stack([sx * cos, sy * (shear * cos - sin)], -1),  # rotation @ shear @ scale
                  np.stack([sx * sin, sy * (shear * sin + cos)], -1)], -2)
    pts = (np.einsum("nij,nkej->nkei", m, pts) + (size - 1) / 2).astype(np.float32)
    py, px = np.divmod(np.arange(size * size, dtype=np.float32), size)  # pixel centres, row-major
    dist2 = np.full((count, size * size), np.inf, dtype=np.float32)
    for k in range(pts.shape[1]):                                      # nearest segment, one at a time
        (ax, ay), (bx, by) = pts[:, k, 0, :, None].transpose(1, 0, 2), pts[:, k, 1, :, None].transpose(1, 0, 2)
        abx, aby = bx - ax, by - ay
        t = np.clip(((px - ax) * abx + (py - ay) * aby) / np.maximum(abx * abx + aby * aby, 1e-6), 0, 1)
        dx, dy = px - ax - t * abx, py - ay - t * aby
        np.minimum(dist2, dx * dx + dy * dy, out=dist2)
    half_width = rng.uniform(0.55, 1.3, (count, 1)).astype(np.float32)
    ink = np.clip(half_width + 0.5 - np.sqrt(dist2), 0, 1) * rng.uniform(165, 256, (count, 1)).astype(np.float32)
    return ink.astype(np.uint8).reshape(count, size, size)


def _generate(n, seed, styles_per_digit):
    """``n`` images from a pool of ``10 * styles_per_digit`` pens: shifted, and noisy."""
    rng = np.random.default_rng(seed)
    styles = np.concatenate([_draw_styles(d, styles_per_digit, rng) for d in range(10)])  # (10*s, 32, 32)
    labels = rng.integers(0, 10, n)
    style = labels * styles_per_digit + rng.integers(0, styles_per_digit, n)
    dy, dx = rng.integers(0, 5, n), rng.integers(0, 5, n)               # 2 = centred: +-2 pixels
    rows = (dy[:, None] + np.arange(28))[:, :, None]
    cols = (dx[:, None] + np.arange(28))[:, None, :]
    images = styles[style[:, None, None], rows, cols]                   # (n, 28, 28) uint8
    np.maximum(images, rng.integers(0, 48, images.shape, dtype=np.uint8), out=images)   # sensor noise
    return images, labels.astype(np.uint8)


def load_data(train_size=60000, test_size=10000, seed=0, styles_per_digit=200):
    """Returns MNIST-shaped generated digits: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        train_size (int): number of training images (60,000 like MNIST).
        test_size (int): number of test images (10,000 like MNIST).
        seed (int): the same seed gives the same images on every machine.
        styles_per_digit (int): differently-drawn versions of each digit (more = more variety, slower).

    Returns:
        ``x_*``: uint8 arrays ``(samples, 28, 28)`` with values 0..255 (white ink on black);
        ``y_*``: uint8 labels ``(samples,)`` in 0..9.

    Raises:
        ValueError: for sizes below 1.
    """
    for name, value in (("train_size", train_size), ("test_size", test_size), ("styles_per_digit", styles_per_digit)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}.")
    key = (int(train_size), int(test_size), int(seed), int(styles_per_digit))
    if key not in _CACHE:
        _CACHE[key] = (_generate(key[0], 2 * key[2], key[3]), _generate(key[1], 2 * key[2] + 1, key[3]))
    (x_train, y_train), (x_test, y_test) = _CACHE[key]
    return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())
