"""Preprocessing (Keras ``keras.preprocessing``): ``sequence`` (padding, time-series windows, skip-grams),
``text`` (Tokenizer, hashing) and ``image`` (ImageDataGenerator, image files).

>>> from minikeras.preprocessing.sequence import pad_sequences
>>> pad_sequences([[1], [2, 3]]).tolist()
[[0, 1], [2, 3]]
"""
from . import image, sequence, text

__all__ = ["image", "sequence", "text"]
