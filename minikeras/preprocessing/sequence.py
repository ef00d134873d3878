"""Sequence preprocessing (Keras ``keras.preprocessing.sequence``): padding, time-series windows, skip-grams.

* :func:`pad_sequences` turns a list of variable-length lists into one ``(samples, maxlen)`` array;
* :class:`TimeseriesGenerator` cuts a long series into ``(batch, length, features)`` windows, as a
  :class:`~minikeras.utils.Sequence` that ``fit`` accepts;
* :func:`make_sampling_table` and :func:`skipgrams` build word2vec training pairs.

>>> pad_sequences([[1, 2, 3], [4, 5]], maxlen=4).tolist()
[[0, 1, 2, 3], [0, 0, 4, 5]]
"""
import random

import numpy as np

from ..utils.data_utils import Sequence

#: The two places padding or truncation can happen.
SIDES = ("pre", "post")


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (or truncates) every sequence to the same length ``maxlen``.

    Sequences longer than ``maxlen`` lose items at the start (``truncating='pre'``) or at the
    end (``'post'``); shorter ones get ``value`` added at the start (``padding='pre'``) or at
    the end. The result is cast to ``dtype``, so floats are truncated to ints by default.

    Args:
        sequences: a list of sequences (lists or arrays; items may be scalars or equal-shape arrays).
        maxlen: the output length; default: the longest sequence.
        dtype: the output dtype (``object`` for strings).
        padding: ``'pre'`` or ``'post'``: where to add ``value``.
        truncating: ``'pre'`` or ``'post'``: where to drop items of sequences longer than ``maxlen``.
        value: the padding value.

    Returns:
        np.ndarray of shape ``(len(sequences), maxlen) + item_shape``.

    Raises:
        ValueError: for an unknown ``padding``/``truncating``, a non-iterable sequence, items of
            different shapes, or a string ``value`` with a non-object dtype.

    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2, padding='post', truncating='post').tolist()
    [[1, 2], [4, 0]]
    """
    if padding not in SIDES:
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in SIDES:
        raise ValueError(f'Truncating type "{truncating}" not understood')
    if maxlen is not None and (int(maxlen) != maxlen or maxlen < 0):
        raise ValueError(f"maxlen must be None or a non-negative int, got {maxlen!r}.")
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__iter__"):
        raise ValueError(f"`sequences` must be a list of sequences (one per sample), got {type(sequences).__name__} "
                         f"{sequences!r}.")
    lengths, item_shape = [], None
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError as e:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {x!r}") from e
        if item_shape is None and len(x):
            try:
                item_shape = np.asarray(x).shape[1:]
            except ValueError as e:   # NumPy's "inhomogeneous shape": nested lists of different lengths
                raise ValueError(f"Sequence {len(lengths) - 1} of `sequences` is ragged below its first level "
                                 f"({x!r}); each step must have the same shape.") from e
    item_shape = item_shape or ()
    is_text_dtype = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and np.dtype(dtype) != object and not is_text_dtype:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}. "
                         f"You should set `dtype=object` for variable length strings.")
    maxlen = int(maxlen) if maxlen is not None else (max(lengths) if lengths else 0)
    out = np.full((len(lengths), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for i, seq in enumerate(sequences):
        if not len(seq):
            continue
        try:
            kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        except (TypeError, ValueError) as e:
            raise ValueError(f"Sequence {i} of `sequences` does not convert to dtype {dtype!r} ({e}); for text, "
                             f"pass dtype=object (and a string `value`), or turn the words into ids first "
                             f"(Tokenizer.texts_to_sequences).") from e
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different from "
                             f"expected shape {tuple(item_shape)}")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out


def make_sampling_table(size, sampling_factor=1e-5):
    """Probability of keeping each word rank when sampling skip-grams (word2vec's sub-sampling).

    Word frequencies are assumed to follow Zipf's law: the word of rank ``r`` has frequency
    ``f(r) ~ 1 / (r (ln r + gamma))``; a word is kept with probability
    ``min(1, sqrt(sampling_factor / f))`` (so frequent words are mostly skipped).

    Args:
        size: the vocabulary size (index 0 is padding and gets the same value as index 1).
        sampling_factor: word2vec's ``t`` (smaller = frequent words skipped more often).

    Returns:
        np.ndarray ``(size,)`` of probabilities.

    >>> make_sampling_table(4).round(4).tolist()
    [0.0032, 0.0032, 0.0055, 0.0074]
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"make_sampling_table: size must be a positive int (the vocabulary size), got {size!r}.")
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True, categorical=False,
              sampling_table=None, seed=None):
    """Word-pair training data for word2vec: ``([word, context], label)`` pairs.

    Every non-zero word and each non-zero neighbour within ``window_size`` is a positive pair
    (label 1); ``negative_samples`` times as many pairs of a word and a random id are added
    with label 0. Uses Python's ``random`` module as Keras does (``set_random_seed`` seeds it).

    Args:
        sequence: a list of word ids (0 is padding and is skipped).
        vocabulary_size: ids are below this.
        window_size: how far a context word may be.
        negative_samples: negatives per positive (0 for none).
        shuffle: shuffle the pairs (both lists the same way).
        categorical: labels as ``[0, 1]`` / ``[1, 0]`` instead of 1 / 0.
        sampling_table: keep-probability per id (see :func:`make_sampling_table`).
        seed: seed of the shuffle.

    Returns:
        ``(couples, labels)``: a list of ``[word, context]`` and a list of labels.

    >>> skipgrams([1, 2], 3, window_size=1, negative_samples=0, shuffle=False)
    ([[1, 2], [2, 1]], [1, 1])
    """
    couples, labels = [], []
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append([0, 1] if categorical else 1)
    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [[words[i % len(words)], random.randint(1, vocabulary_size - 1)] for i in range(count)]
        labels += [[1, 0] if categorical else 0] * count
    if shuffle:
        seed = random.randint(0, int(10e6)) if seed is None else seed
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


