"""``Tokenizer``: a vocabulary learned from texts, and texts as id sequences or count matrices.

``fit_on_texts`` numbers the words from 1 by descending count, ties in first-seen order (0 is left
for padding); ``texts_to_sequences`` and ``texts_to_matrix`` (binary, count, freq or tf-idf) use it.
Every output equals tf_keras's (``tests/preprocessing/test_text.py`` compares them live).

>>> tokenizer = Tokenizer()
>>> tokenizer.fit_on_texts(['the cat sat', 'the dog'])
>>> tokenizer.word_index
{'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
>>> tokenizer.texts_to_sequences(['the dog sat down'])
[[1, 4, 3]]
"""
import json
import warnings
from collections import OrderedDict, defaultdict

import numpy as np

from .words import FILTERS, text_to_word_sequence

#: ``texts_to_matrix`` modes.
MODES = ("binary", "count", "tfidf", "freq")


class Tokenizer:
    """Learns a word vocabulary and turns texts into id sequences or count matrices.

    Args:
        num_words: keep only ids below ``num_words`` when converting (``word_index`` keeps all words).
        filters: characters removed from texts.
        lower: lower-case texts.
        split: word separator.
        char_level: every character is a token.
        oov_token: a token (id 1) that replaces words out of the vocabulary when converting.
        analyzer: a function text -> tokens used instead of :func:`text_to_word_sequence`.
        **kwargs: ``document_count`` (restoring), and Keras 1's ``nb_words``.

    Raises:
        TypeError: for any other keyword argument.

    >>> t = Tokenizer(num_words=3, oov_token='<OOV>')
    >>> t.fit_on_texts(['a a b c'])
    >>> t.texts_to_sequences(['a b c d'])
    [[2, 1, 1, 1]]
    """

    def __init__(self, num_words=None, filters=FILTERS, lower=True, split=" ", char_level=False, oov_token=None,
                 analyzer=None, **kwargs):
        if "nb_words" in kwargs:
            warnings.warn("The `nb_words` argument in `Tokenizer` has been renamed `num_words`.")
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        if num_words is not None and (isinstance(num_words, bool) or not isinstance(num_words, int) or num_words < 1):
            raise ValueError(f"Tokenizer: num_words must be a positive int (keep the num_words - 1 most common words) "
                             f"or None (keep all), got {num_words!r}.")
        self.word_counts, self.word_docs, self.index_docs = OrderedDict(), defaultdict(int), defaultdict(int)
        self.word_index, self.index_word = {}, {}
        self.num_words, self.filters, self.lower, self.split = num_words, filters, lower, split
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer
        self.document_count = document_count

    def _tokens(self, text):
        """A text (or a list of tokens) as its list of tokens."""
        if not isinstance(text, (str, list)):
            raise TypeError(f"Tokenizer: each text must be a string (or a list of tokens), got "
                            f"{type(text).__name__} {text!r}. Convert your texts first, e.g. [str(t) for t in texts].")
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Counts the words of ``texts`` and (re)builds ``word_index``.

        Args:
            texts: a list of strings (or of lists of tokens).
        """
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(tokens):
                self.word_docs[word] += 1
        by_count = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)  # stable: ties keep order
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [word for word, _ in by_count]
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts documents per id (for ``tfidf``) from sequences of ids.

        Args:
            sequences: a list of lists of ids.
        """
        self.document_count += len(sequences)
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] += 1

    def _kept(self, index):
        """The id to emit for a known ``index``: itself, the oov id, or None (dropped)."""
        if self.num_words and index >= self.num_words:
            return self.word_index.get(self.oov_token)
        return index

    def texts_to_sequences_generator(self, texts):
        """Yields one list of ids per text (see :meth:`texts_to_sequences`).

        Args:
            texts: a list of strings.
        """
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            ids = [self.word_index.get(word) for word in self._tokens(text)]
            ids = [oov_index if index is None else self._kept(index) for index in ids]
            yield [index for index in ids if index is not None]

    def texts_to_sequences(self, texts):
        """Each text as a list of ids; unknown words are dropped (or become the oov id).

        Args:
            texts: a list of strings.

        Returns:
            list of lists of ints.
        """
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        """Yields one text per sequence of ids (see :meth:`sequences_to_texts`).

        Args:
            sequences: a list of lists of ids.
        """
        oov_index = self.word_index.get(self.oov_token)
        for seq in sequences:
            ids = [self._kept(num) if num in self.index_word else oov_index for num in seq]
            yield " ".join(self.index_word[index] for index in ids if index is not None)

    def sequences_to_texts(self, sequences):
        """Each sequence of ids back as a text (words joined by spaces).

        Args:
            sequences: a list of lists of ids.

        Returns:
            list of strings.
        """
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """One row per text, one column per id: see :meth:`sequences_to_matrix`.

        Args:
            texts: a list of strings.
            mode: ``'binary'``, ``'count'``, ``'tfidf'`` or ``'freq'``.

        Returns:
            np.ndarray ``(len(texts), num_words)`` (float64).
        """
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """One row per sequence: in column ``i``, for the ``c`` occurrences of id ``i``:

        ``binary`` 1, ``count`` c, ``freq`` c / len(sequence),
        ``tfidf`` (1 + ln c) * ln(1 + documents / (1 + documents containing i)).

        Args:
            sequences: a list of lists of ids.
            mode: ``'binary'``, ``'count'``, ``'tfidf'`` or ``'freq'``.

        Returns:
            np.ndarray ``(len(sequences), num_words or len(word_index) + 1)``; ids beyond are ignored.

        Raises:
            ValueError: for an unknown mode, or before any fit without ``num_words``.
        """
        if mode not in MODES:
            raise ValueError(f"Unknown vectorization mode: {mode!r}; use one of {list(MODES)}.")
        if self.num_words:
            num_words = self.num_words
        elif self.word_index:
            num_words = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        x = np.zeros((len(sequences), num_words))
        if mode == "tfidf":
            docs = np.array([self.index_docs.get(i, 0) for i in range(num_words)], dtype=float)
            idf = np.log(1 + self.document_count / (1 + docs))                 # (num_words,)
        for row, seq in enumerate(sequences):
            ids = np.asarray(seq, dtype=np.int64)
            counts = np.bincount(ids[ids < num_words], minlength=num_words).astype(float)  # (num_words,)
            present = counts > 0
            if mode == "count":
                x[row] = counts
            elif mode == "freq":
                x[row] = counts / max(len(seq), 1)
            elif mode == "binary":
                x[row] = present
            else:
                x[row, present] = (1 + np.log(counts[present])) * idf[present]
        return x

    def get_config(self):
        """The Tokenizer's settings and learned counts; the five dictionaries as JSON strings (as Keras).

        Returns:
            dict.
        """
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower, "split": self.split,
                "char_level": self.char_level, "oov_token": self.oov_token,
                "document_count": self.document_count, "word_counts": json.dumps(self.word_counts),
                "word_docs": json.dumps(self.word_docs), "index_docs": json.dumps(self.index_docs),
                "index_word": json.dumps(self.index_word), "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        """``{"class_name": "Tokenizer", "config": get_config()}`` as a JSON string.

        Args:
            **kwargs: passed to ``json.dumps`` (e.g. ``indent=2``).

        Returns:
            str; read it back with :func:`tokenizer_from_json`.
        """
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """Rebuilds a :class:`Tokenizer` from :meth:`Tokenizer.to_json`'s string.

    Args:
        json_string: the JSON text.

    Returns:
        Tokenizer.

    Raises:
        ValueError: for JSON that is not a saved Tokenizer.

    >>> t = Tokenizer()
    >>> t.fit_on_texts(['b a b'])
    >>> tokenizer_from_json(t.to_json()).word_index
    {'b': 1, 'a': 2}
    """
    saved = json.loads(json_string)
    config = saved.get("config") if isinstance(saved, dict) and saved.get("class_name") == "Tokenizer" else None
    if not isinstance(config, dict) or not {"word_counts", "word_docs", "word_index", "index_docs",
                                            "index_word"} <= set(config):
        raise ValueError("tokenizer_from_json takes the string of Tokenizer.to_json() ({'class_name': 'Tokenizer', "
                         "'config': {...word_counts, word_index...}}); this JSON is something else.")
    config = dict(config)
    counts = {name: json.loads(config.pop(name)) for name in ("word_counts", "word_docs", "word_index")}
    by_id = {name: {int(k): v for k, v in json.loads(config.pop(name)).items()} for name in ("index_docs",
                                                                                            "index_word")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts, tokenizer.word_docs = counts["word_counts"], counts["word_docs"]
    tokenizer.word_index, tokenizer.index_docs = counts["word_index"], by_id["index_docs"]
    tokenizer.index_word = by_id["index_word"]
    return tokenizer


__all__ = ["Tokenizer", "tokenizer_from_json", "MODES"]
