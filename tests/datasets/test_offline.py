"""The offline switch and the stand-ins: same shapes, dtypes and labels as Keras's files, and learnable."""
import functools

import numpy as np
import pytest

from minikeras import datasets
from minikeras.datasets import (boston_housing, cifar10, cifar100, digits, fashion_mnist, image_standins, imdb,
                                is_offline, mnist, reuters, use_offline, word_sequences)
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import Adam
from minikeras.preprocessing.sequence import pad_sequences
from minikeras.preprocessing.text import Tokenizer
from minikeras.utils import to_categorical
from tests.utils.test_data_utils import closed_port_url


@pytest.fixture
def small_standins(monkeypatch):
    """Loaders' stand-ins at small sizes (the wiring is what is tested; full sizes take seconds each)."""
    monkeypatch.setattr(cifar10, "standin", functools.partial(cifar10.standin, train_size=60, test_size=20))
    monkeypatch.setattr(cifar100, "standin", functools.partial(cifar100.standin, train_size=300, test_size=20))
    monkeypatch.setattr(imdb, "standin", functools.partial(imdb.standin, train_size=40, test_size=30))
    monkeypatch.setattr(digits, "load_data", functools.partial(digits.load_data, train_size=50, test_size=10))


def test_switch_as_call_context_and_environment(monkeypatch):
    monkeypatch.delenv("MINIKERAS_DATA", raising=False)
    assert not is_offline()
    with use_offline():
        assert is_offline()
        with use_offline(False):
            assert not is_offline()
        assert is_offline()
    assert not is_offline()
    monkeypatch.setenv("MINIKERAS_DATA", "offline")
    assert is_offline()
    with use_offline(False):                                  # an explicit setting wins over the environment
        assert not is_offline()
    with pytest.raises(TypeError, match="True or False"):
        use_offline("yes")
    assert datasets.use_offline is use_offline


def test_every_loader_returns_its_standin_without_network(small_standins, monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))           # nothing cached, and every URL unreachable
    for module in (mnist, cifar10, cifar100, imdb, reuters, boston_housing):
        monkeypatch.setattr(module, "ORIGIN", closed_port_url())
    monkeypatch.setattr(fashion_mnist, "BASE", closed_port_url() + "/")
    with use_offline():
        (x, y), (xt, yt) = mnist.load_data()
        assert x.shape == (50, 28, 28) and x.dtype == y.dtype == np.uint8
        (x, y), (xt, yt) = fashion_mnist.load_data()
        assert (x.shape, xt.shape, y.shape, x.dtype, y.dtype) == ((60000, 28, 28), (10000, 28, 28), (60000,),
                                                                   np.uint8, np.uint8)
        assert set(np.unique(y).tolist()) == set(range(10))
        (x, y), (xt, yt) = cifar10.load_data()
        assert (x.shape[1:], y.shape, y.dtype, x.dtype) == ((32, 32, 3), (60, 1), np.uint8, np.uint8)
        (_, fine), _ = cifar100.load_data()
        (_, coarse), _ = cifar100.load_data(label_mode="coarse")
        assert fine.shape == (300, 1) and fine.max() > 19 and np.array_equal(coarse, fine // 5)
        (x, y), (xt, yt) = imdb.load_data(num_words=500, index_from=3)
        assert x.dtype == object and y.dtype == np.int64 and set(y.tolist()) <= {0, 1} and len(xt) == 30
        assert all(seq[0] == 1 and max(seq) < 500 for seq in x)
        (x, y), (xt, yt) = reuters.load_data(test_split=0.2)
        assert (len(x), len(xt), y.dtype) == (8982, 2246, np.int64) and set(np.unique(y).tolist()) == set(range(46))
        (x, y), (xt, yt) = boston_housing.load_data()
        assert (x.shape, xt.shape, y.dtype) == ((404, 13), (102, 13), np.float64) and 5 <= y.min() <= y.max() <= 50
        assert len(reuters.get_word_index()) == reuters.VOCABULARY and imdb.get_word_index()["the"] == 1
    assert not list(tmp_path.rglob("*.npz"))                  # nothing was downloaded or cached


def test_standins_are_deterministic_and_differ_between_train_and_test():
    (x1, y1), (xt1, _) = image_standins.train_and_test(30, 10, num_classes=4, size=12, channels=3)
    (x2, y2), _ = image_standins.train_and_test(30, 10, num_classes=4, size=12, channels=3)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not any(np.array_equal(image, test) for image in x1 for test in xt1)
    assert imdb.standin(5, 5)["x_train"][1].tolist() == imdb.standin(5, 5)["x_train"][1].tolist()


def _accuracy(x, y, xt, yt, classes, epochs):
    model = Sequential([Dense(classes, activation="softmax", input_dim=x.shape[1])])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, to_categorical(y, classes), epochs=epochs, batch_size=32, verbose=0)
    return model.evaluate(xt, to_categorical(yt, classes), verbose=0)[1]


