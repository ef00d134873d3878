"""KerasClassifier and KerasRegressor: Keras 2.2.4's scikit-learn wrappers, used by scikit-learn itself.

The wrappers' predictions are checked against the inner model's own outputs, their scores against
``evaluate``, and ``clone``/``GridSearchCV`` run on tiny data (2 folds, 1-2 epochs, seeded).
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from minikeras import backend
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.wrappers.scikit_learn import KerasClassifier, KerasRegressor
from tests.tolerance import assert_close

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

DATA = np.random.default_rng(0)
X = DATA.normal(size=(40, 4)).astype("float32")
LABELS = np.array(["cat", "dog", "eel"])[DATA.integers(0, 3, 40)]


def build_classifier(hidden=6, output="softmax", loss="categorical_crossentropy", metrics=("accuracy",)):
    outputs = 3 if output == "softmax" else 1
    model = Sequential([Dense(hidden, input_dim=4, activation="relu"), Dense(outputs, activation=output)])
    model.compile("adam", loss, metrics=list(metrics))
    return model


def build_regressor(hidden=5):
    model = Sequential([Dense(hidden, input_dim=4, activation="tanh"), Dense(1)])
    model.compile("sgd", "mse")
    return model


def fitted(wrapper, x=X, y=LABELS, seed=0):
    backend.set_seed(seed)
    wrapper.fit(x, y)
    return wrapper


def test_string_labels_round_trip_and_predictions_are_the_inner_models():
    clf = fitted(KerasClassifier(build_classifier, epochs=2, batch_size=8, verbose=0))
    assert clf.classes_.tolist() == ["cat", "dog", "eel"] and clf.n_classes_ == 3
    inner = clf.model.predict(X, verbose=0)
    assert_close(clf.predict_proba(X), inner)
    predicted = clf.predict(X)
    assert predicted.shape == (40,) and predicted.dtype == LABELS.dtype
    assert predicted.tolist() == clf.classes_[inner.argmax(axis=1)].tolist()


def test_one_sigmoid_output_gives_two_probability_columns():
    labels = np.where(X[:, 0] > 0, "yes", "no")
    clf = fitted(KerasClassifier(build_classifier, output="sigmoid", loss="binary_crossentropy",
                                 epochs=1, verbose=0), y=labels)
    p = clf.model.predict(X, verbose=0)[:, 0]
    proba = clf.predict_proba(X)
    assert proba.shape == (40, 2)
    assert_close(proba, np.stack([1 - p, p], axis=1))
    assert clf.predict(X).tolist() == np.where(p > 0.5, "yes", "no").tolist()


def test_classifier_score_is_evaluates_accuracy():
    clf = fitted(KerasClassifier(build_classifier, epochs=3, verbose=0))
    accuracy = np.mean(clf.predict(X) == LABELS)
    assert clf.score(X, LABELS) == pytest.approx(accuracy, abs=1e-6)
    one_hot = np.eye(3)[np.searchsorted(clf.classes_, LABELS)]
    assert clf.model.evaluate(X, one_hot, verbose=0)[1] == pytest.approx(accuracy, abs=1e-6)


def test_classifier_score_needs_an_accuracy_metric():
    clf = fitted(KerasClassifier(build_classifier, metrics=(), epochs=1, verbose=0))
    with pytest.raises(ValueError, match=r'metrics=\["accuracy"\]'):
        clf.score(X, LABELS)
    with pytest.raises(ValueError, match="labels that fit never saw: \\['fox'\\]"):
        fitted(KerasClassifier(build_classifier, epochs=1, verbose=0)).score(X[:2], ["cat", "fox"])


def test_score_encodes_to_the_classes_fit_saw():
    clf = fitted(KerasClassifier(build_classifier, epochs=1, verbose=0))
    few = LABELS != "eel"                    # no sample of the last class: still 3 one-hot columns
    assert clf.score(X[few], LABELS[few]) == pytest.approx(np.mean(clf.predict(X[few]) == LABELS[few]), abs=1e-6)


def test_regressor_predict_is_squeezed_and_score_is_minus_the_loss():
    y = X @ np.array([1.0, -2.0, 0.5, 0.0], dtype="float32")
    reg = fitted(KerasRegressor(build_regressor, epochs=2, verbose=0), y=y)
    inner = reg.model.predict(X, verbose=0)
    assert inner.shape == (40, 1) and reg.predict(X).shape == (40,)
    assert_close(reg.predict(X), inner[:, 0])
    mse = float(np.mean((inner[:, 0] - y) ** 2))
    assert reg.score(X, y) == pytest.approx(-mse, rel=1e-4)
    assert is_regressor(reg) and not is_classifier(reg)


@pytest.mark.parametrize("params, name", [({"epoch": 3}, "epoch"), ({"hiden": 4}, "hiden"),
                                          ({"nb_epoch": 2}, "nb_epoch")])
def test_unknown_parameters_are_refused_by_name(params, name):
    with pytest.raises(ValueError, match=f"^{name} is not a legal parameter"):
        KerasClassifier(build_classifier, **params)
    with pytest.raises(ValueError, match=f"^{name} is not a legal parameter"):
        KerasClassifier(build_classifier).set_params(**params)


def test_every_legal_parameter_goes_where_it_belongs():
    clf = KerasClassifier(build_classifier, hidden=7, epochs=2, batch_size=16, verbose=0, shuffle=False)
    assert clf.filter_sk_params(build_classifier) == {"hidden": 7}
    assert clf.filter_sk_params(Sequential.fit, {"epochs": 1}) == {"epochs": 1, "batch_size": 16, "verbose": 0,
                                                                     "shuffle": False}
    backend.set_seed(0)
    history = clf.fit(X, LABELS).history      # fit returns the History
    assert len(history["loss"]) == 2 and clf.model.layers[0].units == 7
    with pytest.raises(TypeError, match="build_fn must be a function"):
        KerasClassifier(build_fn=3)


def test_build_fn_as_object_or_subclass_call():
    class Builder:
        def __call__(self, hidden=6):
            return build_classifier(hidden)

    class OwnBuilder(KerasClassifier):
        def __call__(self, hidden=6):
            return build_classifier(hidden)

    for clf in (KerasClassifier(Builder(), hidden=3, epochs=1, verbose=0), OwnBuilder(hidden=3, epochs=1, verbose=0)):
        assert fitted(clf).model.layers[0].units == 3
    with pytest.raises(ValueError, match="^units is not a legal parameter"):
        OwnBuilder(units=3)


def test_clone_gives_an_unfitted_copy_with_the_same_parameters():
    clf = KerasClassifier(build_classifier, hidden=4, epochs=1, verbose=0)
    fitted(clf)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params() and copy.get_params()["build_fn"] is build_classifier
    assert not hasattr(copy, "model") and is_classifier(copy)
    listed = KerasClassifier(build_classifier, metrics=["accuracy"])     # a list parameter: clone checks identity
    assert clone(listed).get_params()["metrics"] == ["accuracy"]


def test_grid_search_picks_the_best_values():
    y = np.where(X[:, 0] + X[:, 1] > 0, "up", "down")
    clf = KerasClassifier(build_classifier, output="sigmoid", loss="binary_crossentropy", epochs=1, verbose=0)
    backend.set_seed(3)
    search = GridSearchCV(clf, {"hidden": [2, 16], "epochs": [1, 30]}, cv=2).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 4 and search.best_params_ == search.cv_results_["params"][int(np.argmax(scores))]
    assert search.best_params_["epochs"] == 30           # 30 epochs of adam beat 1 on a linear rule
    assert search.best_estimator_.model.layers[0].units == search.best_params_["hidden"]
    assert set(search.predict(X)) <= {"down", "up"}


def test_grid_search_scores_one_hot_targets_with_log_loss():
    one_hot = np.eye(3)[np.searchsorted(np.unique(LABELS), LABELS)]
    backend.set_seed(4)
    search = GridSearchCV(KerasClassifier(build_classifier, verbose=0), {"epochs": [1, 2]}, cv=2,
                          scoring="neg_log_loss").fit(X, one_hot)
    best = search.best_estimator_
    assert best.classes_.tolist() == [0, 1, 2]
    from sklearn.metrics import get_scorer
    expected = np.mean(np.sum(one_hot * np.log(np.clip(best.predict_proba(X), 1e-15, 1)), axis=1))  # -log loss
    assert_close(get_scorer("neg_log_loss")(best, X, one_hot), expected, rtol=1e-5)


def test_a_subclass_without_build_fn_or_call_is_refused_by_name():
    class NoBuilder(KerasClassifier):
        pass
    with pytest.raises(TypeError, match="has no build_fn: pass build_fn=, or subclass it and define __call__"):
        NoBuilder(epochs=2)


def test_a_refused_set_params_changes_nothing():
    def other_builder(units=3):
        return build_classifier(hidden=units)
    clf = KerasClassifier(build_classifier, hidden=4)
    with pytest.raises(ValueError, match="hidden"):
        clf.set_params(build_fn=other_builder, hidden=5)      # other_builder takes units, not hidden
    assert clf.build_fn is build_classifier and clf.sk_params == {"hidden": 4}
    clf.set_params(build_fn=other_builder, units=5)
    assert clf.build_fn is other_builder and clf.sk_params["units"] == 5


def test_a_seeded_fit_is_reproducible():
    runs = [fitted(KerasClassifier(build_classifier, epochs=2, batch_size=8, verbose=0), seed=7) for _ in range(2)]
    assert np.array_equal(runs[0].predict_proba(X), runs[1].predict_proba(X))   # same process: bit for bit
    assert runs[0].predict(X).tolist() == runs[1].predict(X).tolist()


def run_python(code):
    """Runs ``code`` in a fresh interpreter on this checkout's minikeras; returns its output."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_importing_minikeras_and_the_wrappers_does_not_import_sklearn():
    code = ("import sys, minikeras, minikeras.wrappers.scikit_learn, minikeras.wrappers.sklearn_base\n"
            "print('sklearn' in sys.modules)")
    assert run_python(code) == "False"


def test_the_keras_alias_finds_the_wrappers():
    code = ("import minikeras; minikeras.install_as_keras()\n"
            "from keras.wrappers.scikit_learn import KerasClassifier\n"
            "import minikeras.wrappers.scikit_learn as m; print(KerasClassifier is m.KerasClassifier)")
    assert run_python(code) == "True"
