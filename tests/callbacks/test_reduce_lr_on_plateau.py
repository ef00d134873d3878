"""ReduceLROnPlateau on scripted log sequences: the learning-rate trajectory equals tf_keras 2.21's.

TF_KERAS was recorded by driving tf_keras 2.21's own ``tf_keras.callbacks.ReduceLROnPlateau``
with ``tests.callbacks.stubs.drive_epochs`` on a stub model whose ``optimizer.lr`` is a float32
``tf.Variable`` (``tk_stub_model``): run

    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/venv/bin/python -m tests.callbacks.test_reduce_lr_on_plateau

which prints the table. ``lr_logged`` holds ``float(logs['lr'])`` of every epoch (the float32
value widened exactly to a Python float), ``final_lr`` the rate after the last epoch.
``test_live_tf_keras_matches_recording`` re-checks the table when tf_keras is installed.
"""
import warnings

import numpy as np
import pytest

from minikeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD
from tests.callbacks.stubs import StubModel, run_captured, tk_callbacks, tk_stub_model

INF = float("inf")
SEQUENCES = {
    "P": [1.0, 0.9, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85, 0.84995, 0.7, 0.7, 0.7, 0.7, 0.7],
    "ACC": [0.5, 0.6, 0.6, 0.65, 0.64, 0.66, 0.6, 0.6, 0.6, 0.6],
    "FLAT8": [1.0] * 8,
    "FLAT13": [1.0] * 13,
}

# name: (constructor kwargs, sequence, initial lr); the monitor is kwargs.get('monitor', 'val_loss').
SCENARIOS = {
    "defaults_patience_10": ({}, "FLAT13", 0.01),
    "patience_2_factor_half": ({"factor": 0.5, "patience": 2, "verbose": 1}, "P", 0.1),
    "cooldown_2": ({"factor": 0.5, "patience": 1, "cooldown": 2, "verbose": 1}, "P", 0.1),
    "patience_1_cooldown_1_flat": ({"patience": 1, "cooldown": 1, "verbose": 1}, "FLAT8", 0.05),
    "min_lr_clamps": ({"factor": 0.1, "patience": 1, "min_lr": 0.002, "verbose": 1}, "P", 0.1),
    "min_lr_already_reached": ({"patience": 1, "min_lr": 0.001}, "P", 0.001),
    "min_delta_large": ({"patience": 1, "min_delta": 0.08, "factor": 0.5}, "P", 0.1),
    "epsilon_alias": ({"patience": 1, "epsilon": 0.08, "factor": 0.5}, "P", 0.1),
    "negative_min_delta_keeps_sign": ({"patience": 1, "min_delta": -0.02, "factor": 0.5}, "P", 0.1),
    "default_min_delta_1e-4": ({"patience": 1, "factor": 0.5}, "P", 0.1),
    "auto_val_acc_is_max": ({"monitor": "val_acc", "patience": 1, "factor": 0.5, "verbose": 1}, "ACC", 0.1),
    "auto_acc_gap_is_max": ({"monitor": "acc_gap", "patience": 1, "factor": 0.5}, "ACC", 0.1),
    "explicit_min_on_acc": ({"monitor": "val_acc", "mode": "min", "patience": 1, "factor": 0.5}, "ACC", 0.1),
    "unknown_mode_falls_back": ({"mode": "bogus", "patience": 1, "factor": 0.5}, "P", 0.1),
    "factor_zero": ({"patience": 2, "factor": 0.0, "verbose": 1}, "P", 0.1),
}


def logs_for(kwargs, seq):
    return [{"loss": 0.5, kwargs.get("monitor", "val_loss"): v} for v in SEQUENCES[seq]]


