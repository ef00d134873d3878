"""Tests for minikeras.metrics: accuracies on hand-made inputs, the name table, and how
``resolve`` picks a metric and its log key, against recorded tf_keras 2.21 behaviour.

Values marked "tf_keras 2.21" were recorded with ``TF_CPP_MIN_LOG_LEVEL=3 /opt/venv/bin/python``:
``tf_keras.metrics.<fn>(np.array(y), np.array(p, 'float32'), **kw).numpy()`` for the accuracies, and
for compile: ``m = keras.Sequential([keras.layers.Dense(units, activation=act, input_shape=(4,))]);
m.compile('sgd', loss, metrics=[s]); h = m.fit(x, y, epochs=1, verbose=0)``, reading
``list(h.history)`` (the log keys) and ``m.compiled_metrics.metrics[0]._fn.__name__`` (the choice).
"""
import numpy as np
import pytest

import minikeras.backend as K
from minikeras import losses, metrics

P3 = np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.1, 0.2, 0.7]], "float32")
P4 = np.array([[0.1, 0.3, 0.3, 0.3], [0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25]], "float32")
Y4 = np.eye(4, dtype="float32")[[3, 2, 0]]


def _check(values, expected):
    values = np.asarray(values)
    assert values.dtype == np.float32 and values.shape == (len(expected),)
    np.testing.assert_array_equal(values, expected)


# ----------------------------------------------------------------------------- accuracies
def test_binary_accuracy():
    # tf_keras 2.21: [1, 1, 0, 1] (0.5 is not above the threshold), [0.5, 1], threshold 0.65: [1, 1].
    _check(metrics.binary_accuracy(np.array([[1.], [0.], [1.], [0.]]), np.array([[0.7], [0.5], [0.5], [0.2]])),
           [1, 1, 0, 1])
    y2, p2 = np.array([[1., 0.], [0., 0.]]), np.array([[0.7, 0.6], [0.4, 0.1]])
    _check(metrics.binary_accuracy(y2, p2), [0.5, 1])
    _check(metrics.binary_accuracy(y2, p2, threshold=0.65), [1, 1])
    _check(metrics.binary_accuracy(np.array([1, 0, 1]), np.array([[0.9], [0.2], [0.1]])), [1, 1, 0])  # (n,) labels


def test_categorical_and_sparse_accuracy_take_the_first_maximum():
    # tf_keras 2.21: [0, 1, 1] for all three calls below (a tie goes to the first class).
    _check(metrics.categorical_accuracy(np.eye(3)[[1, 0, 2]], P3), [0, 1, 1])
    _check(metrics.sparse_categorical_accuracy(np.array([1, 0, 2]), P3), [0, 1, 1])
    _check(metrics.sparse_categorical_accuracy(np.array([[1.], [0.], [2.]]), P3), [0, 1, 1])
    with pytest.raises(ValueError, match="y_true must hold one class index"):
        metrics.sparse_categorical_accuracy(np.eye(3), P3)


def test_top_k_counts_ties_as_inside():
    # tf_keras 2.21: k=2 -> [1, 0, 1]; k=1 -> [1, 0, 1] (tied maxima all count); default k=5 > 4
    # classes -> [1, 1, 1]; sparse k=2 with labels (n,) or (n, 1) -> [1, 0, 1]; a label out of
    # range counts as a miss (no error): [4, 1, 0], k=1 -> [0, 0, 1]; a NaN row is a miss.
    _check(metrics.top_k_categorical_accuracy(Y4, P4, k=2), [1, 0, 1])
    _check(metrics.top_k_categorical_accuracy(Y4, P4, k=1), [1, 0, 1])
    _check(metrics.top_k_categorical_accuracy(Y4, P4), [1, 1, 1])
    _check(metrics.sparse_top_k_categorical_accuracy(np.array([3, 2, 0]), P4, k=2), [1, 0, 1])
    _check(metrics.sparse_top_k_categorical_accuracy(np.array([[3], [2], [0]]), P4, k=2), [1, 0, 1])
    _check(metrics.sparse_top_k_categorical_accuracy(np.array([4, 1, 0]), P4, k=1), [0, 0, 1])
    p_nan = P4.copy()
    p_nan[0, 0] = np.nan
    _check(metrics.sparse_top_k_categorical_accuracy(np.array([0, 1, 0]), p_nan, k=2), [0, 1, 1])


