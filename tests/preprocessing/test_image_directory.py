"""flow_from_directory: one class per sub-folder, read batch by batch, labels by class_mode, Keras's split."""
import os

import numpy as np
import pytest

from minikeras.preprocessing.image import ImageDataGenerator

PIL = pytest.importorskip("PIL.Image")


@pytest.fixture
def folder(tmp_path):
    """cats/: 3 images (one in a sub-folder) of grey 10, 20, 30; dogs/: 2 of grey 200, 210; plus a text file."""
    values = {"cats/a.png": 10, "cats/b.png": 20, "cats/more/c.png": 30, "dogs/a.png": 200, "dogs/b.jpg": 210}
    for name, value in values.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        PIL.fromarray(np.full((4, 6, 3), value, dtype=np.uint8)).save(path, quality=100)
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    return tmp_path


def test_classes_files_and_pixels(folder, capsys):
    it = ImageDataGenerator(rescale=1 / 255).flow_from_directory(str(folder), target_size=(4, 6), batch_size=5,
                                                                 shuffle=False)
    assert capsys.readouterr().out == "Found 5 images belonging to 2 classes.\n"      # Keras's line
    assert it.class_indices == {"cats": 0, "dogs": 1} and it.samples == 5 and len(it) == 1
    assert it.filenames == [os.path.join("cats", "a.png"), os.path.join("cats", "b.png"),
                            os.path.join("cats", "more", "c.png"), os.path.join("dogs", "a.png"),
                            os.path.join("dogs", "b.jpg")]
    x, y = it[0]
    assert x.shape == (5, 4, 6, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x[:, 0, 0, 0] * 255, [10, 20, 30, 200, 210], atol=2)   # jpeg may move a value
    np.testing.assert_array_equal(y, [[1, 0], [1, 0], [1, 0], [0, 1], [0, 1]])


@pytest.mark.parametrize("class_mode, expected", [("binary", [0.0, 0.0, 0.0, 1.0, 1.0]), ("sparse", [0, 0, 0, 1, 1])])
def test_binary_and_sparse_labels(folder, class_mode, expected):
    x, y = ImageDataGenerator().flow_from_directory(str(folder), target_size=(2, 3), class_mode=class_mode,
                                                    shuffle=False).next()
    np.testing.assert_array_equal(y, expected)
    assert x.shape == (5, 2, 3, 3)


def test_input_mode_none_mode_and_grayscale(folder):
    x, target = ImageDataGenerator().flow_from_directory(str(folder), target_size=(4, 6), class_mode="input",
                                                         color_mode="grayscale", batch_size=2).next()
    assert x.shape == target.shape == (2, 4, 6, 1) and target is not x
    np.testing.assert_array_equal(x, target)
    images = ImageDataGenerator().flow_from_directory(str(folder), target_size=(4, 6), class_mode=None).next()
    assert isinstance(images, np.ndarray) and images.shape == (5, 4, 6, 3)


def test_validation_split_takes_the_first_files_of_every_class(folder):
    generator = ImageDataGenerator(validation_split=0.5)
    validation = generator.flow_from_directory(str(folder), subset="validation", shuffle=False)
    training = generator.flow_from_directory(str(folder), subset="training", shuffle=False)
    assert validation.filenames == [os.path.join("cats", "a.png"), os.path.join("dogs", "a.png")]
    assert list(training.classes) == [0, 0, 1] and training.samples + validation.samples == 5


def test_seeded_shuffle_repeats_and_bad_arguments_are_value_errors(folder):
    def labels(seed):
        it = ImageDataGenerator().flow_from_directory(str(folder), target_size=(2, 2), class_mode="sparse",
                                                      batch_size=5, seed=seed)
        return [it.next()[1].tolist() for _ in range(3)]
    assert labels(3) == labels(3) and sorted(labels(3)[0]) == [0, 0, 0, 1, 1]
    generator = ImageDataGenerator()
    for bad in ({"color_mode": "cmyk"}, {"class_mode": "output"}, {"subset": "foo"}):
        with pytest.raises(ValueError):
            generator.flow_from_directory(str(folder), **bad)
    with pytest.raises(ValueError, match="Asked to retrieve element 1"):
        generator.flow_from_directory(str(folder), batch_size=5)[1]
