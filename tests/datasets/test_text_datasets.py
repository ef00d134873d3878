"""imdb and reuters: Keras's URLs and hashes, Keras's load_data rules (on a tiny file served from 127.0.0.1),
corrupted and unreachable downloads, and the restricted unpickler."""
import hashlib
import io
import json
import pickle

import numpy as np
import pytest

from minikeras.datasets import imdb, reuters
from minikeras.datasets.safe_pickle import load_npz
from tests.utils.test_data_utils import closed_port_url, serve


def ragged(*texts):
    out = np.empty(len(texts), dtype=object)
    out[:] = [list(t) for t in texts]
    return out


def npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# The fake file of /work/shared/keras_facts/s08b_imdb_fake.py; expected values recorded from tf_keras 2.21 there.
IMDB = npz_bytes(x_train=ragged([1, 2, 3], [4, 5, 6, 7, 8], [9, 10]), y_train=np.array([0, 1, 0]),
                 x_test=ragged([11, 12, 13, 14], [1]), y_test=np.array([1, 1]))
REUTERS = npz_bytes(x=ragged([1, 2, 3], [4, 5, 6, 7, 8], [9, 10], [11, 12, 13, 14], [1]), y=np.arange(5))


@pytest.fixture
def site(tmp_path, monkeypatch):
    """imdb.npz, reuters.npz and the word indexes on a local server; the modules point at it."""
    folder = tmp_path / "site"
    folder.mkdir()
    files = {"imdb.npz": IMDB, "reuters.npz": REUTERS, "imdb_word_index.json": json.dumps({"the": 1}).encode(),
             "reuters_word_index.json": json.dumps({"said": 1}).encode()}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    with serve(folder) as url:
        for module, name in ((imdb, "imdb"), (reuters, "reuters")):
            monkeypatch.setattr(module, "ORIGIN", f"{url}/{name}.npz")
            monkeypatch.setattr(module, "FILE_HASH", hashlib.sha256(files[f"{name}.npz"]).hexdigest())
            monkeypatch.setattr(module, "WORD_INDEX_ORIGIN", f"{url}/{name}_word_index.json")
            monkeypatch.setattr(module, "WORD_INDEX_HASH", hashlib.md5(files[f"{name}_word_index.json"]).hexdigest())
        yield folder


def test_keras_urls_and_hashes():
    # From tf_keras 2.21's tf_keras/src/datasets/imdb.py and reuters.py.
    assert imdb.ORIGIN == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"
    assert imdb.FILE_HASH == "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
    assert imdb.WORD_INDEX_HASH == "bfafd718b763782e994055a2d397834f"
    assert reuters.FILE_HASH == "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
    assert reuters.WORD_INDEX_HASH == "4d44cc38712099c9e383dc6e5f11a921"


def test_imdb_load_data_as_tf_keras(site, tmp_path):
    (a, b), (c, d) = imdb.load_data()
    assert a.dtype == object and b.dtype == np.int64
    assert list(map(list, a)) == [[1, 12, 13], [1, 4, 5, 6], [1, 7, 8, 9, 10, 11]] and b.tolist() == [0, 0, 1]
    assert list(map(list, c)) == [[1, 4], [1, 14, 15, 16, 2]] and d.tolist() == [1, 1]   # largest id -> oov
    (a, _), (c, _) = imdb.load_data(num_words=8)
    assert list(map(list, a)) == [[1, 2, 2], [1, 4, 5, 6], [1, 7, 2, 2, 2, 2]]
    assert list(map(list, c)) == [[1, 4], [1, 2, 2, 2, 2]]
    assert list(map(list, imdb.load_data(skip_top=5)[0][0])) == [[2, 12, 13], [2, 2, 5, 6], [2, 7, 8, 9, 10, 11]]
    (a, b), (c, d) = imdb.load_data(maxlen=5)
    assert list(map(list, a)) == [[1, 12, 2], [1, 4, 5, 6]] and b.tolist() == [0, 0]
    assert c.shape == (1, 2) and d.tolist() == [1]                             # one kept text: a 2-D array, as Keras
    assert list(map(list, imdb.load_data(oov_char=None, num_words=8)[0][0])) == [[1], [1, 4, 5, 6], [1, 7]]
    assert imdb.get_word_index() == {"the": 1}
    assert (tmp_path / "home" / "datasets" / "imdb.npz").exists()
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=2)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        imdb.load_data(num_word=3)


