"""The shared monitor/mode/min_delta rule: 'auto' decided per callback exactly as tf_keras 2.21 decides.

TF_KERAS_AUTO was recorded by constructing tf_keras 2.21's ModelCheckpoint, EarlyStopping and
ReduceLROnPlateau with ``mode='auto'`` for each monitor name and reading the direction they chose
(``monitor_op`` for the first two, the initial ``best`` for ReduceLROnPlateau, whose monitor_op is
a lambda): run

    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/venv/bin/python -m tests.callbacks.test_monitor
"""
import warnings

import numpy as np
import pytest

from minikeras.callbacks.monitor import AUTO_MODE_RULES, MonitorCallback, check_epochs, resolve_mode
from tests.callbacks.stubs import tk_callbacks

NAMES = ["val_loss", "loss", "val_acc", "acc", "val_accuracy", "accuracy", "categorical_accuracy", "val_auc",
         "auc", "AUC", "fmeasure", "fmeasure_x", "val_fmeasure", "acc_gap", "val_acc_top5", "mae", "lr",
         "val_precision", "accuracy_loss", "my_acc"]

# Recorded from tf_keras 2.21 with the command in the module docstring.
TF_KERAS_AUTO = {'EarlyStopping': {'val_loss': 'min',
                   'loss': 'min',
                   'val_acc': 'max',
                   'acc': 'max',
                   'val_accuracy': 'max',
                   'accuracy': 'max',
                   'categorical_accuracy': 'max',
                   'val_auc': 'max',
                   'auc': 'max',
                   'AUC': 'min',
                   'fmeasure': 'min',
                   'fmeasure_x': 'min',
                   'val_fmeasure': 'min',
                   'acc_gap': 'min',
                   'val_acc_top5': 'min',
                   'mae': 'min',
                   'lr': 'min',
                   'val_precision': 'min',
                   'accuracy_loss': 'min',
                   'my_acc': 'max'},
 'ModelCheckpoint': {'val_loss': 'min',
                     'loss': 'min',
                     'val_acc': 'max',
                     'acc': 'max',
                     'val_accuracy': 'max',
                     'accuracy': 'max',
                     'categorical_accuracy': 'max',
                     'val_auc': 'min',
                     'auc': 'min',
                     'AUC': 'min',
                     'fmeasure': 'max',
                     'fmeasure_x': 'max',
                     'val_fmeasure': 'min',
                     'acc_gap': 'max',
                     'val_acc_top5': 'max',
                     'mae': 'min',
                     'lr': 'min',
                     'val_precision': 'min',
                     'accuracy_loss': 'max',
                     'my_acc': 'max'},
 'ReduceLROnPlateau': {'val_loss': 'min',
                       'loss': 'min',
                       'val_acc': 'max',
                       'acc': 'max',
                       'val_accuracy': 'max',
                       'accuracy': 'max',
                       'categorical_accuracy': 'max',
                       'val_auc': 'min',
                       'auc': 'min',
                       'AUC': 'min',
                       'fmeasure': 'min',
                       'fmeasure_x': 'min',
                       'val_fmeasure': 'min',
                       'acc_gap': 'max',
                       'val_acc_top5': 'max',
                       'mae': 'min',
                       'lr': 'min',
                       'val_precision': 'min',
                       'accuracy_loss': 'max',
                       'my_acc': 'max'}}


@pytest.mark.parametrize("rule", sorted(AUTO_MODE_RULES))
def test_auto_mode_matches_tf_keras_for_every_name(rule):
    assert {name: resolve_mode("auto", name, rule) for name in NAMES} == TF_KERAS_AUTO[rule]


def test_the_three_rules_really_differ():
    assert [resolve_mode("auto", "acc_gap", rule) for rule in ("ModelCheckpoint", "EarlyStopping",
                                                               "ReduceLROnPlateau")] == ["max", "min", "max"]
    assert [resolve_mode("auto", "fmeasure", rule) for rule in ("ModelCheckpoint", "EarlyStopping",
                                                                "ReduceLROnPlateau")] == ["max", "min", "min"]
    assert [resolve_mode("auto", "val_auc", rule) for rule in ("ModelCheckpoint", "EarlyStopping",
                                                               "ReduceLROnPlateau")] == ["min", "max", "min"]


@pytest.mark.parametrize("mode", ["min", "max"])
def test_explicit_mode_wins_over_the_name(mode):
    for rule in AUTO_MODE_RULES:
        assert resolve_mode(mode, "val_acc", rule) == mode and resolve_mode(mode, "val_loss", rule) == mode


