"""Metric classes and ``compile(metrics=, weighted_metrics=)`` compared live with tf_keras 2.21.

Each metric class is updated with the same two random batches on both sides, with and without
sample weights, and its result compared within the float32 tolerance; a short ``fit`` with
``metrics=[AUC(), Precision(), Recall(), 'accuracy']`` and ``weighted_metrics=['accuracy']``
must give the same history keys exactly and the same values within the tolerance.
"""
import zlib

import numpy as np
import pytest

import minikeras
from tests.tolerance import assert_close

tk = pytest.importorskip("tf_keras")
pytestmark = pytest.mark.tf_keras


def _data(kind, n, rng):
    if kind == "binary":
        return (rng.random((n, 1)) > 0.5).astype("float32"), rng.random((n, 1)).astype("float32")
    if kind == "logits":
        return (rng.random((n, 1)) > 0.5).astype("float32"), rng.normal(size=(n, 1)).astype("float32") * 3
    probs = rng.dirichlet(np.ones(5), size=n).astype("float32")
    if kind == "categorical":
        return np.eye(5, dtype="float32")[rng.integers(0, 5, n)], probs
    if kind == "sparse":
        return rng.integers(0, 5, (n, 1)).astype("float32"), probs
    if kind == "multilabel":
        return (rng.random((n, 4)) > 0.5).astype("float32"), rng.random((n, 4)).astype("float32")
    if kind == "regression":
        return rng.normal(size=(n, 4)).astype("float32"), rng.normal(size=(n, 4)).astype("float32")
    if kind == "positive":
        return rng.random((n, 4)).astype("float32") * 3, rng.random((n, 4)).astype("float32") * 3 + 0.1
    if kind == "equal":
        return rng.integers(0, 3, (n, 1)).astype("float32"), rng.integers(0, 3, (n, 1)).astype("float32")
    raise AssertionError(kind)


CASES = [
    ("Accuracy", {}, "equal"), ("BinaryAccuracy", {}, "binary"), ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("CategoricalAccuracy", {}, "categorical"), ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"), ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("MeanSquaredError", {}, "regression"), ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"), ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"), ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"), ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"), ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"), ("KLDivergence", {}, "categorical"), ("Poisson", {}, "positive"),
    ("Hinge", {}, "regression"), ("SquaredHinge", {}, "regression"), ("CategoricalHinge", {}, "categorical"),
    ("TruePositives", {}, "binary"), ("FalsePositives", {}, "binary"), ("TrueNegatives", {}, "binary"),
    ("FalseNegatives", {"thresholds": [0.2, 0.5, 0.9]}, "binary"), ("Precision", {}, "binary"),
    ("Recall", {}, "binary"), ("Precision", {"thresholds": [0.3, 0.6]}, "multilabel"),
    ("Precision", {"top_k": 2}, "multilabel"), ("Recall", {"class_id": 1}, "multilabel"),
    ("Recall", {"top_k": 2, "class_id": 2}, "multilabel"), ("AUC", {}, "binary"), ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"summation_method": "minoring"}, "binary"), ("AUC", {"num_thresholds": 50, "curve": "PR"}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"), ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {"thresholds": [0.1, 0.4, 0.45, 0.8]}, "binary"),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "sample_weight"])
@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=[f"{c[0]}{c[1] or ''}" for c in CASES])
def test_metric_class_result_as_tf_keras(name, kwargs, kind, weighted):
    rng = np.random.default_rng(zlib.crc32(f"{name}{kwargs}{kind}".encode()))   # a stable seed per case
    batches = [(*_data(kind, n, rng), rng.random(n).astype("float32") if weighted else None) for n in (16, 9)]
    results = []
    for k in (tk, minikeras):
        metric = getattr(k.metrics, name)(**kwargs)
        for y_true, y_pred, w in batches:
            metric.update_state(y_true, y_pred, sample_weight=w)
        results.append(np.asarray(metric.result()))
        if k is minikeras:
            assert metric.get_config() == {**tk_config, "name": metric.name}
        else:
            tk_config = metric.get_config()
    assert results[1].shape == results[0].shape
    assert_close(results[1], results[0], what=f"{name}({kwargs}).result()")


def _history(k):
    M = k.metrics
    k.backend.clear_session()
    rng = np.random.default_rng(7)
    x = rng.normal(size=(48, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-1.0], [0.5], [0.0]], "float32") + rng.normal(size=(48, 1)) > 0).astype("float32")
    w = rng.random(48).astype("float32")
    model = k.Sequential([k.layers.Dense(3, activation="tanh", input_shape=(4,)),
                          k.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.full((4, 3), 0.2, "float32") * np.arange(1, 4), np.zeros(3, "float32"),
                       np.array([[0.5], [-0.4], [0.3]], "float32"), np.zeros(1, "float32")])
    model.compile(k.optimizers.SGD(0.1), "binary_crossentropy",
                  metrics=[M.AUC(), M.Precision(), M.Recall(), "accuracy"], weighted_metrics=["accuracy"])
    history = model.fit(x[:40], y[:40], sample_weight=w[:40], batch_size=8, epochs=3, shuffle=False, verbose=0,
                        validation_data=(x[40:], y[40:], w[40:]))
    return history.history, model.evaluate(x, y, sample_weight=w, verbose=0, return_dict=True)


def test_fit_with_metric_objects_and_weighted_metrics_as_tf_keras():
    (tk_history, tk_eval), (mk_history, mk_eval) = _history(tk), _history(minikeras)
    assert list(mk_history) == list(tk_history)       # loss, auc, precision, recall, accuracy, weighted_accuracy, val_*
    assert list(mk_eval) == list(tk_eval)
    for key in tk_history:
        assert_close(mk_history[key], tk_history[key], what=key)
    assert_close(list(mk_eval.values()), list(tk_eval.values()), what="evaluate")