class TimeseriesGenerator(Sequence):
    """Batches of windows over a time series: sample ``i`` is ``data[row - length:row:sampling_rate]``
    and its target ``targets[row]``.

    Args:
        data: the series, indexed by time on axis 0 (array or list).
        targets: one target per time step (same length as ``data``).
        length: how many time steps back each window reaches.
        sampling_rate: keep every ``sampling_rate``-th step inside a window.
        stride: steps between consecutive windows.
        start_index, end_index: the first and last ``row`` used (``end_index`` default: the last step).
        shuffle: draw the rows of each batch at random (``np.random``) instead of in order.
        reverse: windows in reverse time order.
        batch_size: windows per batch.

    Raises:
        ValueError: when ``data`` and ``targets`` differ in length, or no window fits.

    >>> import numpy as np
    >>> gen = TimeseriesGenerator(np.arange(10), np.arange(10), length=3, batch_size=2)
    >>> len(gen), gen[0][0].tolist(), gen[0][1].tolist()
    (4, [[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0, end_index=None,
                 shuffle=False, reverse=False, batch_size=128):
        if len(data) != len(targets):
            raise ValueError(f"Data and targets have to be of same length. Data length is {len(data)} while "
                             f"target length is {len(targets)}")
        for name, number in (("length", length), ("sampling_rate", sampling_rate), ("stride", stride),
                             ("batch_size", batch_size)):
            if int(number) != number or number < 1:
                raise ValueError(f"{name} must be a positive int, got {number!r}.")
        self.data, self.targets = np.asarray(data), np.asarray(targets)
        self.length, self.sampling_rate, self.stride = int(length), int(sampling_rate), int(stride)
        self.start_index = start_index + self.length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle, self.reverse, self.batch_size = shuffle, reverse, int(batch_size)
        if self.start_index > self.end_index:
            raise ValueError(f"`start_index+length={self.start_index} > end_index={self.end_index}` is "
                             f"disallowed, as no part of the sequence would be left to be used as current step.")

    def __len__(self):
        """Batches per epoch: ``ceil((end_index - start_index + 1) / (batch_size * stride))``."""
        step = self.batch_size * self.stride
        return (self.end_index - self.start_index + step) // step

    def __getitem__(self, index):
        """Returns batch ``index``: ``(windows (batch, length // sampling_rate, ...), targets (batch, ...))``."""
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(first, min(first + self.batch_size * self.stride, self.end_index + 1), self.stride)
        steps = np.arange(-self.length, 0, self.sampling_rate)             # (window,) offsets back in time
        samples = self.data[rows[:, None] + steps]                          # (batch, window, ...)
        return (samples[:, ::-1] if self.reverse else samples), self.targets[rows]


__all__ = ["pad_sequences", "make_sampling_table", "skipgrams", "TimeseriesGenerator"]


def remove_long_sequences(maxlen, seq, label):
    """Keeps the sequences shorter than ``maxlen``, and their labels (what ``imdb.load_data(maxlen=)`` does).

    Keras (2.2.4 and tf_keras) names it ``_remove_long_seq``; that name is kept as an alias.

    Args:
        maxlen (int): the exclusive length limit.
        seq (list): the sequences.
        label (list): one label per sequence.

    Returns:
        tuple: ``(kept sequences, their labels)``, two lists.

    >>> remove_long_sequences(3, [[1, 2], [1, 2, 3], [4]], ['a', 'b', 'c'])
    ([[1, 2], [4]], ['a', 'c'])
    """
    kept = [(x, y) for x, y in zip(seq, label) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


_remove_long_seq = remove_long_sequences   # Keras's name (its own tests import it)
