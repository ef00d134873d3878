"""ImageDataGenerator on designed images: a flip or a 1-pixel shift moves a known pixel; determinism; statistics."""
import builtins
import warnings

import numpy as np
import pytest

from minikeras.layers import Dense, Flatten
from minikeras.models import Sequential
from minikeras.preprocessing import image_io
from minikeras.preprocessing.affine import transform_batch
from minikeras.preprocessing.image import (ImageDataGenerator, apply_affine_transform, array_to_img, flip_axis,
                                           img_to_array, load_img, random_rotation, save_img)
from minikeras.utils import Sequence


def dot(row, col, size=5):
    """A black ``(size, size, 1)`` image with one white pixel."""
    x = np.zeros((size, size, 1))
    x[row, col] = 1.0
    return x


def where(x):
    return [tuple(p) for p in np.argwhere(x[..., 0] > 0.5)]


def test_flips_move_the_pixel_to_the_mirror_place():
    gen = ImageDataGenerator()
    assert where(gen.apply_transform(dot(1, 0), {"flip_horizontal": True})) == [(1, 4)]
    assert where(gen.apply_transform(dot(1, 0), {"flip_vertical": True})) == [(3, 0)]


def test_one_pixel_shifts_as_tf_keras():
    # As in tf_keras (issue keras-team/tf-keras#310): tx (height_shift_range) moves columns, ty rows.
    gen = ImageDataGenerator()
    assert where(gen.apply_transform(dot(2, 2), {"tx": 1})) == [(2, 1)]      # reads one column to the right
    assert where(gen.apply_transform(dot(2, 2), {"ty": -1})) == [(3, 2)]
    for seed in range(6):                                                     # a list: +-1 pixel, nothing else
        params = ImageDataGenerator(width_shift_range=[1]).get_random_transform((5, 5, 1), seed=seed)
        assert abs(params["ty"]) == 1 and params["tx"] == 0


def test_rotation_and_zoom_by_inverse_mapping():
    # Keras rotates about (h/2 + 0.5, w/2 + 0.5) = (2.5, 2.5) for 4x4: the 2x2 block [2:, 2:] turns in place,
    # counter-clockwise for a positive angle, and every output pixel is an input pixel (no blur at 90 degrees).
    x = np.arange(16.0).reshape(4, 4, 1)
    out = ImageDataGenerator().apply_transform(x, {"theta": 90})[..., 0]
    np.testing.assert_allclose(out[2:, 2:], np.rot90(x[2:, 2:, 0], k=1), atol=1e-9)
    assert set(out.ravel().tolist()) <= set(x.ravel().tolist())
    zoomed = ImageDataGenerator().apply_transform(np.ones((6, 6, 1)), {"zx": 2.0, "zy": 2.0})
    np.testing.assert_allclose(zoomed, 1.0)                                   # 'nearest' fill: no black border


def test_keras_one_image_functions_agree_with_the_generator():
    x = np.random.RandomState(3).uniform(0, 1, (6, 7, 2))                   # channels last
    params = {"theta": 17, "tx": 1.5, "ty": -1, "shear": 4, "zx": 0.9, "zy": 1.1}
    expected = ImageDataGenerator().apply_transform(x, params)
    last = apply_affine_transform(x, **params, row_axis=0, col_axis=1, channel_axis=2)
    first = apply_affine_transform(x.transpose(2, 0, 1), **params)           # Keras's default axes: channels first
    np.testing.assert_allclose(last, expected, atol=1e-12)
    np.testing.assert_allclose(first.transpose(1, 2, 0), expected, atol=1e-12)
    np.random.seed(5)
    theta = np.random.uniform(-30, 30)
    np.random.seed(5)
    np.testing.assert_allclose(random_rotation(x, 30, 0, 1, 2), apply_affine_transform(x, theta, row_axis=0,
                                                                                       col_axis=1, channel_axis=2))
    assert where(flip_axis(dot(1, 0), 1)) == [(1, 4)]


