"""What ``imdb.load_data`` and ``reuters.load_data`` do to the stored word ranks, and their stand-in corpora.

Keras stores each text as a list of word *ranks* (1 = the most frequent word). ``load_data`` then:

1. shuffles with ``np.random.RandomState(seed)`` (IMDB: the train set, then the test set);
2. adds ``index_from`` to every rank and puts ``start_char`` in front (ids 0, 1, 2 stay free for
   padding, start and out-of-vocabulary);
3. with ``maxlen``, keeps only texts *shorter* than ``maxlen`` (start character counted);
4. replaces every id outside ``skip_top <= id < num_words`` by ``oov_char`` (or drops it when
   ``oov_char=None``); without ``num_words`` the largest id is the limit, so, as in tf_keras,
   the largest id itself becomes ``oov_char``.

>>> corpus = shift_and_prefix(ragged([[1, 5], [2]]), start_char=1, index_from=3)
>>> to_lists(corpus)
[[1, 4, 8], [1, 5]]
"""
import itertools

import numpy as np

# A corpus is kept *ragged*: ``(flat, lengths)``, all texts' ids end to end in one int64 array and the
# length of each text, so every step below is a few vectorized NumPy operations, not a Python loop
# over millions of words; :func:`to_lists` makes Keras's lists at the very end.


