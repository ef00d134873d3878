"""cifar10, cifar100, fashion_mnist, boston_housing: Keras's URLs, hashes and file formats, on tiny files
served from 127.0.0.1 (good, corrupted, server down)."""
import gzip
import hashlib
import io
import pickle
import tarfile

import numpy as np
import pytest

from minikeras.datasets import boston_housing, cifar10, cifar100, fashion_mnist
from tests.utils.test_data_utils import closed_port_url, serve

RNG = np.random.default_rng(0)


def cifar_archive(folder, members):
    """A .tar.gz with ``folder/<name>`` = a pickled dict with bytes keys (as the CIFAR files)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members.items():
            data = pickle.dumps({key.encode(): value for key, value in content.items()}, protocol=2)
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def batch(n, **labels):
    return dict(data=RNG.integers(0, 256, (n, 3072), dtype=np.uint8), **labels)


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    with serve(folder) as url:
        yield folder, url


def publish(monkeypatch, module, folder, url, name, data):
    (folder / name).write_bytes(data)
    monkeypatch.setattr(module, "ORIGIN", f"{url}/{name}")
    monkeypatch.setattr(module, "FILE_HASH", hashlib.sha256(data).hexdigest())


def test_keras_urls_and_hashes():
    # From tf_keras 2.21's tf_keras/src/datasets/*.py.
    assert cifar10.ORIGIN == "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    assert cifar10.FILE_HASH == "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
    assert cifar100.FILE_HASH == "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
    assert boston_housing.FILE_HASH == "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
    assert fashion_mnist.BASE == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def test_cifar10_batches_become_channels_last(site, monkeypatch, tmp_path):
    folder, url = site
    members = {f"data_batch_{i}": batch(2, labels=[i, i + 1]) for i in range(1, 6)}
    members["test_batch"] = batch(3, labels=[7, 8, 9])
    publish(monkeypatch, cifar10, folder, url, "cifar-10-python.tar.gz", cifar_archive("cifar-10-batches-py", members))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (10, 1) and y_train.dtype == np.uint8 and y_train[:4, 0].tolist() == [1, 2, 2, 3]
    first = members["data_batch_1"]["data"][0]
    np.testing.assert_array_equal(x_train[0, :, :, 1], first[1024:2048].reshape(32, 32))   # green plane
    assert x_test.shape == (3, 32, 32, 3) and y_test[:, 0].tolist() == [7, 8, 9]
    assert (tmp_path / "home" / "datasets" / "cifar-10-batches-py" / "test_batch").exists()


def test_cifar100_label_modes(site, monkeypatch):
    folder, url = site
    members = {"train": batch(4, fine_labels=[0, 55, 99, 3], coarse_labels=[0, 11, 19, 1]),
               "test": batch(2, fine_labels=[5, 6], coarse_labels=[2, 3])}
    publish(monkeypatch, cifar100, folder, url, "cifar-100-python.tar.gz", cifar_archive("cifar-100-python", members))
    (x_train, y_train), _ = cifar100.load_data()
    assert x_train.shape == (4, 32, 32, 3) and y_train[:, 0].tolist() == [0, 55, 99, 3]
    assert cifar100.load_data(label_mode="coarse")[1][1][:, 0].tolist() == [2, 3]
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_cifar_pickles_with_code_are_refused(site, monkeypatch, tmp_path):
    folder, url = site
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = pickle.dumps({"data": eval}, protocol=2)   # names builtins.eval: must never be resolved
        for name in ("train", "test"):
            info = tarfile.TarInfo(f"cifar-100-python/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    publish(monkeypatch, cifar100, folder, url, "cifar-100-python.tar.gz", buffer.getvalue())
    with pytest.raises(pickle.UnpicklingError, match=r"refusing to load (__builtin__|builtins)\.eval"):
        cifar100.load_data()


def test_fashion_mnist_idx_files(site, monkeypatch, tmp_path):
    folder, url = site
    labels, images = np.array([3, 1, 4], np.uint8), RNG.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    for name, header, payload in (("train-labels-idx1-ubyte.gz", 8, labels), ("t10k-labels-idx1-ubyte.gz", 8, labels),
                                  ("train-images-idx3-ubyte.gz", 16, images),
                                  ("t10k-images-idx3-ubyte.gz", 16, images)):
        (folder / name).write_bytes(gzip.compress(bytes(header) + payload.tobytes()))
    monkeypatch.setattr(fashion_mnist, "BASE", url + "/")
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, images)
    assert y_test.tolist() == [3, 1, 4] and x_test.dtype == np.uint8
    assert (tmp_path / "home" / "datasets" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz").exists()


def test_boston_housing_split_and_corruption(site, monkeypatch, tmp_path):
    folder, url = site
    x, y = np.arange(130.0).reshape(10, 13), np.arange(10.0)
    buffer = io.BytesIO()
    np.savez(buffer, x=x, y=y)
    publish(monkeypatch, boston_housing, folder, url, "boston_housing.npz", buffer.getvalue())
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    order = np.arange(10)
    np.random.RandomState(113).shuffle(order)                 # Keras's shuffle, then the last 20 % for testing
    assert y_train.tolist() == order[:8].tolist() and y_test.tolist() == order[8:].tolist()
    np.testing.assert_array_equal(x_test, x[order[8:]])
    assert len(boston_housing.load_data(test_split=0.5)[1][0]) == 5
    (folder / "boston_housing.npz").write_bytes(b"corrupt")
    with pytest.raises(ValueError, match="sha256 file hash does not match"):
        boston_housing.load_data(cache_dir=str(tmp_path / "other"))


@pytest.mark.parametrize("module", [cifar10, cifar100, boston_housing])
def test_server_down_says_how_to_work_offline(module, tmp_path, monkeypatch):
    monkeypatch.setattr(module, "ORIGIN", closed_port_url())
    with pytest.raises(OSError, match=rf"URL fetch failure on .*{module.__name__.split('.')[-1]}\.load_data\(\) return"):
        module.load_data(cache_dir=str(tmp_path))