def run(cls, name, model_factory):
    kwargs, seq, lr = SCENARIOS[name]
    model = model_factory(lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        callback = cls(**kwargs)
        model, printed = run_captured(callback, logs_for(kwargs, seq), model=model)
    lrs = [logs["lr"] for logs in model.epoch_logs]
    assert all(type(lr) is np.float32 for lr in lrs)        # tf_keras's type for `lr` in the logs
    return {"lr_logged": [float(lr) for lr in lrs], "final_lr": float(np.asarray(model.optimizer.lr)),
            "best": float(callback.best), "wait": callback.wait, "cooldown_counter": callback.cooldown_counter,
            "printed": printed}


# Recorded from tf_keras 2.21 with the command in the module docstring.
TF_KERAS = {'defaults_patience_10': {'lr_logged': [0.009999999776482582, 0.009999999776482582, 0.009999999776482582,
                                        0.009999999776482582, 0.009999999776482582, 0.009999999776482582,
                                        0.009999999776482582, 0.009999999776482582, 0.009999999776482582,
                                        0.009999999776482582, 0.009999999776482582, 0.0010000000474974513,
                                        0.0010000000474974513],
                          'final_lr': 0.0010000000474974513,
                          'best': 1.0,
                          'wait': 2,
                          'cooldown_counter': 0,
                          'printed': ''},
 'patience_2_factor_half': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                          0.10000000149011612, 0.05000000074505806, 0.05000000074505806,
                                          0.05000000074505806, 0.02500000037252903, 0.02500000037252903,
                                          0.012500000186264515, 0.012500000186264515, 0.012500000186264515,
                                          0.0062500000931322575, 0.0062500000931322575],
                            'final_lr': 0.0031250000465661287,
                            'best': 0.7,
                            'wait': 0,
                            'cooldown_counter': 0,
                            'printed': '\n'
                                       'Epoch 4: ReduceLROnPlateau reducing learning rate to '
                                       '0.05000000074505806.\n'
                                       '\n'
                                       'Epoch 7: ReduceLROnPlateau reducing learning rate to '
                                       '0.02500000037252903.\n'
                                       '\n'
                                       'Epoch 9: ReduceLROnPlateau reducing learning rate to '
                                       '0.012500000186264515.\n'
                                       '\n'
                                       'Epoch 12: ReduceLROnPlateau reducing learning rate to '
                                       '0.0062500000931322575.\n'
                                       '\n'
                                       'Epoch 14: ReduceLROnPlateau reducing learning rate to '
                                       '0.0031250000465661287.\n'},
 'cooldown_2': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                              0.05000000074505806, 0.05000000074505806, 0.05000000074505806,
                              0.02500000037252903, 0.02500000037252903, 0.012500000186264515,
                              0.012500000186264515, 0.012500000186264515, 0.0062500000931322575,
                              0.0062500000931322575, 0.0031250000465661287],
                'final_lr': 0.0031250000465661287,
                'best': 0.7,
                'wait': 0,
                'cooldown_counter': 1,
                'printed': '\n'
                           'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n'
                           '\n'
                           'Epoch 6: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.\n'
                           '\n'
                           'Epoch 8: ReduceLROnPlateau reducing learning rate to 0.012500000186264515.\n'
                           '\n'
                           'Epoch 11: ReduceLROnPlateau reducing learning rate to 0.0062500000931322575.\n'
                           '\n'
                           'Epoch 13: ReduceLROnPlateau reducing learning rate to 0.0031250000465661287.\n'},
 'patience_1_cooldown_1_flat': {'lr_logged': [0.05000000074505806, 0.05000000074505806, 0.005000000353902578,
                                              0.0005000000237487257, 5.0000002374872565e-05,
                                              5.000000328436727e-06, 5.000000555810402e-07,
                                              5.000000768973223e-08],
                                'final_lr': 5.000000857791065e-09,
                                'best': 1.0,
                                'wait': 0,
                                'cooldown_counter': 1,
                                'printed': '\n'
                                           'Epoch 2: ReduceLROnPlateau reducing learning rate to '
                                           '0.005000000353902578.\n'
                                           '\n'
                                           'Epoch 3: ReduceLROnPlateau reducing learning rate to '
                                           '0.0005000000237487257.\n'
                                           '\n'
                                           'Epoch 4: ReduceLROnPlateau reducing learning rate to '
                                           '5.0000002374872565e-05.\n'
                                           '\n'
                                           'Epoch 5: ReduceLROnPlateau reducing learning rate to '
                                           '5.000000328436727e-06.\n'
                                           '\n'
                                           'Epoch 6: ReduceLROnPlateau reducing learning rate to '
                                           '5.000000555810402e-07.\n'
                                           '\n'
                                           'Epoch 7: ReduceLROnPlateau reducing learning rate to '
                                           '5.000000768973223e-08.\n'
                                           '\n'
                                           'Epoch 8: ReduceLROnPlateau reducing learning rate to '
                                           '5.000000857791065e-09.\n'},
 'min_lr_clamps': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                 0.010000000707805157, 0.0020000000949949026, 0.0020000000949949026,
                                 0.0020000000949949026, 0.0020000000949949026, 0.0020000000949949026,
                                 0.0020000000949949026, 0.0020000000949949026, 0.0020000000949949026,
                                 0.0020000000949949026, 0.0020000000949949026],
                   'final_lr': 0.0020000000949949026,
                   'best': 0.7,
                   'wait': 4,
                   'cooldown_counter': 0,
                   'printed': '\n'
                              'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.010000000707805157.\n'
                              '\n'
                              'Epoch 4: ReduceLROnPlateau reducing learning rate to 0.002.\n'},
 'min_lr_already_reached': {'lr_logged': [0.0010000000474974513, 0.0010000000474974513, 0.0010000000474974513,
                                          0.0010000000474974513, 0.0010000000474974513, 0.0010000000474974513,
                                          0.0010000000474974513, 0.0010000000474974513, 0.0010000000474974513,
                                          0.0010000000474974513, 0.0010000000474974513, 0.0010000000474974513,
                                          0.0010000000474974513, 0.0010000000474974513],
                            'final_lr': 0.0010000000474974513,
                            'best': 0.7,
                            'wait': 4,
                            'cooldown_counter': 0,
                            'printed': ''},
 'min_delta_large': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                   0.05000000074505806, 0.02500000037252903, 0.012500000186264515,
                                   0.0062500000931322575, 0.0031250000465661287, 0.0015625000232830644,
                                   0.0007812500116415322, 0.0007812500116415322, 0.0003906250058207661,
                                   0.00019531250291038305, 9.765625145519152e-05],
                     'final_lr': 4.882812572759576e-05,
                     'best': 0.7,
                     'wait': 0,
                     'cooldown_counter': 0,
                     'printed': ''},
 'epsilon_alias': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                 0.05000000074505806, 0.02500000037252903, 0.012500000186264515,
                                 0.0062500000931322575, 0.0031250000465661287, 0.0015625000232830644,
                                 0.0007812500116415322, 0.0007812500116415322, 0.0003906250058207661,
                                 0.00019531250291038305, 9.765625145519152e-05],
                   'final_lr': 4.882812572759576e-05,
                   'best': 0.7,
                   'wait': 0,
                   'cooldown_counter': 0,
                   'printed': ''},
 'negative_min_delta_keeps_sign': {'lr_logged': [0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612,
                                                 0.10000000149011612, 0.10000000149011612],
                                   'final_lr': 0.10000000149011612,
                                   'best': 0.7,
                                   'wait': 0,
                                   'cooldown_counter': 0,
                                   'printed': ''},
 'default_min_delta_1e-4': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                          0.05000000074505806, 0.02500000037252903, 0.02500000037252903,
                                          0.012500000186264515, 0.0062500000931322575, 0.0031250000465661287,
                                          0.0015625000232830644, 0.0015625000232830644, 0.0007812500116415322,
                                          0.0003906250058207661, 0.00019531250291038305],
                            'final_lr': 9.765625145519152e-05,
                            'best': 0.7,
                            'wait': 0,
                            'cooldown_counter': 0,
                            'printed': ''},
 'auto_val_acc_is_max': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                       0.05000000074505806, 0.05000000074505806, 0.02500000037252903,
                                       0.02500000037252903, 0.012500000186264515, 0.0062500000931322575,
                                       0.0031250000465661287],
                         'final_lr': 0.0015625000232830644,
                         'best': 0.66,
                         'wait': 0,
                         'cooldown_counter': 0,
                         'printed': '\n'
                                    'Epoch 3: ReduceLROnPlateau reducing learning rate to '
                                    '0.05000000074505806.\n'
                                    '\n'
                                    'Epoch 5: ReduceLROnPlateau reducing learning rate to '
                                    '0.02500000037252903.\n'
                                    '\n'
                                    'Epoch 7: ReduceLROnPlateau reducing learning rate to '
                                    '0.012500000186264515.\n'
                                    '\n'
                                    'Epoch 8: ReduceLROnPlateau reducing learning rate to '
                                    '0.0062500000931322575.\n'
                                    '\n'
                                    'Epoch 9: ReduceLROnPlateau reducing learning rate to '
                                    '0.0031250000465661287.\n'
                                    '\n'
                                    'Epoch 10: ReduceLROnPlateau reducing learning rate to '
                                    '0.0015625000232830644.\n'},
 'auto_acc_gap_is_max': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                       0.05000000074505806, 0.05000000074505806, 0.02500000037252903,
                                       0.02500000037252903, 0.012500000186264515, 0.0062500000931322575,
                                       0.0031250000465661287],
                         'final_lr': 0.0015625000232830644,
                         'best': 0.66,
                         'wait': 0,
                         'cooldown_counter': 0,
                         'printed': ''},
 'explicit_min_on_acc': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.05000000074505806,
                                       0.02500000037252903, 0.012500000186264515, 0.0062500000931322575,
                                       0.0031250000465661287, 0.0015625000232830644, 0.0007812500116415322,
                                       0.0003906250058207661],
                         'final_lr': 0.00019531250291038305,
                         'best': 0.5,
                         'wait': 0,
                         'cooldown_counter': 0,
                         'printed': ''},
 'unknown_mode_falls_back': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                                           0.05000000074505806, 0.02500000037252903, 0.02500000037252903,
                                           0.012500000186264515, 0.0062500000931322575, 0.0031250000465661287,
                                           0.0015625000232830644, 0.0015625000232830644,
                                           0.0007812500116415322, 0.0003906250058207661,
                                           0.00019531250291038305],
                             'final_lr': 9.765625145519152e-05,
                             'best': 0.7,
                             'wait': 0,
                             'cooldown_counter': 0,
                             'printed': ''},
 'factor_zero': {'lr_logged': [0.10000000149011612, 0.10000000149011612, 0.10000000149011612,
                               0.10000000149011612, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                 'final_lr': 0.0,
                 'best': 0.7,
                 'wait': 4,
                 'cooldown_counter': 0,
                 'printed': '\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.0.\n'}}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_lr_trajectory_matches_tf_keras(name):
    assert run(ReduceLROnPlateau, name, lambda lr: StubModel(lr)) == TF_KERAS[name]


