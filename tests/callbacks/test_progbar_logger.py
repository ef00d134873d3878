"""Tests for minikeras.callbacks.progbar_logger.ProgbarLogger against recorded tf_keras 2.21 output.

How the REAL_* constants were recorded (tf_keras 2.21, TF 2.21, Python 3.11, stdout a StringIO):

    x = RandomState(0).rand(10, 3); y = RandomState(1).rand(10, 1) > 0.5      (float32)
    xv = RandomState(2).rand(4, 3); yv = RandomState(3).rand(4, 1) > 0.5
    model = Sequential([Dense(2, 'relu', input_shape=(3,)), Dense(1, 'sigmoid')])
    model.compile('sgd', 'binary_crossentropy', metrics=['accuracy'])
    model.fit(x, y, batch_size=4, epochs=2, validation_data=(xv, yv), verbose=v,
              shuffle=False, callbacks=[rec])                 # then evaluate(x, y, 4), predict(x, 4)

``rec`` was a callback (so it ran BEFORE tf_keras's ProgbarLogger) that recorded every hook's
``logs`` (the *_EPOCHS / *_BATCHES numbers below) and slept 0.06 s in every ``on_*_batch_end``
so that no update fell under the 0.05 s throttle. Apart from the timing numbers that output is
deterministic; the tests drive minikeras's ProgbarLogger with the same hooks and numbers and
compare after normalising ONLY the timing fields (:func:`normalise`).

The EXACT_* constants were recorded by driving tf_keras 2.21's own ``ProgbarLogger`` (with
``stateful_metrics`` = all logged names, which is what a tf_keras model's metrics give it)
through :func:`drive_fit`/:func:`drive_evaluate`/:func:`drive_predict` below with the same
:class:`FakeClock` patched into ``tf_keras.src.utils.generic_utils.time``; those compare exactly,
timing included. ``test_live_*`` repeat both recordings when tf_keras is installed.
"""
import io
import re
import sys
import types

import numpy as np
import pytest

from minikeras.callbacks.callback import Callback
from minikeras.callbacks.progbar_logger import ProgbarLogger
from minikeras.utils.progbar import Progbar

BS = "\b"

# Logs recorded from the tf_keras runs: per epoch ([(loss, accuracy) per train batch], (val_loss, val_accuracy)).
FIT_V1_EPOCHS = [
    ([(0.7437449097633362, 0.25), (0.9348878860473633, 0.25), (0.8653173446655273, 0.4000000059604645)],
     (0.5790988206863403, 1.0)),
    ([(0.7310945987701416, 0.5), (0.9172439575195312, 0.375), (0.8520227670669556, 0.5)],
     (0.5875219106674194, 1.0)),
]
FIT_V2_EPOCHS = [
    ([(0.7217719554901123, 0.5), (0.9017696380615234, 0.375), (0.8404484987258911, 0.5)],
     (0.595829963684082, 1.0)),
    ([(0.7129306793212891, 0.5), (0.8870156407356262, 0.375), (0.8294339179992676, 0.5)],
     (0.6040197014808655, 1.0)),
]
FIT1_V1_EPOCHS = [  # epochs=1, no validation
    ([(0.7045398950576782, 0.5), (0.8729419112205505, 0.375), (0.8189457654953003, 0.5)], None),
]
EVAL_V1_BATCHES = [(0.7217719554901123, 0.5), (0.9050143957138062, 0.375), (0.8416406512260437, 0.5)]
EVAL_V2_BATCHES = [(0.7045398950576782, 0.5), (0.8758775591850281, 0.375), (0.8198844790458679, 0.5)]
BATCH_SIZES = [4, 4, 2]  # 10 samples, batch_size 4

