"""Reuters newswires labelled with 46 topics, as word ids (Keras ``keras.datasets.reuters``).

Keras's own ``reuters.npz`` (11,228 wires) from Keras's URL, checked against Keras's sha256 and
cached in ``~/.keras/datasets/``; read without running pickled code. The ids follow the same rules
as :mod:`~minikeras.datasets.imdb`; the split is the last ``test_split`` of the shuffled wires.
Offline (:func:`minikeras.datasets.use_offline`), the wires are generated: 11,228 texts, 46 topics
(3 and 4 the most frequent, as in the real data), with words typical of each topic.

>>> from minikeras.datasets import use_offline
>>> with use_offline():
...     (x_train, y_train), (x_test, y_test) = load_data(num_words=1000)
>>> len(x_train), len(x_test), int(y_train.max()) < 46
(8982, 2246, True)
"""
import numpy as np

from . import offline, word_sequences
from .download import download_json, download_or_explain
from .safe_pickle import load_npz

#: Keras's URL and sha256 of the wires (tf_keras 2.21), and of the word index (md5, as Keras).
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters_word_index.json"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
#: The 46 topics, in label order (tf_keras's ``get_label_names``).
LABEL_NAMES = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
               "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
               "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
               "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
               "dlr", "gas", "silver", "wpi", "hog", "lead")
VOCABULARY = 30979
_COMMON = ["the", "of", "to", "in", "said", "and", "a", "mln", "3", "for", "vs", "dlrs", "it", "reuter", "000"]


def standin(size=11228, seed=0):
    """Generated wires as ranks: ``{'x': ragged (flat, lengths), 'y': int64 topics}``.

    Args:
        size: number of wires.
        seed: the same seed gives the same wires.

    Returns:
        dict of arrays.
    """
    weights = 1.0 / (1.0 + np.arange(46)) ** 1.2                           # a few big topics, many small ones
    weights[[3, 4]], weights[[0, 1]] = weights[[0, 1]], weights[[3, 4]]    # earn and acq the largest, as in Reuters
    corpus, labels, _ = word_sequences.generate_corpus(size, 46, VOCABULARY, np.random.default_rng(seed),
                                                       class_weights=weights, mean_length=145, topic_share=0.2)
    return {"x": corpus, "y": labels}

def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1,
              oov_char=2, index_from=3, cache_dir=None, **kwargs):
    """Loads the Reuters wires as lists of word ids and their topics (0..45).

    Args:
        path: file name in the cache folder.
        num_words: keep ids below this (others become ``oov_char``); None: all.
        skip_top: ids below this also become ``oov_char``.
        maxlen: keep only wires shorter than this (start character counted); None: all.
        test_split: the fraction of wires (the last ones after shuffling) used as test set.
        seed: seed of the shuffle.
        start_char: the first id of every wire (None: none).
        oov_char: the id of removed words (None: drop them).
        index_from: added to every word rank.
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.
        **kwargs: Keras 1's ``nb_words``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of int lists, int64 topics.

    Raises:
        ValueError: for ``test_split`` outside [0, 1), bad limits, or a corrupted download.
        OSError: when the file cannot be downloaded (use ``use_offline(True)``).
    """
    num_words = word_sequences.check_load_arguments(kwargs, num_words=num_words, skip_top=skip_top, maxlen=maxlen)
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split!r}.")
    if offline.is_offline():
        f = standin(**offline.scaled_sizes(size=11228))
    else:
        stored = load_npz(download_or_explain(path, ORIGIN, FILE_HASH, cache_dir, "reuters"))
        f = {"x": word_sequences.ragged(stored["x"]), "y": stored["y"]}
    xs, labels = word_sequences.shuffled(np.random.RandomState(seed), f["x"], f["y"])
    xs = word_sequences.shift_and_prefix(xs, start_char, index_from)
    if maxlen:
        xs, labels = word_sequences.remove_long(maxlen, xs, labels)
    xs = word_sequences.to_lists(word_sequences.limit_vocabulary(xs, num_words, skip_top, oov_char))
    split = int(len(xs) * (1 - test_split))
    return ((np.array(xs[:split], dtype="object"), np.array(labels[:split])),
            (np.array(xs[split:], dtype="object"), np.array(labels[split:])))


def get_word_index(path="reuters_word_index.json"):
    """The dictionary ``{word: rank}`` (1 = most frequent); a word's id in ``load_data`` is ``rank + index_from``.

    Args:
        path: file name in the cache folder.

    Returns:
        dict. Offline: the stand-in's words (a few real ones, then ``'w<rank>'``).
    """
    if offline.is_offline():
        return word_sequences.word_index_for(VOCABULARY, dict(enumerate(_COMMON, start=1)))
    return download_json(path, WORD_INDEX_ORIGIN, WORD_INDEX_HASH, "reuters")


def get_label_names():
    """The 46 topic names, in label order (as tf_keras).

    Returns:
        tuple of str.
    """
    return LABEL_NAMES


__all__ = ["load_data", "get_word_index", "get_label_names", "standin", "ORIGIN", "FILE_HASH", "LABEL_NAMES"]
