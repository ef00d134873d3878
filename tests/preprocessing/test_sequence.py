"""pad_sequences, TimeseriesGenerator, skipgrams, make_sampling_table: recorded Keras facts and live tf_keras."""
import random

import numpy as np
import pytest

from minikeras.preprocessing.sequence import TimeseriesGenerator, make_sampling_table, pad_sequences, skipgrams

SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], []]


def test_defaults_pad_and_truncate_at_the_start():
    # Recorded from tf_keras 2.21 (/work/shared/keras_facts/out_s08.txt).
    out = pad_sequences(SEQS)
    assert out.dtype == np.int32
    assert out.tolist() == [[0, 0, 1, 2, 3], [0, 0, 0, 4, 5], [6, 7, 8, 9, 10], [0, 0, 0, 0, 0]]
    assert pad_sequences(SEQS, maxlen=3).tolist() == [[1, 2, 3], [0, 4, 5], [8, 9, 10], [0, 0, 0]]
    post = pad_sequences(SEQS, maxlen=3, padding="post", truncating="post")
    assert post.tolist() == [[1, 2, 3], [4, 5, 0], [6, 7, 8], [0, 0, 0]]
    assert pad_sequences([[1], [2, 3]], value=-1).tolist() == [[-1, 1], [2, 3]]


def test_dtypes_items_and_strings():
    assert pad_sequences([[1.7, 2.2]], maxlen=3).tolist() == [[0, 1, 2]]       # truncated to int
    assert np.allclose(pad_sequences([[1.7, 2.2]], maxlen=3, dtype="float32"), [[0, 1.7, 2.2]])
    assert pad_sequences([np.ones((1, 2)), np.ones((2, 2))]).shape == (2, 2, 2)
    assert pad_sequences([["a", "b"], ["c"]], dtype=object, value="").tolist() == [["a", "b"], ["", "c"]]
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


@pytest.mark.parametrize("kwargs, message", [
    ({"padding": "middle"}, 'Padding type "middle" not understood'),
    ({"truncating": "end"}, 'Truncating type "end" not understood'),
    ({"value": "x"}, "dtype=object"),
    ({"maxlen": -1}, "maxlen"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pad_sequences(SEQS, **kwargs)


def test_bad_sequences():
    with pytest.raises(ValueError, match="non-iterable: 3"):
        pad_sequences([[1], 3])
    with pytest.raises(ValueError, match="Shape of sample"):
        pad_sequences([np.ones((1, 2)), np.ones((1, 3))])


def test_timeseries_windows_and_targets():
    data = np.arange(20).reshape(10, 2)
    gen = TimeseriesGenerator(data, np.arange(10), length=4, sampling_rate=2, batch_size=3)
    assert len(gen) == 2
    x, y = gen[0]
    assert x.shape == (3, 2, 2) and y.tolist() == [4, 5, 6]
    assert x[0].tolist() == [[0, 1], [4, 5]]                    # steps 0 and 2 before row 4
    assert gen[1][1].tolist() == [7, 8, 9]                      # the last batch reaches the last step
    reverse = TimeseriesGenerator(data, np.arange(10), length=4, sampling_rate=2, batch_size=3, reverse=True)
    assert reverse[0][0][0].tolist() == [[4, 5], [0, 1]]
    with pytest.raises(ValueError, match="same length"):
        TimeseriesGenerator(data, np.arange(9), length=2)
    with pytest.raises(ValueError, match="disallowed"):
        TimeseriesGenerator(data, np.arange(10), length=10)


def test_sampling_table_and_skipgrams():
    table = make_sampling_table(1000)
    assert table[0] == table[1] and np.all(np.diff(table[1:]) >= 0) and table.max() <= 1
    couples, labels = skipgrams([1, 2, 0, 3], 4, window_size=1, negative_samples=0, shuffle=False)
    assert couples == [[1, 2], [2, 1]] and labels == [1, 1]   # 0 is padding: no pairs with it
    random.seed(0)
    couples, labels = skipgrams([1, 2, 3, 4], 10, window_size=1, negative_samples=2.0, categorical=True)
    assert len(couples) == 18 and labels.count([0, 1]) == 6 and labels.count([1, 0]) == 12
    positives = {tuple(c) for c, label in zip(couples, labels) if label == [0, 1]}
    assert positives == {(1, 2), (2, 1), (2, 3), (3, 2), (3, 4), (4, 3)}


# ---------------------------------------------------------------------------------- live tf_keras
@pytest.mark.tf_keras
@pytest.mark.parametrize("kwargs", [{}, {"maxlen": 3}, {"maxlen": 3, "padding": "post", "truncating": "post"},
                                    {"maxlen": 2, "padding": "post"}, {"maxlen": 4, "truncating": "post"},
                                    {"value": -1.0, "dtype": "float32", "maxlen": 7}])
def test_pad_sequences_equals_tf_keras(tk_preprocessing, kwargs):
    expected = tk_preprocessing[1].pad_sequences(SEQS, **kwargs)
    out = pad_sequences(SEQS, **kwargs)
    assert out.dtype == expected.dtype and out.tolist() == expected.tolist()


@pytest.mark.tf_keras
def test_timeseries_skipgrams_and_table_equal_tf_keras(tk_preprocessing):
    tk = tk_preprocessing[1]
    data, kwargs = np.arange(50).reshape(25, 2), dict(length=5, sampling_rate=2, stride=3, batch_size=3,
                                                      start_index=2, end_index=20, reverse=True)
    ours, theirs = TimeseriesGenerator(data, np.arange(25), **kwargs), tk.TimeseriesGenerator(data, np.arange(25),
                                                                                                 **kwargs)
    assert len(ours) == len(theirs)
    for i in range(len(ours)):
        assert ours[i][0].tolist() == theirs[i][0].tolist() and ours[i][1].tolist() == theirs[i][1].tolist()
    np.testing.assert_allclose(make_sampling_table(50, 1e-3), tk.make_sampling_table(50, 1e-3), rtol=1e-12)
    results = []
    for module in (tk, None):
        random.seed(3)
        table = make_sampling_table(7, 0.5)
        results.append((module.skipgrams if module else skipgrams)([1, 2, 3, 0, 4, 5, 6], 7, window_size=2,
                                                                    sampling_table=table))
    assert results[0] == results[1]


def test_remove_long_sequences_keeps_the_shorter_ones_and_their_labels():
    from minikeras.preprocessing.sequence import _remove_long_seq, remove_long_sequences
    seqs, labels = remove_long_sequences(5, [[1, 2, 3], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5]], ["a", "b", "c"])
    assert (seqs, labels) == ([[1, 2, 3]], ["a"])       # exclusive limit: length 5 is dropped too
    assert _remove_long_seq is remove_long_sequences


@pytest.mark.parametrize("make, words", [
    (lambda: pad_sequences([[[1, 2], [3]]]), "Sequence 0 of `sequences` is ragged below its first level"),
    (lambda: pad_sequences([["a", "b"]]), "does not convert to dtype 'int32'.*dtype=object"),
    (lambda: pad_sequences(5), "must be a list of sequences.*got int 5"),
    (lambda: make_sampling_table(0), "size must be a positive int"),
])
def test_bad_sequence_input_is_refused_naming_it(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_text_sequences_pad_with_dtype_object():
    assert pad_sequences([["a", "b"], ["c"]], dtype=object, value="").tolist() == [["a", "b"], ["", "c"]]
