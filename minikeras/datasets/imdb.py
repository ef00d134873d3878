"""IMDB movie reviews, positive (1) or negative (0), as word ids (Keras ``keras.datasets.imdb``).

Keras's own ``imdb.npz`` (25,000 training and 25,000 test reviews) from Keras's URL, checked
against Keras's sha256 and cached in ``~/.keras/datasets/``; read without running pickled code
(:mod:`minikeras.datasets.safe_pickle`). Offline (:func:`minikeras.datasets.use_offline`), the
reviews are generated: the same sizes, ids and labels, with words typical of each sentiment.

>>> from minikeras.datasets import use_offline
>>> with use_offline():
...     word_index = get_word_index()
>>> word_index['the'], len(word_index)
(1, 88584)
"""
import numpy as np

from ..utils.data_utils import get_file
from . import offline, word_sequences
from .download import download_json, download_or_explain
from .safe_pickle import load_npz

#: Keras's URL and sha256 of the reviews (tf_keras 2.21), and of the word index (md5, as Keras).
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"

VOCABULARY = 88584                       # ranks in the real file
_COMMON = ["the", "and", "a", "of", "to", "is", "br", "in", "it", "i", "this", "that", "was", "as", "for", "with",
           "movie", "but", "film", "on"]
_SENTIMENT = (["bad", "worst", "awful", "boring", "waste", "terrible", "poor", "stupid", "horrible", "worse"],
              ["great", "excellent", "best", "love", "wonderful", "perfect", "amazing", "favorite", "beautiful",
               "brilliant"])


def standin(train_size=25000, test_size=25000, seed=0):
    """Generated reviews as ranks: ``{'x_train', 'y_train', 'x_test', 'y_test'}``, texts ragged ``(flat, lengths)``.

    Args:
        train_size, test_size: numbers of reviews.
        seed: the same seed gives the same reviews.

    Returns:
        dict: ragged rank corpora (see :mod:`~minikeras.datasets.word_sequences`), int64 labels 0/1.
    """
    rng = np.random.default_rng(seed)           # generated again on every call (deterministic): nothing kept
    corpus, labels, _ = word_sequences.generate_corpus(train_size + test_size, 2, VOCABULARY, rng)
    train, test = np.arange(train_size), np.arange(train_size, train_size + test_size)
    return {"x_train": word_sequences.take(corpus, train), "y_train": labels[train],
            "x_test": word_sequences.take(corpus, test), "y_test": labels[test]}


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, cache_dir=None, **kwargs):
    """Loads the IMDB reviews as lists of word ids (``start_char``, then ``rank + index_from``).

    Args:
        path: file name in the cache folder.
        num_words: keep ids below this (others become ``oov_char``); None: all.
        skip_top: ids below this also become ``oov_char`` (it skips the most frequent words).
        maxlen: keep only reviews shorter than this (start character counted); None: all.
        seed: seed of the shuffle.
        start_char: the first id of every review (None: none).
        oov_char: the id of removed words (None: drop them).
        index_from: added to every word rank.
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.
        **kwargs: Keras 1's ``nb_words``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of int lists, int64 labels 0/1.

    Raises:
        ValueError: when ``maxlen`` keeps no review, for a corrupted download or bad limits.
        OSError: when the file cannot be downloaded (use ``use_offline(True)``).
    """
    num_words = word_sequences.check_load_arguments(kwargs, num_words=num_words, skip_top=skip_top, maxlen=maxlen)
    if offline.is_offline():
        f = standin(**offline.scaled_sizes(train_size=25000, test_size=25000))
    else:
        stored = load_npz(download_or_explain(path, ORIGIN, FILE_HASH, cache_dir, "imdb"))
        f = {name: (word_sequences.ragged(stored[name]) if name.startswith("x") else stored[name])
             for name in ("x_train", "y_train", "x_test", "y_test")}
    rng = np.random.RandomState(seed)
    x_train, y_train = word_sequences.shuffled(rng, f["x_train"], f["y_train"])
    x_test, y_test = word_sequences.shuffled(rng, f["x_test"], f["y_test"])
    x_train = word_sequences.shift_and_prefix(x_train, start_char, index_from)
    x_test = word_sequences.shift_and_prefix(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = word_sequences.remove_long(maxlen, x_train, y_train)
        x_test, y_test = word_sequences.remove_long(maxlen, x_test, y_test)
        if not len(y_train) or not len(y_test):
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. "
                             f"Increase maxlen.")
    both = (np.concatenate([x_train[0], x_test[0]]), np.concatenate([x_train[1], x_test[1]]))
    xs = word_sequences.to_lists(word_sequences.limit_vocabulary(both, num_words, skip_top, oov_char))
    labels = np.concatenate([y_train, y_test])
    split = len(y_train)
    return ((np.array(xs[:split], dtype="object"), labels[:split]),
            (np.array(xs[split:], dtype="object"), labels[split:]))

def get_word_index(path="imdb_word_index.json"):
    """The dictionary ``{word: rank}`` (1 = most frequent); a word's id in ``load_data`` is ``rank + index_from``.

    Args:
        path: file name in the cache folder.

    Returns:
        dict. Offline: the stand-in's words (a few real ones, then ``'w<rank>'``).
    """
    if offline.is_offline():
        topics = word_sequences.topic_ranks(2, VOCABULARY, np.random.default_rng(0))   # as the stand-in's
        named = dict(enumerate(_COMMON, start=1))
        for label, words in enumerate(_SENTIMENT):
            named.update({int(rank): word for rank, word in zip(topics[label], words)})
        return word_sequences.word_index_for(VOCABULARY, named)
    return download_json(path, WORD_INDEX_ORIGIN, WORD_INDEX_HASH, "imdb")


__all__ = ["load_data", "get_word_index", "standin", "ORIGIN", "FILE_HASH"]