# Real tf_keras 2.21 stdout (see the module docstring).
REAL_FIT_V1 = (
    "Epoch 1/2\n"
    "\r1/3 [=========>....................] - ETA: 2s - loss: 0.7437 - accuracy: 0.2500" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.9349 - accuracy: 0.2500" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8653 - accuracy: 0.4000" + BS * 80
    + "\r3/3 [==============================] - 2s 349ms/step - loss: 0.8653 - accuracy: 0.4000"
      " - val_loss: 0.5791 - val_accuracy: 1.0000\n"
    "Epoch 2/2\n"
    "\r1/3 [=========>....................] - ETA: 0s - loss: 0.7311 - accuracy: 0.5000" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.9172 - accuracy: 0.3750" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8520 - accuracy: 0.5000" + BS * 80
    + "\r3/3 [==============================] - 0s 132ms/step - loss: 0.8520 - accuracy: 0.5000"
      " - val_loss: 0.5875 - val_accuracy: 1.0000\n"
)
REAL_FIT_V2 = (
    "Epoch 1/2\n"
    "3/3 - 0s - loss: 0.8404 - accuracy: 0.5000 - val_loss: 0.5958 - val_accuracy: 1.0000"
    " - 383ms/epoch - 128ms/step\n"
    "Epoch 2/2\n"
    "3/3 - 0s - loss: 0.8294 - accuracy: 0.5000 - val_loss: 0.6040 - val_accuracy: 1.0000"
    " - 291ms/epoch - 97ms/step\n"
)
REAL_FIT1_V1 = (  # epochs=1: no "Epoch 1/1" line
    "\r1/3 [=========>....................] - ETA: 0s - loss: 0.7045 - accuracy: 0.5000" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.8729 - accuracy: 0.3750" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8189 - accuracy: 0.5000" + BS * 80
    + "\r3/3 [==============================] - 0s 63ms/step - loss: 0.8189 - accuracy: 0.5000\n"
)
REAL_EVAL_V1 = (
    "\r1/3 [=========>....................] - ETA: 0s - loss: 0.7218 - accuracy: 0.5000" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.9050 - accuracy: 0.3750" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8416 - accuracy: 0.5000" + BS * 80
    + "\r3/3 [==============================] - 0s 69ms/step - loss: 0.8416 - accuracy: 0.5000\n"
)
REAL_EVAL_V2 = "3/3 - 0s - loss: 0.8199 - accuracy: 0.5000 - 216ms/epoch - 72ms/step\n"
REAL_PRED_V1 = (
    "\r1/3 [=========>....................] - ETA: 0s" + BS * 46
    + "\r2/3 [===================>..........] - ETA: 0s" + BS * 46
    + "\r3/3 [==============================] - ETA: 0s" + BS * 46
    + "\r3/3 [==============================] - 0s 63ms/step\n"
)
REAL_PRED_V2 = "3/3 - 0s - 200ms/epoch - 67ms/step\n"