def test_fill_modes_and_bilinear():
    row = np.array([[[1.0], [2.0], [3.0], [4.0]]])[None]                     # (1, 1, 4, 1)
    m = np.array([[1.0, 0, 0], [0, 1, -2], [0, 0, 1]])                       # output col c reads col c-2
    assert transform_batch(row, m, "nearest")[0, 0, :, 0].tolist() == [1, 1, 1, 2]
    assert transform_batch(row, m, "constant", cval=9)[0, 0, :, 0].tolist() == [9, 9, 1, 2]
    assert transform_batch(row, m, "reflect")[0, 0, :, 0].tolist() == [2, 1, 1, 2]
    assert transform_batch(row, m, "wrap")[0, 0, :, 0].tolist() == [3, 4, 1, 2]
    half = np.array([[1.0, 0, 0], [0, 1, 0.5], [0, 0, 1]])
    np.testing.assert_allclose(transform_batch(row, half)[0, 0, :3, 0], [1.5, 2.5, 3.5])
    assert transform_batch(row, half, order=0)[0, 0, :, 0].tolist() == [2, 3, 4, 4]
    with pytest.raises(ValueError, match="fill_mode"):
        ImageDataGenerator(fill_mode="mirror")
    with pytest.raises(ValueError, match="zoom_range"):
        ImageDataGenerator(zoom_range=[1, 2, 3])


def test_featurewise_statistics_and_zca():
    rng = np.random.RandomState(0)
    x = rng.normal([10, -5, 2], [2, 3, 0.5], (200, 6, 6, 3))
    gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(x)
    assert gen.mean.shape == (1, 1, 3) and gen.std.shape == (1, 1, 3)
    out = np.concatenate([b for b in (gen.flow(x, batch_size=64, shuffle=False)[i] for i in range(4))])
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-4)
    with pytest.warns(UserWarning, match="`zca_whitening`, which overrides setting of `featurewise_center`"):
        zca = ImageDataGenerator(zca_whitening=True)                          # Keras: ZCA implies centring
    assert zca.featurewise_center
    small = rng.normal(0, 1, (500, 2, 2, 1)) @ np.ones((1, 1)) + rng.normal(0, 1, (500, 1, 1, 1))  # correlated
    zca.fit(small)
    white = zca.standardize_batch(small).reshape(500, -1)
    np.testing.assert_allclose(white.T @ white / 500, np.eye(4), atol=1e-3)   # whitened: identity covariance


def test_samplewise_and_rescale_per_image():
    x = np.stack([np.full((4, 4, 1), 100.0), np.arange(16.0).reshape(4, 4, 1)])
    gen = ImageDataGenerator(rescale=0.5, samplewise_center=True, samplewise_std_normalization=True)
    out = gen.flow(x, batch_size=2, shuffle=False)[0]
    np.testing.assert_allclose(out.mean(axis=(1, 2, 3)), 0, atol=1e-6)
    np.testing.assert_allclose(out[1].std(), 1, atol=1e-5)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        ImageDataGenerator(featurewise_center=True).standardize(x[0])


def test_flow_is_a_seeded_sequence():
    x = np.random.RandomState(1).uniform(0, 255, (10, 8, 8, 3))
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.2, zoom_range=0.2, shear_range=10,
                             horizontal_flip=True, channel_shift_range=5)
    a, b = gen.flow(x, np.arange(10), batch_size=4, seed=7), gen.flow(x, np.arange(10), batch_size=4, seed=7)
    assert isinstance(a, Sequence) and len(a) == 3 and a[2][0].shape == (2, 8, 8, 3)
    np.testing.assert_array_equal(a[1][0], b[1][0])                          # same seed, same batch
    np.testing.assert_array_equal(a[1][1], b[1][1])
    assert sorted(np.concatenate([a[i][1] for i in range(3)]).tolist()) == list(range(10))   # each image once
    first = a[0][1].copy()
    a.on_epoch_end()
    assert not np.array_equal(a[0][1], first) or not np.array_equal(a[1][1], b[1][1])      # a new order
    assert not np.allclose(a[0][0], gen.flow(x, np.arange(10), batch_size=4, seed=8)[0][0])
    x_only = gen.flow(x, batch_size=3, seed=1).next()
    assert x_only.shape == (3, 8, 8, 3)
    endless = iter(gen.flow(x, np.arange(10), batch_size=4, seed=1))        # Keras's `for x, y in flow:` loop
    assert [len(next(endless)[1]) for _ in range(5)] == [4, 4, 2, 4, 4]
    with pytest.raises(ValueError, match="same length"):
        gen.flow(x, np.arange(9))


