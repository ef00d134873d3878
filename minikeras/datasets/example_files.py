"""Offline stand-ins for the data files Keras's example scripts fetch with ``get_file``.

Offline (:func:`minikeras.datasets.use_offline`), ``utils.get_file(origin=URL)`` for a URL listed
in ``STANDINS`` returns a generated file of the same format instead of downloading: today the
Nietzsche text of ``lstm_text_generation.py``. The file is written into a ``minikeras-offline``
folder of the temporary directory — never into Keras's cache, which keeps only real downloads.
Its size follows :func:`~minikeras.datasets.offline.data_scale`.

>>> from minikeras.datasets import use_offline
>>> from minikeras.utils import get_file
>>> with use_offline(scale=0.01):
...     path = get_file("nietzsche.txt", origin="https://s3.amazonaws.com/text-datasets/nietzsche.txt")
...     text = open(path, encoding="utf-8").read()
>>> len(text) > 5000, text[:4]
(True, 'PREF')
"""
import os
import tempfile

import numpy as np

from . import offline

_WORDS = ("the of and to in is that a it as which not for be with this by he we all are his one our has "
          "man life truth what morality will power spirit philosopher free knowledge itself own must soul "
          "good evil great nature god virtue there more than very perhaps even such only so at how however "
          "feeling thought art people world reason pleasure suffering science belief religion").split()


def nietzsche_text(length, seed=0):
    """Generated English-looking prose of about ``length`` characters (sentences of common words).

    Args:
        length: number of characters wanted.
        seed: the same seed gives the same text.

    Returns:
        str: a ``PREFACE`` line, then numbered paragraphs of sentences.
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(_WORDS) + 1)                    # frequent words first, as in prose
    weights /= weights.sum()
    parts, size, number = ["PREFACE\n\n\n"], 10, 1
    while size < length:
        words = rng.choice(_WORDS, size=rng.integers(6, 20), p=weights)
        sentence = " ".join(words).capitalize() + rng.choice([".", ".", ",", ";", "?", "!"]) + " "
        if rng.random() < 0.08:
            number += 1
            sentence += f"\n\n{number}. "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)


_PAIRS = {  # English -> French: subjects (with the French verb ending's person), verbs, objects
    "subjects": [("I", "Je", 0), ("You", "Tu", 1), ("He", "Il", 2), ("She", "Elle", 2), ("We", "Nous", 3),
                 ("They", "Ils", 5)],
    "verbs": [("see", ["vois", "vois", "voit", "voyons", "voyez", "voient"]),
              ("want", ["veux", "veux", "veut", "voulons", "voulez", "veulent"]),
              ("eat", ["mange", "manges", "mange", "mangeons", "mangez", "mangent"]),
              ("like", ["aime", "aimes", "aime", "aimons", "aimez", "aiment"]),
              ("take", ["prends", "prends", "prend", "prenons", "prenez", "prennent"])],
    "objects": [("the bread", "le pain"), ("the apple", "la pomme"), ("the cat", "le chat"), ("the car", "la voiture"),
                ("the book", "le livre"), ("the water", "l'eau"), ("the house", "la maison"), ("it", "ça")],
}


def fra_eng_pairs(lines, seed=0):
    """Generated English-French sentence pairs in the format of manythings.org's ``fra.txt``.

    Args:
        lines: number of lines (pairs).
        seed: the same seed gives the same pairs.

    Returns:
        str: lines ``English<TAB>French``, each ending in a newline.
    """
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(lines):
        english, french, person = _PAIRS["subjects"][rng.integers(len(_PAIRS["subjects"]))]
        verb, forms = _PAIRS["verbs"][rng.integers(len(_PAIRS["verbs"]))]
        thing, chose = _PAIRS["objects"][rng.integers(len(_PAIRS["objects"]))]
        verb = verb + "s" if person == 2 else verb
        mark = "." if rng.random() < 0.8 else "!"
        out.append(f"{english} {verb} {thing}{mark}\t{french} {forms[person]} {chose}{' ' if mark == '!' else ''}"
                   f"{mark}\n")
    return "".join(out)


#: Files that Keras's examples read from a folder the user fills by hand: relative path ->
#: (a function returning the text for a number of lines, the real file's number of lines).
LOCAL_FILES = {
    "fra-eng/fra.txt": (fra_eng_pairs, 10000),   # the examples read its first 10,000 lines
}


def write_local_file(relative_path, folder):
    """Writes the generated stand-in of ``relative_path`` (a key of ``LOCAL_FILES``) under ``folder``.

    Args:
        relative_path: the path the example opens, e.g. ``'fra-eng/fra.txt'``.
        folder: the folder the example runs in.

    Returns:
        str: the path written.

    Raises:
        KeyError: for a file that has no stand-in.
    """
    generate, real_lines = LOCAL_FILES[relative_path]
    path = os.path.join(folder, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(generate(offline.scaled(real_lines)))
    os.replace(temporary, path)
    return path


#: URL -> (a function returning the file's text for a scale, the real file's size in characters).
STANDINS = {
    "https://s3.amazonaws.com/text-datasets/nietzsche.txt": (nietzsche_text, 600901),
}


def standin_path(origin):
    """The path of ``origin``'s generated stand-in, writing it first if needed; None for an unknown URL.

    Args:
        origin: the URL passed to ``get_file``.

    Returns:
        str or None.
    """
    if origin not in STANDINS:
        return None
    generate, real_size = STANDINS[origin]
    length = int(real_size * offline.data_scale())
    folder = os.path.join(tempfile.gettempdir(), "minikeras-offline")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{length}-{os.path.basename(origin)}")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(generate(length))
        os.replace(temporary, path)
    return path


__all__ = ["standin_path", "write_local_file", "nietzsche_text", "fra_eng_pairs", "STANDINS", "LOCAL_FILES"]