# ---------------------------------------------------------------------------- drivers
class FakeClock:
    """A clock that moves 0.1 s forward before every hook call."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _capture(run):
    old, sys.stdout = sys.stdout, io.StringIO()
    try:
        run()
        return sys.stdout.getvalue()
    finally:
        sys.stdout = old


def _caller(logger, clock, batch_keys):
    def call(hook, *args):
        *positional, logs = args
        if not batch_keys:  # tf_keras's logs never carry minikeras's 'batch'/'size'
            logs = {k: v for k, v in logs.items() if k not in ("batch", "size")}
        clock.now += 0.1
        getattr(logger, hook)(*positional, logs=logs)
    return call


def drive_fit(logger, clock, verbose, epochs, batch_keys=True):
    """The hook sequence of ``fit`` (tf_keras's order), with validation after each epoch."""
    call = _caller(logger, clock, batch_keys)
    logger.set_params({"verbose": verbose, "epochs": len(epochs), "steps": len(epochs[0][0])})
    call("on_train_begin", {})
    for epoch, (batches, val) in enumerate(epochs):
        call("on_epoch_begin", epoch, {})
        for i, (loss, acc) in enumerate(batches):
            call("on_train_batch_begin", i, {"batch": i, "size": BATCH_SIZES[i]})
            call("on_train_batch_end", i, {"batch": i, "size": BATCH_SIZES[i], "loss": loss, "accuracy": acc})
        logs = {"loss": loss, "accuracy": acc}
        if val is not None:
            call("on_test_begin", {})
            call("on_test_batch_begin", 0, {"batch": 0, "size": 4})
            call("on_test_batch_end", 0, {"batch": 0, "size": 4, "loss": val[0], "accuracy": val[1]})
            call("on_test_end", {"loss": val[0], "accuracy": val[1]})
            logs.update(val_loss=val[0], val_accuracy=val[1])
        call("on_epoch_end", epoch, logs)
    call("on_train_end", logs)


def drive_evaluate(logger, clock, verbose, batches, batch_keys=True):
    call = _caller(logger, clock, batch_keys)
    logger.set_params({"verbose": verbose, "epochs": 1, "steps": len(batches)})
    call("on_test_begin", {})
    for i, (loss, acc) in enumerate(batches):
        call("on_test_batch_begin", i, {"batch": i, "size": BATCH_SIZES[i]})
        call("on_test_batch_end", i, {"batch": i, "size": BATCH_SIZES[i], "loss": loss, "accuracy": acc})
    call("on_test_end", {"loss": loss, "accuracy": acc})


def drive_predict(logger, clock, verbose, batch_keys=True):
    call = _caller(logger, clock, batch_keys)
    logger.set_params({"verbose": verbose, "epochs": 1, "steps": 3})
    call("on_predict_begin", {})
    for i, size in enumerate(BATCH_SIZES):
        call("on_predict_batch_begin", i, {"batch": i, "size": size})
        call("on_predict_batch_end", i, {"batch": i, "size": size, "outputs": np.full((size, 1), 0.5)})
    call("on_predict_end", {})


SCENARIOS = {  # name -> function(logger, clock, batch_keys)
    "fit_v1": lambda lg, c, bk=True: drive_fit(lg, c, 1, FIT_V1_EPOCHS, bk),
    "fit_v2": lambda lg, c, bk=True: drive_fit(lg, c, 2, FIT_V2_EPOCHS, bk),
    "fit1_v1": lambda lg, c, bk=True: drive_fit(lg, c, 1, FIT1_V1_EPOCHS, bk),
    "eval_v1": lambda lg, c, bk=True: drive_evaluate(lg, c, 1, EVAL_V1_BATCHES, bk),
    "eval_v2": lambda lg, c, bk=True: drive_evaluate(lg, c, 2, EVAL_V2_BATCHES, bk),
    "pred_v1": lambda lg, c, bk=True: drive_predict(lg, c, 1, bk),
    "pred_v2": lambda lg, c, bk=True: drive_predict(lg, c, 2, bk),
}
REAL = {"fit_v1": REAL_FIT_V1, "fit_v2": REAL_FIT_V2, "fit1_v1": REAL_FIT1_V1, "eval_v1": REAL_EVAL_V1,
        "eval_v2": REAL_EVAL_V2, "pred_v1": REAL_PRED_V1, "pred_v2": REAL_PRED_V2}


def normalise(text):
    """Replaces the timing fields (and only them) by placeholders: ``349ms/step`` -> ``T/step``,
    ``ETA: 2s`` -> ``ETA: T``, the elapsed `` - 2s`` -> `` - Ts``."""
    text = re.sub(r"\d+(?:s|ms|us)/(step|sample|epoch)", r"T/\1", text)
    text = re.sub(r"ETA: \d+(?::\d\d){0,2}s?", "ETA: T", text)
    return re.sub(r" - \d+s(?=[ \n]|$)", " - Ts", text)


def run_minikeras(name, count_mode="steps", **kwargs):
    clock = FakeClock()
    original = Progbar.clock
    Progbar.clock = staticmethod(clock)
    try:
        logger = ProgbarLogger(count_mode, **kwargs)
        return _capture(lambda: SCENARIOS[name](logger, clock))
    finally:
        Progbar.clock = original


# ---------------------------------------------------------------------------- tests
def test_normalise_touches_only_timing():
    assert normalise(" - ETA: 1:02 - loss: 12.0000") == " - ETA: T - loss: 12.0000"
    assert normalise("3/3 - 0s - loss: 0.8199 - 216ms/epoch - 72ms/step\n") == \
        "3/3 - Ts - loss: 0.8199 - T/epoch - T/step\n"
    assert normalise("[====] - 12s 3s/step - a: 1.0000\n") == "[====] - Ts T/step - a: 1.0000\n"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_matches_real_tf_keras_output_apart_from_timing(name):
    mine = run_minikeras(name)
    assert normalise(mine) == normalise(REAL[name])
    assert mine != ""  # the comparison is not vacuous


def test_fake_clock_timing_text_is_tf_keras_arithmetic():
    # fit_v1 epoch 1, clock +0.1 s per hook: on_epoch_begin at 0.2 (bar start), step 1 ends at 0.4,
    # on_epoch_end at 1.3 -> elapsed 1.1 s shown "1s"; step time (1.3 - 0.4) / (3 - 1) = 450ms.
    out = run_minikeras("fit_v1")
    assert "\r3/3 [==============================] - 1s 450ms/step - loss: 0.8653" in out


def test_batch_and_size_are_not_displayed():
    for name in SCENARIOS:
        out = run_minikeras(name)
        assert "batch" not in out and "size" not in out and "outputs" not in out


def test_validation_inside_fit_is_silent_but_evaluate_prints():
    out = run_minikeras("fit_v1")
    assert out.count("\r") == 8 and out.count("\n") == 4  # 3 batch + 1 final redraw per epoch
    assert "1/1 [" not in out and " - loss: 0.5791" not in out  # no validation bar
    assert run_minikeras("eval_v1").endswith("- loss: 0.8416 - accuracy: 0.5000\n")


def test_count_mode_is_checked():
    with pytest.raises(ValueError, match="count_mode"):
        ProgbarLogger(count_mode="batches")
    assert ProgbarLogger("steps").use_steps and not ProgbarLogger().use_steps


def test_params_must_have_verbose_and_epochs():
    with pytest.raises(ValueError, match="epochs"):
        ProgbarLogger().set_params({"verbose": 1, "steps": 3})


def test_verbose_zero_prints_nothing():
    logger, clock = ProgbarLogger("steps"), FakeClock()
    assert _capture(lambda: drive_fit(logger, clock, 0, FIT_V1_EPOCHS)) == ""


def test_keys_added_by_earlier_callbacks_are_displayed_as_given():
    logger = ProgbarLogger("steps")
    logger.set_params({"verbose": 2, "epochs": 1, "steps": 1})
    logger.on_train_begin()
    logger.on_epoch_begin(0)
    logger.on_train_batch_end(0, {"batch": 0, "size": 4, "loss": 0.5})
    out = _capture(lambda: logger.on_epoch_end(0, {"loss": 0.5, "lr": 0.005}))
    assert out.startswith("1/1 - 0s - loss: 0.5000 - lr: 0.0050 - ")


def test_samples_mode_counts_size_and_learns_target_in_first_epoch():
    out = run_minikeras("fit_v1", count_mode="samples")
    assert "\r      4/Unknown - " in out and "\r     10/Unknown - " in out
    assert "\r10/10 [==============================] - " in out      # epoch 1 end, then epoch 2
    assert "\r 8/10 [=======================>......] - ETA: " in out


def test_samples_mode_uses_params_samples_when_given():
    logger = ProgbarLogger("samples")
    logger.set_params({"verbose": 1, "epochs": 1, "steps": 3, "samples": 10})
    assert logger.target == 10


def test_all_logged_values_are_stateful():
    # tf_keras averages names that are not stateful; minikeras's logs are running means already.
    logger = ProgbarLogger("steps")
    logger.set_params({"verbose": 1, "epochs": 1, "steps": 4})
    logger.on_epoch_begin(0)
    out = _capture(lambda: [logger.on_train_batch_end(i, {"loss": v}) for i, v in enumerate([1.0, 3.0])])
    assert logger.progbar._values["loss"] == [3.0, 1] and "loss: 1.0000" in out


# Recorded from tf_keras 2.21's own ProgbarLogger driven by the same hooks and FakeClock (module
# docstring): exact, timing included.
EXACT_FIT_V1 = (
    "Epoch 1/2\n"
    "\r1/3 [=========>....................] - ETA: 0s - loss: 0.7437 - accuracy: 0.2500" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.9349 - accuracy: 0.2500" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8653 - accuracy: 0.4000" + BS * 80
    + "\r3/3 [==============================] - 1s 450ms/step - loss: 0.8653 - accuracy: 0.4000"
      " - val_loss: 0.5791 - val_accuracy: 1.0000\n"
    "Epoch 2/2\n"
    "\r1/3 [=========>....................] - ETA: 0s - loss: 0.7311 - accuracy: 0.5000" + BS * 80
    + "\r2/3 [===================>..........] - ETA: 0s - loss: 0.9172 - accuracy: 0.3750" + BS * 80
    + "\r3/3 [==============================] - ETA: 0s - loss: 0.8520 - accuracy: 0.5000" + BS * 80
    + "\r3/3 [==============================] - 1s 450ms/step - loss: 0.8520 - accuracy: 0.5000"
      " - val_loss: 0.5875 - val_accuracy: 1.0000\n"
)
EXACT_FIT_V2 = (
    "Epoch 1/2\n"
    "3/3 - 1s - loss: 0.8404 - accuracy: 0.5000 - val_loss: 0.5958 - val_accuracy: 1.0000"
    " - 1s/epoch - 367ms/step\n"
    "Epoch 2/2\n"
    "3/3 - 1s - loss: 0.8294 - accuracy: 0.5000 - val_loss: 0.6040 - val_accuracy: 1.0000"
    " - 1s/epoch - 367ms/step\n"
)
EXACT_EVAL_V1_END = "\r3/3 [==============================] - 1s 250ms/step - loss: 0.8416 - accuracy: 0.5000\n"
EXACT_EVAL_V2 = "3/3 - 1s - loss: 0.8199 - accuracy: 0.5000 - 700ms/epoch - 233ms/step\n"
EXACT_PRED_V1 = (
    "\r1/3 [=========>....................] - ETA: 0s" + BS * 46
    + "\r2/3 [===================>..........] - ETA: 0s" + BS * 46
    + "\r3/3 [==============================] - ETA: 0s" + BS * 46
    + "\r3/3 [==============================] - 1s 250ms/step\n"
)


def test_exact_output_with_fake_clock():
    assert run_minikeras("fit_v1") == EXACT_FIT_V1
    assert run_minikeras("fit_v2") == EXACT_FIT_V2
    assert run_minikeras("eval_v1").endswith(EXACT_EVAL_V1_END)
    assert run_minikeras("eval_v2") == EXACT_EVAL_V2
    assert run_minikeras("pred_v1") == EXACT_PRED_V1


# ---------------------------------------------------------------------------- live tf_keras
@pytest.fixture
def tk():
    pytest.importorskip("tf_keras")
    from tf_keras.src import callbacks
    from tf_keras.src.utils import generic_utils
    return callbacks, generic_utils


@pytest.mark.tf_keras
@pytest.mark.parametrize("count_mode", ["steps", "samples"])
def test_live_same_hooks_on_tf_keras_progbar_logger_give_identical_output(tk, count_mode):
    callbacks, generic_utils = tk
    real_time = generic_utils.time
    try:
        for name, scenario in SCENARIOS.items():
            if count_mode == "samples" and name.startswith("pred"):
                continue  # tf_keras's predict passes no 'size', counts 0 samples and crashes
            clock = FakeClock()
            generic_utils.time = types.SimpleNamespace(time=clock)
            theirs = callbacks.ProgbarLogger(count_mode, stateful_metrics=[
                "loss", "accuracy", "val_loss", "val_accuracy"])
            expected = _capture(lambda: scenario(theirs, clock, count_mode == "samples"))
            assert run_minikeras(name, count_mode) == expected, name
    finally:
        generic_utils.time = real_time


@pytest.mark.tf_keras
def test_live_real_fit_matches_apart_from_timing(tk):
    import os
    import types
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tf_keras
    from tf_keras.src.utils import generic_utils as tk_progbar_module  # where tf_keras's Progbar reads the time

    ticks = iter(range(10**6))
    fake_time = types.SimpleNamespace(time=lambda: 1000.0 + 0.1 * next(ticks))  # 0.1 s per reading: above
    #                                   the 0.05 s throttle, so no update is skipped however loaded the machine

    class Recorder(tf_keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epochs = []

        def on_epoch_begin(self, epoch, logs=None):
            self.epochs.append([[], None])

        def on_train_batch_end(self, batch, logs=None):
            self.epochs[-1][0].append((float(logs["loss"]), float(logs["accuracy"])))

        def on_epoch_end(self, epoch, logs=None):
            self.epochs[-1][1] = (float(logs["val_loss"]), float(logs["val_accuracy"]))

    rng = np.random.RandomState
    x, y = rng(0).rand(10, 3).astype("float32"), (rng(1).rand(10, 1) > 0.5).astype("float32")
    xv, yv = rng(2).rand(4, 3).astype("float32"), (rng(3).rand(4, 1) > 0.5).astype("float32")
    model = tf_keras.Sequential([tf_keras.layers.Dense(2, "relu", input_shape=(3,)),
                                 tf_keras.layers.Dense(1, "sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    recorder = Recorder()
    real_time, tk_progbar_module.time = tk_progbar_module.time, fake_time
    try:
        real = _capture(lambda: model.fit(x, y, batch_size=4, epochs=2, validation_data=(xv, yv),
                                          verbose=1, shuffle=False, callbacks=[recorder]))
    finally:
        tk_progbar_module.time = real_time
    epochs = [(batches, val) for batches, val in recorder.epochs]
    clock = FakeClock()
    original = Progbar.clock
    Progbar.clock = staticmethod(clock)
    try:
        mine = _capture(lambda: drive_fit(ProgbarLogger("steps"), clock, 1, epochs))
    finally:
        Progbar.clock = original
    # Both progress bars read a fake clock, so no line depends on how fast this machine is;
    # the runs of '\b' are still collapsed, as the ETA's width follows the clock.
    assert re.sub(BS + "+", BS, normalise(mine)) == re.sub(BS + "+", BS, normalise(real))
    assert "val_loss" in mine and mine.count("\r") == 8


def test_is_a_callback():
    assert isinstance(ProgbarLogger(), Callback)