def test_fit_trains_on_flow_and_validation_subset():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 64)
    x = np.zeros((64, 6, 6, 1))
    x[y == 1, :, :3] = 1.0                                                    # class 1: left half bright
    gen = ImageDataGenerator(vertical_flip=True, validation_split=0.25)
    model = Sequential([Flatten(input_shape=(6, 6, 1)), Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(gen.flow(x, y, batch_size=16, seed=0, subset="training"), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert len(gen.flow(x, y, subset="validation")) == 1 and gen.flow(x, y, subset="training").n == 48


def test_flow_is_an_iterator_that_fit_still_reads_as_a_sequence():
    from minikeras.callbacks import LambdaCallback
    x = np.arange(10 * 4 * 4, dtype="float32").reshape(10, 4, 4, 1) / 160.0
    flow = ImageDataGenerator().flow(x, np.arange(10) % 2, batch_size=4, shuffle=False)
    x_batch, y_batch = next(flow)                                           # Keras's `next(datagen.flow(...))`
    assert x_batch.shape == (4, 4, 4, 1) and y_batch.tolist() == [0, 1, 0, 1]
    assert next(flow)[1].tolist() == [0, 1, 0, 1] and len(next(flow)[1]) == 2 and len(next(flow)[1]) == 4
    model = Sequential([Flatten(input_shape=(4, 4, 1)), Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    sizes = []
    model.fit(flow, epochs=2, verbose=0, callbacks=[LambdaCallback(on_batch_end=lambda b, logs: sizes.append(b))])
    assert sizes == [0, 1, 2, 0, 1, 2]                                      # len(flow) batches a epoch, no steps_per_epoch
    np.testing.assert_allclose(model.predict(flow), model.predict(x), rtol=1e-6)   # every image once, in order


def test_channels_first_round_trip():
    gen = ImageDataGenerator(data_format="channels_first", featurewise_center=True)
    x = np.random.RandomState(2).uniform(0, 1, (5, 2, 4, 4))
    gen.fit(x)
    assert gen.mean.shape == (2, 1, 1)
    out = gen.flow(x, batch_size=5, shuffle=False)[0]
    np.testing.assert_allclose(out, x - x.mean(axis=(0, 2, 3), keepdims=True), atol=1e-6)
    assert where(gen.apply_transform(dot(1, 0).transpose(2, 0, 1), {"flip_horizontal": True}).transpose(1, 2, 0)) \
        == [(1, 4)]


def test_image_files_round_trip(tmp_path):
    pytest.importorskip("PIL")
    x = np.zeros((4, 6, 3), dtype="float32")
    x[1, 2] = [255, 0, 128]
    save_img(tmp_path / "a.png", x, scale=False)
    back = img_to_array(load_img(tmp_path / "a.png"))
    np.testing.assert_array_equal(back, x)
    assert img_to_array(load_img(tmp_path / "a.png", color_mode="grayscale", target_size=(2, 3))).shape == (2, 3, 1)
    assert array_to_img(np.ones((3, 3, 1))).mode == "L"
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.ones((3, 3)))


def test_flow_saves_what_it_serves(tmp_path):
    pytest.importorskip("PIL")
    x = np.random.RandomState(0).uniform(0, 255, (5, 4, 4, 3))
    batch = ImageDataGenerator(horizontal_flip=True).flow(x, batch_size=3, seed=2, save_to_dir=str(tmp_path),
                                                          save_prefix="aug")[0]
    saved = sorted(tmp_path.glob("aug_*.png"))
    assert len(saved) == 3 and len(batch) == 3
    assert img_to_array(load_img(saved[0])).shape == (4, 4, 3)


def test_missing_pillow_names_the_package(monkeypatch):
    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r"`pillow`.*pip install pillow"):
        image_io.array_to_img(np.ones((2, 2, 1)))
    assert img_to_array(np.ones((2, 2))).shape == (2, 2, 1)                    # no Pillow needed here


# ---------------------------------------------------------------------------------- live tf_keras
# tf_keras's transforms need SciPy (not installed here); its random draws and statistics do not.
@pytest.mark.tf_keras
def test_random_draws_equal_tf_keras(tk_image):
    kwargs = dict(rotation_range=20, width_shift_range=0.1, height_shift_range=[1, 2], shear_range=5,
                  zoom_range=0.2, channel_shift_range=3, horizontal_flip=True, vertical_flip=True,
                  brightness_range=(0.5, 1.5))
    for seed in range(6):
        if seed == 3:
            kwargs.update(width_shift_range=3, height_shift_range=2.5, zoom_range=[0.5, 0.9])   # int: a choice
        ours = ImageDataGenerator(**kwargs).get_random_transform((8, 9, 3), seed=seed)
        theirs = tk_image.ImageDataGenerator(**kwargs).get_random_transform((8, 9, 3), seed=seed)
        assert ours.keys() == theirs.keys()
        np.testing.assert_allclose([float(ours[k]) for k in ours], [float(theirs[k]) for k in ours], rtol=1e-12)


@pytest.mark.tf_keras
@pytest.mark.parametrize("kwargs", [dict(featurewise_center=True, featurewise_std_normalization=True, rescale=0.5),
                                    dict(zca_whitening=True, zca_epsilon=1e-3),
                                    dict(samplewise_std_normalization=True, featurewise_center=True,
                                         data_format="channels_first")])
def test_fit_and_standardize_equal_tf_keras(tk_image, kwargs):
    x = np.random.RandomState(0).normal(3, 2, (20, 4, 4, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                                     # the overrides' warnings
        ours, theirs = ImageDataGenerator(**kwargs), tk_image.ImageDataGenerator(**kwargs)
    ours.fit(x)
    theirs.fit(x)
    for name in ("mean", "std", "principal_components"):
        if getattr(theirs, name, None) is not None:
            np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-5, atol=1e-6)
    atol = 1e-3 if ours.zca_whitening else 1e-6     # ZCA amplifies float32 rounding of small eigen-directions
    np.testing.assert_allclose(ours.standardize(x[1]), theirs.standardize(x[1].copy()), rtol=1e-5, atol=atol)


def test_flow_serves_miscellaneous_arrays_beside_the_images_untransformed():
    images = np.arange(5 * 2 * 2 * 1, dtype="float32").reshape(5, 2, 2, 1)
    misc1, misc2 = np.arange(5) * 10.0, np.arange(5 * 3).reshape(5, 3)
    generator = ImageDataGenerator(horizontal_flip=True)
    x, y = generator.flow((images, [misc1, misc2]), np.arange(5), batch_size=2, shuffle=True, seed=1).next()
    assert isinstance(x, list) and len(x) == 3 and x[0].shape == (2, 2, 2, 1)
    np.testing.assert_array_equal(x[1], y * 10.0)                  # rows stay paired with their labels
    np.testing.assert_array_equal(x[2], misc2[y])
    first = ImageDataGenerator().flow((images, misc1), None, batch_size=3, shuffle=False).next()
    np.testing.assert_array_equal(first[0], images[:3])
    np.testing.assert_array_equal(first[1], misc1[:3])
    with pytest.raises(ValueError, match=r"All of the arrays in `x` should have the same length.*= 5.*= 6"):
        generator.flow((images, np.zeros(6)), np.arange(5))
    with pytest.raises(ValueError, match=r"`x` \(images tensor\) and `y` \(labels\) should have the same length"):
        generator.flow((images, misc1), np.arange(6))