def test_image_standins_are_learnable():
    (x, y), (xt, yt) = image_standins.train_and_test(1500, 300, num_classes=10, size=32, channels=3)
    flat = lambda a: a.reshape(len(a), -1) / 255.0  # noqa: E731
    assert _accuracy(flat(x), y, flat(xt), yt, 10, epochs=5) > 0.7             # chance: 0.1


def test_imdb_standin_is_learnable_from_word_counts():
    stored = imdb.standin(train_size=600, test_size=300)
    lists = {part: word_sequences.to_lists(word_sequences.limit_vocabulary(
        word_sequences.shift_and_prefix(stored[part], 1, 3), 3000, 0, 2)) for part in ("x_train", "x_test")}
    tokenizer = Tokenizer(num_words=3000)
    x, xt = (tokenizer.sequences_to_matrix(lists[part], "binary") for part in ("x_train", "x_test"))
    assert _accuracy(x, stored["y_train"], xt, stored["y_test"], 2, epochs=3) > 0.8     # chance: 0.5
    assert pad_sequences(lists["x_train"], maxlen=50).shape == (600, 50)


def test_boston_standin_is_predictable():
    data = boston_housing.standin()
    x = (data["x"] - data["x"].mean(0)) / data["x"].std(0)
    model = Sequential([Dense(1, input_dim=13)])
    model.compile(Adam(learning_rate=0.1), "mse")
    model.fit(x[:400], data["y"][:400], epochs=40, batch_size=32, verbose=0)
    assert np.sqrt(model.evaluate(x[400:], data["y"][400:], verbose=0)) < 0.6 * data["y"].std()


def test_scale_shrinks_the_number_of_samples_only(monkeypatch):
    monkeypatch.delenv("MINIKERAS_DATA_SCALE", raising=False)
    with use_offline(scale=0.02):
        (x, y), (xt, yt) = cifar10.load_data()
        assert (x.shape, xt.shape, y.shape) == ((1000, 32, 32, 3), (1000, 32, 32, 3), (1000, 1))   # at least 1000
        assert x.dtype == np.uint8 and sorted(set(y.ravel().tolist())) == list(range(10))
        (_, fine), _ = cifar100.load_data()
        assert len(set(fine.ravel().tolist())) == 100                 # every label still appears
        assert len(imdb.load_data()[0][0]) == 1000
    with use_offline():
        assert datasets.offline.data_scale() == 1.0 and datasets.offline.scaled_sizes(train_size=9) == {}
        monkeypatch.setenv("MINIKERAS_DATA_SCALE", "0.5")
        assert datasets.offline.scaled(60000) == 30000
        with use_offline(scale=1):                                     # an explicit setting wins
            assert datasets.offline.scaled(60000) == 60000
        monkeypatch.setenv("MINIKERAS_DATA_SCALE", "half")
        with pytest.raises(ValueError, match="MINIKERAS_DATA_SCALE must be a number in"):
            datasets.offline.scaled(10)
    for bad, error in ((0, ValueError), (1.5, ValueError), ("0.1", TypeError), (True, TypeError)):
        with pytest.raises(error, match="scale must be"):
            use_offline(scale=bad)


def test_get_file_generates_the_examples_text_offline_outside_the_cache(monkeypatch, tmp_path):
    from minikeras.utils import get_file
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    url = "https://s3.amazonaws.com/text-datasets/nietzsche.txt"
    with use_offline(scale=0.02):
        path = get_file("nietzsche.txt", origin=url)
    text = open(path, encoding="utf-8").read()
    assert 600901 * 0.02 <= len(text) < 600901 * 0.02 + 200 and text.startswith("PREFACE")
    assert len(set(text.lower())) > 25 and "." in text                # a character-level model has work to do
    assert not (tmp_path / "datasets" / "nietzsche.txt").exists()     # Keras's cache keeps only real downloads


def test_the_seq2seq_examples_text_file_is_generated_in_their_format(tmp_path):
    from minikeras.datasets import example_files
    with use_offline(scale=0.02):
        path = example_files.write_local_file("fra-eng/fra.txt", tmp_path)
    lines = open(path, encoding="utf-8").read().split("\n")
    assert len(lines) == 1001 and lines[-1] == ""                     # 1,000 pairs (the minimum), then the end
    pairs = [line.split("\t") for line in lines[:-1]]
    assert all(len(pair) == 2 and pair[0] and pair[1] for pair in pairs)
    assert len({english for english, _ in pairs}) > 100               # varied sentences, each with one translation
    assert {english: french for english, french in pairs}["I see the cat."] == "Je vois le chat."
    with pytest.raises(KeyError):
        example_files.write_local_file("glove.6B/glove.6B.100d.txt", tmp_path)
