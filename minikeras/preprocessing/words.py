"""Words from a text, and words hashed to ids (Keras ``text_to_word_sequence``, ``hashing_trick``, ``one_hot``).

>>> text_to_word_sequence('Hello, World!')
['hello', 'world']
"""
import hashlib

#: Characters removed by default: punctuation, tabs and newlines (not the apostrophe).
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=FILTERS, lower=True, split=" "):
    """Splits a text into words: lower-cased, every filter character turned into ``split``.

    Args:
        input_text: the text.
        filters: characters to remove.
        lower: lower-case first.
        split: the word separator.

    Returns:
        list of words (empty strings dropped).

    Raises:
        TypeError: if ``input_text`` is not a string.

    >>> text_to_word_sequence("Hello, World!  It's   a test")
    ['hello', 'world', "it's", 'a', 'test']
    """
    if not isinstance(input_text, str):
        raise TypeError(f"text_to_word_sequence takes a string, got {type(input_text).__name__} {input_text!r}. "
                        f"Convert your texts first, e.g. [str(t) for t in texts].")
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in input_text.split(split) if word]


def _md5(word):
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=FILTERS, lower=True, split=" ", analyzer=None):
    """Turns a text into word ids ``hash(word) % (n - 1) + 1`` (never 0; collisions possible).

    Args:
        text: the text.
        n: the size of the id space.
        hash_function: None (Python's ``hash``: differs between runs unless ``PYTHONHASHSEED`` is
            set), ``'md5'`` (stable), or a function of a string returning an int.
        filters, lower, split: as in :func:`text_to_word_sequence`.
        analyzer: a function text -> words used instead of :func:`text_to_word_sequence`.

    Returns:
        list of ints in ``1..n-1``.

    >>> hashing_trick('the cat the', 10, hash_function='md5')
    [6, 3, 6]
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5
    words = text_to_word_sequence(text, filters, lower, split) if analyzer is None else analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=FILTERS, lower=True, split=" ", analyzer=None):
    """:func:`hashing_trick` with Python's ``hash`` (Keras's name: it returns ids, not one-hot vectors).

    Args:
        input_text: the text.
        n: the size of the id space.
        filters, lower, split: as in :func:`text_to_word_sequence`.
        analyzer: a function text -> words.

    Returns:
        list of ints in ``1..n-1``.

    >>> len(one_hot('the cat the', 10))
    3
    """
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
                         analyzer=analyzer)


__all__ = ["text_to_word_sequence", "hashing_trick", "one_hot", "FILTERS"]
