"""Tokenizer and the hashing helpers: recorded Keras facts, and every output equal to live tf_keras."""
import json

import numpy as np
import pytest

from minikeras.preprocessing.text import Tokenizer, hashing_trick, one_hot, text_to_word_sequence, tokenizer_from_json

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; CAT?"]


def test_word_index_by_count_then_first_seen():
    # Recorded from tf_keras 2.21 (/work/shared/keras_facts/out_s08.txt).
    t = Tokenizer()
    t.fit_on_texts(TEXTS)
    assert t.word_index == {"the": 1, "cat": 2, "dog": 3, "sat": 4, "on": 5, "mat": 6, "ate": 7, "my": 8,
                            "homework": 9}
    assert t.document_count == 3 and t.word_docs["cat"] == 2 and t.index_docs[2] == 2
    assert t.texts_to_sequences(["the cat the", "mat"]) == [[1, 2, 1], [6]]
    assert t.sequences_to_texts([[1, 2, 99]]) == ["the cat"]


def test_num_words_and_oov():
    t = Tokenizer(num_words=3)
    t.fit_on_texts(TEXTS)
    assert len(t.word_index) == 9 and t.texts_to_sequences(["the cat dog sat"]) == [[1, 2]]
    t = Tokenizer(num_words=3, oov_token="<OOV>")
    t.fit_on_texts(TEXTS)
    assert list(t.word_index.items())[:3] == [("<OOV>", 1), ("the", 2), ("cat", 3)]
    assert t.texts_to_sequences(["the cat dog sat zebra"]) == [[2, 1, 1, 1, 1]]


def test_matrix_modes():
    t = Tokenizer()
    t.fit_on_texts(TEXTS)
    texts = ["the cat the", "dog"]
    assert t.texts_to_matrix(texts, "binary")[0, :4].tolist() == [0, 1, 1, 0]
    assert t.texts_to_matrix(texts, "count")[0, :4].tolist() == [0, 2, 1, 0]
    np.testing.assert_allclose(t.texts_to_matrix(texts, "freq")[0, 1:3], [2 / 3, 1 / 3])
    tfidf = t.texts_to_matrix(texts, "tfidf")
    np.testing.assert_allclose(tfidf[0, 1], (1 + np.log(2)) * np.log(1 + 3 / 3), rtol=1e-12)   # 1.1736
    assert tfidf.shape == (2, 10)
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        t.texts_to_matrix(texts, "tf")
    with pytest.raises(ValueError, match="fit on some text data first"):
        Tokenizer().texts_to_matrix(texts)


def test_char_level_json_and_errors():
    t = Tokenizer(char_level=True)
    t.fit_on_texts(["abc", "b"])
    assert t.word_index == {"b": 1, "a": 2, "c": 3}
    restored = tokenizer_from_json(t.to_json())
    assert restored.word_index == t.word_index and restored.index_docs == {1: 2, 2: 1, 3: 1}
    config = json.loads(t.to_json())
    assert config["class_name"] == "Tokenizer" and isinstance(config["config"]["word_counts"], str)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        Tokenizer(words=3)


def test_word_sequence_and_hashing():
    assert text_to_word_sequence("Hello, World! It's   a test\tline") == ["hello", "world", "it's", "a", "test",
                                                                          "line"]
    assert hashing_trick("the cat the", 10, hash_function="md5") == [6, 3, 6]
    ids = one_hot("a b c d e f", 5)
    assert all(1 <= i <= 4 for i in ids) and ids == one_hot("a b c d e f", 5)


# ---------------------------------------------------------------------------------- live tf_keras
MORE = TEXTS + ["it's a dog's life", "", "Homework\tand more homework\n"]
QUERIES = ["the cat and the unknown dog", "homework mat mat mat", "", "zebra"]


@pytest.mark.tf_keras
@pytest.mark.parametrize("kwargs", [{}, {"num_words": 4}, {"oov_token": "<OOV>"}, {"num_words": 4, "oov_token": "<OOV>"},
                                    {"char_level": True}, {"lower": False, "filters": "."}])
def test_tokenizer_equals_tf_keras(tk_preprocessing, kwargs):
    theirs, ours = tk_preprocessing[0].Tokenizer(**kwargs), Tokenizer(**kwargs)
    theirs.fit_on_texts(MORE)
    ours.fit_on_texts(MORE)
    assert ours.word_index == theirs.word_index and list(ours.word_counts.items()) == list(theirs.word_counts.items())
    assert dict(ours.word_docs) == dict(theirs.word_docs) and dict(ours.index_docs) == dict(theirs.index_docs)
    assert ours.texts_to_sequences(QUERIES) == theirs.texts_to_sequences(QUERIES)
    assert ours.sequences_to_texts([[1, 2, 3, 99, 7], [5, 5, 0]]) == theirs.sequences_to_texts([[1, 2, 3, 99, 7],
                                                                                                 [5, 5, 0]])
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_array_equal(ours.texts_to_matrix(QUERIES, mode), theirs.texts_to_matrix(QUERIES, mode))
    assert json.loads(ours.to_json()) == json.loads(theirs.to_json())
    assert tokenizer_from_json(theirs.to_json()).texts_to_sequences(QUERIES) == theirs.texts_to_sequences(QUERIES)


@pytest.mark.tf_keras
def test_fit_on_sequences_and_hashing_equal_tf_keras(tk_preprocessing):
    tk_text = tk_preprocessing[0]
    theirs, ours = tk_text.Tokenizer(num_words=6), Tokenizer(num_words=6)
    for t in (theirs, ours):
        t.fit_on_sequences([[1, 2, 2, 5], [3, 9]])
    seqs = [[1, 2, 2, 5, 7], [3]]
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_array_equal(ours.sequences_to_matrix(seqs, mode), theirs.sequences_to_matrix(seqs, mode))
    for text in ("The quick brown fox", "a, b; c! a"):
        assert hashing_trick(text, 7, "md5") == tk_text.hashing_trick(text, 7, "md5")
        assert one_hot(text, 11) == tk_text.one_hot(text, 11)
        assert text_to_word_sequence(text, split=",") == tk_text.text_to_word_sequence(text, split=",")


@pytest.mark.parametrize("make, error, words", [
    (lambda: Tokenizer().fit_on_texts([1, 2]), TypeError, "each text must be a string.*got int 1"),
    (lambda: Tokenizer().texts_to_sequences([None]), TypeError, "got NoneType None"),
    (lambda: text_to_word_sequence(5), TypeError, "takes a string, got int 5"),
    (lambda: Tokenizer(num_words=-1), ValueError, "num_words must be a positive int"),
    (lambda: Tokenizer(num_words="a"), ValueError, "num_words must be a positive int"),
    (lambda: tokenizer_from_json('{"a": 1}'), ValueError, "takes the string of Tokenizer.to_json"),
])
def test_bad_text_input_is_refused_naming_it(make, error, words):
    with pytest.raises(error, match=words):
        make()