def test_reuters_split_and_word_index(site):
    (a, b), (c, d) = reuters.load_data()
    assert len(a) == 4 and len(c) == 1 and b.tolist() == [1, 0, 3, 2] and d.tolist() == [4]
    (a, _), (c, _) = reuters.load_data(test_split=0.4, num_words=6, start_char=None, index_from=0)
    assert len(a) == 3 and all(w < 6 for x in a for w in x)
    assert reuters.get_word_index() == {"said": 1} and len(reuters.get_label_names()) == 46
    with pytest.raises(ValueError, match="test_split"):
        reuters.load_data(test_split=1.0)


def test_corrupted_download_is_refused(site, tmp_path):
    (site / "imdb.npz").write_bytes(b"not the file")
    with pytest.raises(ValueError, match="sha256 file hash does not match"):
        imdb.load_data(cache_dir=str(tmp_path / "cache"))
    assert not (tmp_path / "cache" / "datasets" / "imdb.npz").exists()


def test_server_down_says_how_to_work_offline(tmp_path, monkeypatch):
    monkeypatch.setattr(reuters, "ORIGIN", closed_port_url())
    with pytest.raises(OSError, match=r"URL fetch failure on .*use_offline\(True\)"):
        reuters.load_data(cache_dir=str(tmp_path))


class Boom:
    def __reduce__(self):
        return (print, ("this would run code",))


def test_object_arrays_are_read_without_running_code(tmp_path):
    evil = np.empty(1, dtype=object)
    evil[0] = Boom()
    path = tmp_path / "evil.npz"
    path.write_bytes(npz_bytes(x=evil))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load builtins.print"):
        load_npz(path)
    path.write_bytes(IMDB)
    assert load_npz(path)["x_test"].tolist() == [[11, 12, 13, 14], [1]]


# ---------------------------------------------------------------------------------- live tf_keras
# (tf_keras fails with start_char=None and index_from=0: it adds the two object arrays; minikeras does not.)
CASES = [{}, {"num_words": 30}, {"skip_top": 5, "maxlen": 12}, {"oov_char": None, "num_words": 20, "seed": 7},
         {"start_char": None, "index_from": 2}, {"maxlen": 6, "index_from": 1, "oov_char": 9}]


@pytest.mark.tf_keras
@pytest.mark.parametrize("kwargs", CASES)
def test_load_data_equals_tf_keras(kwargs, tmp_path, monkeypatch):
    tf_keras = pytest.importorskip("tf_keras")
    from tf_keras.src.datasets import imdb as tk_imdb, reuters as tk_reuters
    rng = np.random.default_rng(1)
    texts = ragged(*(rng.integers(1, 40, rng.integers(1, 15)).tolist() for _ in range(30)))
    labels = rng.integers(0, 3, 30)
    (tmp_path / "i.npz").write_bytes(npz_bytes(x_train=texts[:18], y_train=labels[:18], x_test=texts[18:],
                                               y_test=labels[18:]))
    (tmp_path / "r.npz").write_bytes(npz_bytes(x=texts, y=labels))
    for ours, theirs, name in ((imdb, tk_imdb, "i.npz"), (reuters, tk_reuters, "r.npz")):
        monkeypatch.setattr(theirs, "get_file", lambda *a, name=name, **k: str(tmp_path / name))
        monkeypatch.setattr(ours, "download_or_explain", lambda *a, name=name, **k: str(tmp_path / name))
        for mine, real in zip(ours.load_data(**kwargs), theirs.load_data(**kwargs)):
            assert mine[0].shape == real[0].shape and mine[0].tolist() == real[0].tolist()
            assert mine[1].dtype == real[1].dtype and mine[1].tolist() == real[1].tolist()
    assert tf_keras.__version__