def test_cosine_similarity_metric_is_positive():
    # tf_keras 2.21: metrics.get('cosine_similarity') and get('cosine_proximity') on
    # y=[[1,2,2],[0,0,0]], p=[[2,1,1],[1,1,1]] -> [0.816496611, 0]; the LOSS gives -0.816496611.
    y, p = np.array([[1., 2., 2.], [0., 0., 0.]], "float32"), np.array([[2., 1., 1.], [1., 1., 1.]], "float32")
    for name in ("cosine_similarity", "cosine_proximity"):
        np.testing.assert_allclose(metrics.get(name)(y, p), [0.816496611, 0], rtol=1e-6)
    np.testing.assert_allclose(losses.cosine_similarity(y, p), [-0.816496611, 0], rtol=1e-6)


def test_losses_as_metrics_are_the_loss_functions():
    # The same objects, so that losses.fused() recognises crossentropy metrics too.
    for name in ("mse", "MAE", "categorical_crossentropy", "sparse_categorical_crossentropy",
                 "binary_crossentropy", "kld", "logcosh", "hinge", "poisson"):
        assert metrics.get(name) is losses.get(name), name
    assert metrics.mse is losses.mean_squared_error
    np.testing.assert_allclose(metrics.get("mse")(np.array([[1., 2.]]), np.array([[1., 4.]])), [2.0])


def test_accuracy_by_name_is_exact_equality():
    # tf_keras 2.21: metrics.get('accuracy') / 'acc' / 'ACC' is keras.metrics.accuracy (exact match).
    assert metrics.get("acc") is metrics.get("ACC") is metrics.accuracy
    _check(metrics.accuracy(np.array([[1., 2.], [3., 4.]]), np.array([[1., 2.], [3., 5.]])), [1, 0.5])


