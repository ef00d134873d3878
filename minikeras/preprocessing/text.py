"""Text preprocessing (Keras ``keras.preprocessing.text``): words to ids, ids to vectors.

:class:`Tokenizer` (in :mod:`~minikeras.preprocessing.tokenizer`) learns a vocabulary from texts and
turns texts into id sequences or matrices; :func:`hashing_trick` and :func:`one_hot` (in
:mod:`~minikeras.preprocessing.words`) skip the vocabulary and hash each word to an id.

>>> tokenizer = Tokenizer(num_words=3, oov_token='<OOV>')
>>> tokenizer.fit_on_texts(['a a b c'])
>>> tokenizer.texts_to_sequences(['a b c d'])
[[2, 1, 1, 1]]
"""
from .tokenizer import Tokenizer, tokenizer_from_json
from .words import hashing_trick, one_hot, text_to_word_sequence

__all__ = ["text_to_word_sequence", "one_hot", "hashing_trick", "Tokenizer", "tokenizer_from_json"]