@pytest.mark.tf_keras
def test_live_tf_keras_matches_recording():
    callbacks = tk_callbacks()
    assert {name: run(callbacks.ReduceLROnPlateau, name, tk_stub_model) for name in SCENARIOS} == TF_KERAS


# --------------------------------------------------------------------------- arguments, one by one
def test_defaults_are_the_seed_documents():
    cb = ReduceLROnPlateau()
    assert (cb.monitor, cb.factor, cb.patience, cb.verbose, cb.mode, cb.cooldown, cb.min_lr) == \
        ("val_loss", 0.1, 10, 0, "min", 0, 0)
    assert cb.min_delta == 1e-4 and cb.best == INF      # as given, as Keras 2.2.4 and tf_keras


@pytest.mark.parametrize("factor", [1.0, 1.5])
def test_factor_of_one_or_more_is_a_value_error(factor):
    with pytest.raises(ValueError, match=f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}"):
        ReduceLROnPlateau(factor=factor)


def test_factor_must_be_a_number():
    with pytest.raises(TypeError, match="factor must be a number"):
        ReduceLROnPlateau(factor="0.5")


def test_epsilon_is_the_seed_documents_name_of_min_delta_and_warns():
    with pytest.warns(DeprecationWarning, match="`epsilon` argument is deprecated and will be removed, use "
                                                "`min_delta` instead."):
        cb = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, mode="auto", epsilon=0.0001,
                               cooldown=0, min_lr=0.001)
    assert cb.min_delta == 0.0001     # Keras 2.2.4's own test asserts this
    assert ReduceLROnPlateau(min_delta=0.5, mode='max').min_delta == 0.5