def test_get_errors():
    with pytest.raises(ValueError, match="Unknown metric 'acuracy'.*categorical_accuracy"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 0.5"):  # tf_keras's error
        metrics.get(0.5)


# ----------------------------------------------------------------------------- resolve
# tf_keras 2.21, recorded (module docstring): which function compile chose for each shape pair.
TF_CHOICES = {  # (y_true shape, y_pred shape): (accuracy choice, crossentropy choice)
    ((8,), (8, 3)): ("sparse_categorical_accuracy", "sparse_categorical_crossentropy"),
    ((8, 1), (8, 3)): ("sparse_categorical_accuracy", "sparse_categorical_crossentropy"),
    ((8, 3), (8, 3)): ("categorical_accuracy", "categorical_crossentropy"),
    ((8, 1), (8, 1)): ("binary_accuracy", "binary_crossentropy"),
    ((8,), (8, 1)): ("binary_accuracy", "binary_crossentropy"),
}


@pytest.mark.parametrize("shapes", sorted(TF_CHOICES))
def test_resolve_choices_match_tf_keras(shapes):
    y, p = np.zeros(shapes[0]), np.zeros(shapes[1])
    acc_choice, ce_choice = TF_CHOICES[shapes]
    for s in ("accuracy", "acc"):
        name, fn = metrics.resolve(s, y, p)
        assert (name, fn) == (s, getattr(metrics, acc_choice))
    for s in ("crossentropy", "ce"):
        name, fn = metrics.resolve(s, y, p)
        assert (name, fn) == (s, getattr(losses, ce_choice))


# tf_keras 2.21, recorded: metrics=[s] with Dense(3, softmax) and one-hot y -> history key, choice.
TF_KEYS = {
    "accuracy": ("accuracy", "categorical_accuracy"), "acc": ("acc", "categorical_accuracy"),
    "ACC": ("ACC", "categorical_accuracy"), "Accuracy": ("Accuracy", "categorical_accuracy"),
    "crossentropy": ("crossentropy", "categorical_crossentropy"), "ce": ("ce", "categorical_crossentropy"),
    "CE": ("CE", "categorical_crossentropy"),
    "mse": ("mse", "mean_squared_error"), "MSE": ("MSE", "mean_squared_error"),
    "mean_squared_error": ("mean_squared_error", "mean_squared_error"),
    "mae": ("mae", "mean_absolute_error"), "MAE": ("MAE", "mean_absolute_error"),
    "mean_absolute_error": ("mean_absolute_error", "mean_absolute_error"),
    "mape": ("mape", "mean_absolute_percentage_error"), "msle": ("msle", "mean_squared_logarithmic_error"),
    "categorical_accuracy": ("categorical_accuracy", "categorical_accuracy"),
    "categorical_crossentropy": ("categorical_crossentropy", "categorical_crossentropy"),
    "top_k_categorical_accuracy": ("top_k_categorical_accuracy", "top_k_categorical_accuracy"),
    "cosine_proximity": ("cosine_proximity", "cosine_similarity"),
    "cosine_similarity": ("cosine_similarity", "cosine_similarity"),
    "logcosh": ("logcosh", "log_cosh"), "log_cosh": ("log_cosh", "log_cosh"),
    "kullback_leibler_divergence": ("kullback_leibler_divergence", "kl_divergence"),
    "hinge": ("hinge", "hinge"), "poisson": ("poisson", "poisson"),
}


@pytest.mark.parametrize("identifier", sorted(TF_KEYS))
def test_resolve_log_names_match_tf_keras(identifier):
    y, p = np.eye(3)[[0, 1, 2, 0]], np.full((4, 3), 1 / 3)
    name, fn = metrics.resolve(identifier, y, p)
    assert (name, fn.__name__) == TF_KEYS[identifier]


def test_resolve_accepts_names_tf_keras_compile_rejects():
    # tf_keras 2.21's compile fails with TypeError for metrics=['kld'], ['KLD'], ['kl_divergence'],
    # ['bce'], ['huber'] (its metrics.get returns the bare string); minikeras accepts them.
    for s in ("kld", "bce", "huber"):
        name, fn = metrics.resolve(s, np.zeros((2, 1)), np.zeros((2, 1)) + 0.5)
        assert name == s and fn is losses.get(s)


def test_custom_metric_written_with_the_backend():
    # tf_keras 2.21: a function metric logs under its __name__ ('my_metric' recorded).
    def my_metric(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)
    y, p = np.array([[1., 2.], [0., 0.]], "float32"), np.array([[1., 4.], [1., 1.]], "float32")
    name, fn = metrics.resolve(my_metric, y, p)
    assert name == "my_metric" and fn is my_metric
    np.testing.assert_allclose(fn(y, p), [2.0, 1.0])
    assert metrics.get(my_metric) is my_metric


def test_resolve_callable_object_names():
    class MeanError:
        def __call__(self, y_true, y_pred):
            return np.mean(y_pred - y_true, axis=-1)

    class Named(MeanError):
        name = "my_error"
    assert metrics.resolve(MeanError(), np.zeros((1, 1)), np.zeros((1, 1)))[0] == "mean_error"
    assert metrics.resolve(Named(), np.zeros((1, 1)), np.zeros((1, 1)))[0] == "my_error"


def test_resolve_unknown_name():
    with pytest.raises(ValueError, match="Unknown metric 'f1'"):
        metrics.resolve("f1", np.zeros((2, 1)), np.zeros((2, 1)))


# ----------------------------------------------------------------------------- live check
def test_live_accuracies_against_tf_keras():
    tf_keras = pytest.importorskip("tf_keras")
    rng = np.random.default_rng(0)
    p = rng.random((20, 5)).astype("float32")
    labels = rng.integers(0, 5, 20)
    onehot = np.eye(5, dtype="float32")[labels]
    for name, y, kw in [("categorical_accuracy", onehot, {}), ("sparse_categorical_accuracy", labels, {}),
                        ("top_k_categorical_accuracy", onehot, {"k": 2}),
                        ("sparse_top_k_categorical_accuracy", labels, {"k": 3}),
                        ("binary_accuracy", (onehot > 0).astype("float32"), {"threshold": 0.3})]:
        expected = getattr(tf_keras.metrics, name)(y, p, **kw).numpy()
        np.testing.assert_array_equal(getattr(metrics, name)(y, p, **kw), expected, err_msg=name)