def ragged(texts):
    """Sequences (lists or arrays) -> ``(flat, lengths)``.

    Args:
        texts: an iterable of sequences of ints.

    Returns:
        ``(flat int64 array, lengths int64 array)``.
    """
    texts = list(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.fromiter(itertools.chain.from_iterable(texts), dtype=np.int64, count=int(lengths.sum()))
    return flat, lengths


def take(corpus, chosen):
    """The texts number ``chosen`` (in that order), still ragged.

    Args:
        corpus: ``(flat, lengths)``.
        chosen: indices of texts.

    Returns:
        ``(flat, lengths)``.
    """
    flat, lengths = corpus
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    new_lengths = lengths[chosen]
    new_starts = np.concatenate([[0], np.cumsum(new_lengths)[:-1]]).astype(np.int64)
    source = np.repeat(starts[chosen] - new_starts, new_lengths) + np.arange(int(new_lengths.sum()))
    return flat[source], new_lengths


def shuffled(rng, corpus, labels):
    """The texts and labels in one random order (``rng.shuffle`` of the indices, as Keras).

    Args:
        rng: a ``np.random.RandomState``.
        corpus: ``(flat, lengths)``.
        labels: one label per text.

    Returns:
        ``(corpus, labels)``.
    """
    indices = np.arange(len(labels))
    rng.shuffle(indices)
    return take(corpus, indices), np.asarray(labels)[indices]


def shift_and_prefix(corpus, start_char, index_from):
    """Ranks -> ids: ``+ index_from``, with ``start_char`` in front of every text (if not None).

    Args:
        corpus: ``(flat, lengths)`` of ranks.
        start_char: the first id of every text, or None.
        index_from: added to every rank.

    Returns:
        ``(flat, lengths)``.
    """
    flat, lengths = corpus
    flat = flat + index_from
    if start_char is None:
        return flat, lengths
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return np.insert(flat, starts, start_char), lengths + 1


def remove_long(maxlen, corpus, labels):
    """Keeps the texts shorter than ``maxlen`` and their labels.

    Args:
        maxlen: the exclusive length limit.
        corpus: ``(flat, lengths)``.
        labels: one label per text.

    Returns:
        ``(corpus, labels)``.
    """
    kept = np.flatnonzero(corpus[1] < maxlen)
    return take(corpus, kept), np.asarray(labels)[kept]


def limit_vocabulary(corpus, num_words, skip_top, oov_char):
    """Ids outside ``skip_top <= id < num_words`` become ``oov_char`` (dropped if it is None).

    Args:
        corpus: ``(flat, lengths)`` of ids.
        num_words: the exclusive upper limit (None or 0: the largest id, which then becomes oov too).
        skip_top: the inclusive lower limit.
        oov_char: the replacement id, or None.

    Returns:
        ``(flat, lengths)``.
    """
    flat, lengths = corpus
    if not num_words:
        num_words = int(flat.max()) if flat.size else 0
    inside = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        return np.where(inside, flat, oov_char), lengths
    owner = np.repeat(np.arange(len(lengths)), lengths)                     # text of each word
    return flat[inside], np.bincount(owner[inside], minlength=len(lengths)).astype(np.int64)


def to_lists(corpus):
    """Keras's form: a list of int lists.

    Keras then makes each split an object array with ``np.array(lists, dtype='object')``, which is
    2-D when all texts of the split have the same length.

    Args:
        corpus: ``(flat, lengths)``.

    Returns:
        list of lists.
    """
    flat, lengths = corpus
    words, bounds = flat.tolist(), np.concatenate([[0], np.cumsum(lengths)]).tolist()
    return [words[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def check_load_arguments(kwargs, **limits):
    """Keras's argument checks of the text loaders: ``nb_words`` renamed, nothing else unknown.

    Args:
        kwargs: the extra keyword arguments the loader received.
        **limits: ``num_words``, ``maxlen`` etc. to check (non-negative ints or None).

    Returns:
        ``num_words`` (taken from Keras 1's ``nb_words`` if given).

    Raises:
        TypeError: for an unknown keyword argument.
        ValueError: for a negative or non-integer limit.
    """
    kwargs = dict(kwargs)
    num_words = kwargs.pop("nb_words", limits.get("num_words"))
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    for name, value in dict(limits, num_words=num_words).items():
        if value is not None and (isinstance(value, bool) or int(value) != value or value < 0):
            raise ValueError(f"{name} must be None or a non-negative int, got {value!r}.")
    return num_words


def topic_ranks(num_classes, vocabulary, rng, topic_words=25):
    """The ranks of the words typical of each class: ``(num_classes, topic_words)``, among ranks 30..2999.

    Args:
        num_classes: number of labels.
        vocabulary: the largest rank.
        rng: a ``np.random.Generator``.
        topic_words: words per class.

    Returns:
        np.ndarray of ints.
    """
    return np.stack([rng.choice(np.arange(30, min(3000, vocabulary)), topic_words, replace=False)
                     for _ in range(num_classes)])


def generate_corpus(n, num_classes, vocabulary, rng, class_weights=None, mean_length=230, topic_words=25,
                    topic_share=0.12):
    """Texts as word ranks: a Zipf-distributed background plus words typical of each class.

    Each class has ``topic_words`` ranks of its own (drawn among ranks 30..3000); a share
    ``topic_share`` of a text's words comes from its class's words, the rest from the background
    ``P(rank r) ~ 1 / r``. Lengths are log-normal around ``mean_length``. A bag-of-words model
    learns the classes in an epoch or two.

    Args:
        n: number of texts.
        num_classes: number of labels.
        vocabulary: the largest rank.
        rng: a ``np.random.Generator``.
        class_weights: relative class frequencies (default: equal).
        mean_length: typical text length.
        topic_words: words typical of each class.
        topic_share: fraction of a text drawn from its class's words.

    Returns:
        ``(corpus, labels, topics)``: ragged ``(flat, lengths)`` ranks, int64 labels, and each class's
        typical ranks ``(classes, topic_words)``.
    """
    topics = topic_ranks(num_classes, vocabulary, rng, topic_words)          # drawn first: see imdb.get_word_index
    weights = np.ones(num_classes) if class_weights is None else np.asarray(class_weights, dtype=float)
    labels = rng.choice(num_classes, n, p=weights / weights.sum()).astype(np.int64)
    lengths = np.clip(rng.lognormal(np.log(mean_length), 0.5, n), 8, 6 * mean_length).astype(np.int64)
    owner = np.repeat(labels, lengths)                                        # (words,) class of each word
    words = np.floor((vocabulary + 1.0) ** rng.random(owner.size)).astype(np.int64)  # P(r) ~ 1/r, r >= 1
    words = np.minimum(words, vocabulary)
    typical = np.flatnonzero(rng.random(owner.size) < topic_share)
    words[typical] = topics[owner[typical], rng.integers(0, topic_words, typical.size)]
    return (words.astype(np.int32), lengths), labels, topics                 # int32: half the memory

def word_index_for(vocabulary, named):
    """A ``{word: rank}`` dictionary for a stand-in corpus: ``named`` words first, then ``'w<rank>'``.

    Args:
        vocabulary: the largest rank.
        named: ``{rank: word}`` for ranks that get real words.

    Returns:
        dict.
    """
    return {named.get(rank, f"w{rank}"): rank for rank in range(1, vocabulary + 1)}


__all__ = ["ragged", "take", "to_lists", "shuffled", "shift_and_prefix", "remove_long", "limit_vocabulary", "check_load_arguments",
           "topic_ranks", "generate_corpus", "word_index_for"]