def test_other_keyword_arguments_are_type_errors():
    with pytest.raises(TypeError, match="min_deltaa"):
        ReduceLROnPlateau(min_deltaa=0.1)


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="Learning rate reduction mode bogus is unknown, fallback to auto mode."):
        cb = ReduceLROnPlateau(monitor="val_acc", mode="bogus")
    assert cb.mode == "max"


@pytest.mark.parametrize("kwargs", [{"patience": -1}, {"cooldown": 0.5}])
def test_bad_counts_are_value_errors_naming_the_argument(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        ReduceLROnPlateau(**kwargs)


def test_missing_monitor_warns_but_still_logs_lr():
    cb = ReduceLROnPlateau(monitor="val_loss", patience=0)
    with pytest.warns(RuntimeWarning, match="Learning rate reduction is conditioned on metric `val_loss` which is "
                                            "not available. Available metrics are: loss,lr"):
        model, _ = run_captured(cb, [{"loss": 1.0}] * 3, model=StubModel(0.5))
    assert [float(logs["lr"]) for logs in model.epoch_logs] == [0.5] * 3
    assert float(np.asarray(model.optimizer.lr)) == 0.5


def test_each_fit_starts_afresh():
    cb = ReduceLROnPlateau(monitor="loss", patience=1, cooldown=3, factor=0.5)
    run_captured(cb, [{"loss": 1.0}] * 2)
    assert (cb.cooldown_counter, cb.best) == (3, 1.0)
    model, _ = run_captured(cb, [{"loss": 5.0}], model=StubModel(0.5))
    assert (cb.cooldown_counter, cb.wait, cb.best) == (0, 0, 5.0)


def test_lr_is_changed_on_the_optimizer_that_the_model_trains_with():
    model = StubModel(0.1)
    run_captured(ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5), [{"loss": 1.0}] * 2, model=model)
    assert model.optimizer.lr is model.optimizer.learning_rate and float(model.optimizer.lr) == np.float32(0.05)