def test_unknown_mode_warns_with_the_callbacks_words_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="^Learning rate reduction mode MAX is unknown, fallback to auto mode.$"):
        assert resolve_mode("MAX", "val_loss", "ReduceLROnPlateau", "Learning rate reduction") == "min"
    with pytest.warns(UserWarning, match="^EarlyStopping mode None is unknown, fallback to auto mode.$"):
        assert resolve_mode(None, "val_accuracy", "EarlyStopping") == "max"


def test_min_mode_improvement_needs_more_than_min_delta():
    cb = MonitorCallback("val_loss", "min", 0.1, rule="EarlyStopping")
    assert (cb.monitor_op, cb.min_delta, cb.best) == (np.less, -0.1, np.inf)
    assert cb.is_improvement(0.85, 1.0) and not cb.is_improvement(0.95, 1.0)
    assert not cb.is_improvement(1.0, 1.0)                     # strict
    assert not cb.is_improvement(float("nan"), 1.0)


def test_max_mode_improvement_needs_more_than_min_delta():
    cb = MonitorCallback("val_acc", "auto", 0.05, rule="EarlyStopping")
    assert (cb.mode, cb.monitor_op, cb.min_delta, cb.best) == ("max", np.greater, 0.05, -np.inf)
    assert cb.is_improvement(0.7, 0.6) and not cb.is_improvement(0.64, 0.6)
    assert cb.initial_best() == -np.inf


def test_missing_monitor_warns_and_returns_none():
    cb = MonitorCallback("val_loss", rule="EarlyStopping")
    with pytest.warns(RuntimeWarning, match="^`val_loss` missing; have loss,acc$"):
        assert cb.get_monitor_value({"loss": 1.0, "acc": 0.5}, "`{monitor}` missing; have {available}") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cb.get_monitor_value({"val_loss": 0.25}, "unused") == 0.25


@pytest.mark.parametrize("kwargs, error", [({"monitor": 3}, TypeError), ({"min_delta": "0.1"}, TypeError),
                                           ({"min_delta": None}, TypeError)])
def test_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        MonitorCallback(rule="EarlyStopping", **kwargs)


def test_check_epochs():
    assert check_epochs("patience", 3) == 3 and check_epochs("patience", np.int64(0)) == 0
    for bad in (-1, 2.0, True, None):
        with pytest.raises(ValueError, match="patience must be an int >= 0"):
            check_epochs("patience", bad)


def test_docs_page_runs_and_prints_what_it_shows(tmp_path):
    """docs/callbacks.md (the page of these six callbacks): every example runs and prints its output."""
    import pathlib

    import minikeras.callbacks
    from tests.docs.test_docs_code import assert_output_matches, python_blocks_with_outputs, run_page
    names = ("ModelCheckpoint", "EarlyStopping", "LearningRateScheduler", "ReduceLROnPlateau", "CSVLogger",
             "RemoteMonitor")
    if not all(hasattr(minikeras.callbacks, name) for name in names):
        pytest.skip("minikeras.callbacks does not export the monitoring callbacks yet")
    page = pathlib.Path(__file__).resolve().parents[2] / "docs" / "callbacks.md"
    blocks = python_blocks_with_outputs(page.read_text(encoding="utf-8"))
    outputs, stderr, returncode = run_page(page, tmp_path)
    assert returncode == 0, stderr
    assert len(outputs) == len(blocks) and sum(expected is not None for _, _, expected in blocks) == 9  # one output block per example, BackupAndRestore included
    for (line, _, expected), actual in zip(blocks, outputs):
        if expected is not None:
            assert_output_matches(actual, expected, f"callbacks.md: output of the block at line {line}")


def record_tf_keras():
    """Returns TF_KERAS_AUTO: the direction each tf_keras callback picks in 'auto' mode."""
    callbacks = tk_callbacks()

    def checkpoint(name):
        return "max" if callbacks.ModelCheckpoint("w.h5", monitor=name).monitor_op is np.greater else "min"

    def early_stopping(name):
        return "max" if callbacks.EarlyStopping(monitor=name).monitor_op is np.greater else "min"

    def reduce_lr(name):
        return "max" if callbacks.ReduceLROnPlateau(monitor=name).best == -np.inf else "min"

    return {rule: {name: fn(name) for name in NAMES} for rule, fn in
            (("EarlyStopping", early_stopping), ("ModelCheckpoint", checkpoint), ("ReduceLROnPlateau", reduce_lr))}


@pytest.mark.tf_keras
def test_live_tf_keras_matches_recording():
    assert record_tf_keras() == TF_KERAS_AUTO


if __name__ == "__main__":
    import pprint
    pprint.pprint(record_tf_keras(), width=110, compact=True, sort_dicts=False)
