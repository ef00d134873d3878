"""compile(metrics=..., weighted_metrics=...): metric objects, tf_keras's log names, state per epoch."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers, metrics
from minikeras.callbacks import Callback
from minikeras.models import Model, Sequential

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 3)).astype("float32")
Y = (RNG.random((12, 1)) > 0.5).astype("float32")
W = RNG.random(12).astype("float32")


def model():
    m = Sequential([layers.Dense(1, activation="sigmoid", input_shape=(3,))])
    m.set_weights([np.array([[0.5], [-0.3], [0.2]], "float32"), np.zeros(1, "float32")])
    return m


def test_log_names_as_tf_keras():
    K.reset_uids()
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=[metrics.AUC(), metrics.AUC(), "Precision", metrics.Recall,
                                                     "accuracy"], weighted_metrics=["accuracy", "mse"])
    assert m.metrics_names == ["loss", "auc", "auc_1", "precision", "recall", "accuracy", "weighted_accuracy", "mse"]
    history = m.fit(X, Y, epochs=1, batch_size=4, verbose=0, validation_data=(X, Y))
    assert list(history.history) == m.metrics_names + ["val_" + n for n in m.metrics_names]


def test_epoch_value_is_the_result_of_the_epoch_state_not_a_mean_of_batches():
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=[metrics.Precision(name="p")])
    m.optimizer.learning_rate = 0.0          # fixed weights: predictions known in advance
    batches = []
    m.fit(X, Y, epochs=1, batch_size=4, shuffle=False, verbose=0,
          callbacks=[_Recorder(batches)])
    pred = m.predict(X) > 0.5
    tp, fp = np.sum(pred & (Y == 1)), np.sum(pred & (Y == 0))
    assert m.history.history["p"][0] == pytest.approx(tp / (tp + fp))
    first = pred[:4], Y[:4] == 1
    assert batches[0]["p"] == pytest.approx(np.sum(first[0] & first[1]) / max(np.sum(first[0]), 1))
    assert m.evaluate(X, Y, verbose=0, batch_size=5)[1] == pytest.approx(tp / (tp + fp))   # reset, then all rows


class _Recorder(Callback):
    def __init__(self, store):
        super().__init__()
        self.store = store

    def on_train_batch_end(self, batch, logs=None):
        self.store.append(dict(logs))


def test_weighted_metrics_use_sample_and_class_weights():
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy"], weighted_metrics=["accuracy"])
    m.optimizer.learning_rate = 0.0
    right = ((m.predict(X) > 0.5) == (Y == 1))[:, 0]
    logs = m.evaluate(X, Y, sample_weight=W, verbose=0, return_dict=True)
    assert logs["accuracy"] == pytest.approx(right.mean())
    assert logs["weighted_accuracy"] == pytest.approx(np.sum(W * right) / np.sum(W), rel=1e-6)
    h = m.fit(X, Y, epochs=1, verbose=0, class_weight={0: 1.0, 1: 3.0})
    cw = np.where(Y[:, 0] == 1, 3.0, 1.0)
    assert h.history["weighted_accuracy"][0] == pytest.approx(np.sum(cw * right) / np.sum(cw), rel=1e-6)
    assert m.evaluate(X, Y, verbose=0, return_dict=True)["weighted_accuracy"] == pytest.approx(right.mean())


def test_several_outputs_prefix_names_and_copy_shared_metric_objects():
    x = layers.Input(shape=(3,))
    a = layers.Dense(1, activation="sigmoid", name="a")(x)
    b = layers.Dense(1, activation="sigmoid", name="b")(x)
    m = Model(x, [a, b])
    auc = metrics.AUC(name="auc")
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy", auc], weighted_metrics=["accuracy", "mse"])
    assert m.metrics_names == ["loss", "a_loss", "b_loss", "a_accuracy", "a_auc", "a_weighted_accuracy", "a_mse",
                               "b_accuracy", "b_auc", "b_weighted_accuracy", "b_mse"]
    assert auc.name == "auc"                            # each output got its own copy
    m.compile("sgd", "binary_crossentropy", metrics={"a": ["accuracy"], "b": [metrics.Precision(name="p")]},
              weighted_metrics={"b": ["accuracy"]})
    assert list(m.fit(X, [Y, Y], epochs=1, verbose=0).history) == ["loss", "a_loss", "b_loss", "a_accuracy",
                                                                   "b_p", "b_accuracy"]


def test_bad_metric_entries_fail_at_compile():
    m = model()
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 5"):
        metrics.get(5)
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        m.compile("sgd", "mse", metrics=[5])
    with pytest.raises(ValueError, match="Unknown metric 'nope'"):
        m.compile("sgd", "mse", weighted_metrics=["nope"])
    with pytest.raises(ValueError, match="two metrics with the same name: binary_accuracy"):
        m.compile("sgd", "mse", metrics=["BinaryAccuracy", "binary_accuracy"])


def test_a_misspelt_compile_keyword_is_refused_and_keras_s_no_op_keywords_pass():
    m = model()
    with pytest.raises(TypeError, match=r"Invalid keyword argument\(s\) in compile\(\): \['metric'\]"):
        m.compile("sgd", "binary_crossentropy", metric=["accuracy"])
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy"], run_eagerly=True, sample_weight_mode=None,
              experimental_run_tf_function=False, target_tensors=None)     # TF 2.0-era tutorials pass these
    with pytest.raises(ValueError, match="minikeras has no target_tensors"):
        m.compile("sgd", "mse", target_tensors=[Y])
    assert m.evaluate(X, Y, verbose=0)[1] == pytest.approx(np.mean((m.predict(X, verbose=0) > 0.5) == Y))


def test_a_loss_weight_that_is_not_a_number_is_refused_naming_its_output():
    m = model()
    for bad in ("a", float("nan"), True):
        with pytest.raises(ValueError, match="loss_weights: the weight of output 'dense.*' must be a finite number"):
            m.compile("sgd", "mse", loss_weights=[bad])


def test_one_weight_per_time_step_says_minikeras_has_no_temporal_weighting():
    m = model()
    m.compile("sgd", "binary_crossentropy")
    with pytest.raises(ValueError, match="minikeras has no temporal sample weighting"):
        m.fit(X, Y, sample_weight=np.ones((12, 4), "float32"), verbose=0)


def test_a_mid_epoch_metric_state_round_trips():
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=[metrics.AUC(name="auc"), "accuracy"])
    m.train_on_batch(X[:6], Y[:6])
    state = m.running_means_state()
    assert len(state["auc"]) == 4 and len(state["auc"][0]) == 200
    expected = m.test_on_batch(X[6:], Y[6:], reset_metrics=False, return_dict=True)
    m.reset_metrics()
    m.set_running_means_state(state)
    again = m.test_on_batch(X[6:], Y[6:], reset_metrics=False, return_dict=True)
    assert again["auc"] == expected["auc"] and again["accuracy"] == expected["accuracy"]


class _TruePositivesLayer(layers.Layer):
    """Keras 2.2.4's stateful metric idiom: a layer counting true positives with K.update_add."""

    def __init__(self, name="true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.stateful = True
        self.count = K.variable(0, dtype="int32")

    def reset_states(self):
        K.set_value(self.count, 0)

    def __call__(self, y_true, y_pred):
        batch = int(np.sum((np.round(y_pred) == 1) & (y_true == 1)))
        so_far = self.count * 1
        self.add_update(K.update_add(self.count, batch), inputs=[y_true, y_pred])
        return so_far + batch


def test_keras_2_2_4_stateful_metric_layer_counts_over_the_epoch():
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=["acc", _TruePositivesLayer()])
    m.optimizer.learning_rate = 0.0
    expected = int(np.sum((m.predict(X) > 0.5) & (Y == 1)))
    history = m.fit(X, Y, epochs=2, batch_size=5, verbose=0, validation_data=(X[:6], Y[:6]))
    assert history.history["true_positives"] == [expected, expected]       # reset at each epoch start
    assert history.history["val_true_positives"][0] == np.sum((m.predict(X[:6]) > 0.5) & (Y[:6] == 1))
    assert m.evaluate(X, Y, batch_size=4, verbose=0)[2] == expected


def test_update_ops_change_the_variable_when_called():
    v = K.variable(np.array([1.0, 2.0]))
    assert K.update_add(v, [1.0, 1.0]) is v
    K.update_sub(v, [0.5, 0.0])
    np.testing.assert_array_equal(K.get_value(v), [1.5, 3.0])
    K.update(v, [0.0, 0.0])
    np.testing.assert_array_equal(K.get_value(v), [0.0, 0.0])
    with pytest.raises(TypeError, match="Variable"):
        K.update_add(np.zeros(2), 1.0)