# --------------------------------------------------------------------------- end to end, in fit
# tf_keras 2.21, same run: Dense(1, use_bias=False, kernel 'ones') on zero inputs (so the gradient is
# zero and val_loss stays 1.0), SGD(learning_rate=0.01), mse, batch 4, epochs 14, validation_data=(x, y),
# ReduceLROnPlateau(monitor='val_loss', factor=0.2, patience=5, min_lr=0.001, verbose=1) (the seed's
# example): [float(v) for v in history.history['lr']] and stdout were
TF_KERAS_FIT_LR = [0.009999999776482582] * 6 + [0.0020000000949949026] * 5 + [0.0010000000474974513] * 3
TF_KERAS_FIT_OUT = ("\nEpoch 6: ReduceLROnPlateau reducing learning rate to 0.0020000000949949026.\n"
                    "\nEpoch 11: ReduceLROnPlateau reducing learning rate to 0.001.\n")


def test_fit_with_the_seed_example_arguments_matches_tf_keras(capsys):
    x, y = np.zeros((8, 2), "float32"), np.ones((8, 1), "float32")
    model = Sequential([Dense(1, input_dim=2, use_bias=False, kernel_initializer="ones")])
    model.compile(optimizer=SGD(learning_rate=0.01), loss="mse")
    reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001, verbose=1)
    h = model.fit(x, y, batch_size=4, epochs=14, verbose=0, validation_data=(x, y), callbacks=[reduce_lr])
    assert [float(v) for v in h.history["lr"]] == TF_KERAS_FIT_LR
    assert capsys.readouterr().out == TF_KERAS_FIT_OUT


def record_tf_keras():
    """Returns the TF_KERAS table, computed with tf_keras's own ReduceLROnPlateau."""
    callbacks = tk_callbacks()
    return {name: run(callbacks.ReduceLROnPlateau, name, tk_stub_model) for name in SCENARIOS}


if __name__ == "__main__":
    import pprint
    pprint.pprint(record_tf_keras(), width=110, compact=True, sort_dicts=False)
