"""The bad-input matrix (issue 10): every mistake a student makes gets a ValueError or TypeError whose
message names the argument, raised before any training or file write.

Each row of :data:`MATRIX` is ``(id, call, error, words, guarantee)``:

* ``call(model, spy, folder)`` makes the mistake. ``model`` is a compiled ``Dense(2, softmax)`` on 3
  features, ``spy`` a callback that records every hook, ``folder`` an empty folder (also the
  current directory), so a stray file write would show.
* ``words``: regular expressions that must all be found in the message; the first is the argument.
* ``guarantee``: how early the error comes. ``BEFORE_FIT``: before ``on_train_begin`` (or outside
  ``fit``); ``BEFORE_TRAINING``: during ``on_train_begin``/``on_epoch_begin``, before the first
  batch (a callback's own check at the start of ``fit``); ``BEFORE_WRITE``: only knowable at the
  first save (a ``filepath`` placeholder missing from the epoch's logs), raised before writing.
  In every case the weights are unchanged, except after ``BEFORE_WRITE`` (one epoch trained), and
  the folder holds no new file.

Deviation kept on purpose (see ``test_unknown_mode_warns_like_tf_keras``): an unknown ``mode`` of
EarlyStopping / ReduceLROnPlateau / ModelCheckpoint warns and falls back to ``'auto'``, as tf_keras.
"""
import os
import re

import numpy as np
import pytest

from minikeras import activations, backend, initializers, layers, losses, metrics, optimizers, regularizers, utils
from minikeras.callbacks import (BackupAndRestore, Callback, CSVLogger, EarlyStopping, LearningRateScheduler,
                                 ModelCheckpoint, ReduceLROnPlateau, TensorBoard)
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential

BEFORE_FIT, BEFORE_TRAINING, BEFORE_WRITE = "before fit", "before training", "before write"

X = np.ones((6, 3), "float32")
Y = np.eye(2, dtype="float32")[[0, 1, 0, 1, 0, 1]]
LABELS = np.array([0, 1, 0, 1, 0, 1])


class Spy(Callback):
    """Records the name of every hook called (it overrides them all, so fit calls the batch hooks too)."""

    def __init__(self):
        super().__init__()
        self.calls = []


def _recorder(hook):
    return lambda self, *args, **kwargs: self.calls.append(hook)


for _hook in [name for name in vars(Callback) if name.startswith("on_")]:
    setattr(Spy, _hook, _recorder(_hook))


def fit(model, spy, x=X, y=Y, callbacks=(), **kwargs):
    """``model.fit`` with the spy last (so a callback before it fails first)."""
    return model.fit(x, y, callbacks=[*callbacks, spy], **dict({"epochs": 1, "verbose": 0}, **kwargs))


def sparse(model):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def with_nan(a, value=np.nan):
    a = a.astype("float64")
    a[3, 1] = value
    return a


def under_a_file(folder, *parts):
    (folder / "afile").write_text("x")
    return os.path.join(folder, "afile", *parts)


def row(name, call, error, words, guarantee=BEFORE_FIT):
    """One row of the matrix; ``words`` are ``|``-separated regular expressions."""
    return name, call, error, words.split("|"), guarantee


MATRIX = [
    # ---------------------------------------------------------------- shapes, ranks, lengths
    row("x rank 1", lambda m, s, d: fit(m, s, x=np.ones(6)),
        ValueError, "x has shape \\(6,\\)|expects inputs"),
    row("x rank 3", lambda m, s, d: fit(m, s, x=np.ones((6, 3, 1))),
        ValueError, "x has shape|\\(None, 3\\)"),
    row("x scalar", lambda m, s, d: fit(m, s, x=np.float32(1)),
        ValueError, "x is empty"),
    row("x features", lambda m, s, d: fit(m, s, x=np.ones((6, 4))),
        ValueError, "x has shape \\(6, 4\\)|input_dim"),
    row("y rank 3", lambda m, s, d: fit(m, s, y=np.ones((6, 2, 1))),
        ValueError, "y has shape|output"),
    row("y features", lambda m, s, d: fit(m, s, y=np.ones((6, 3))),
        ValueError, "y has shape \\(6, 3\\)|\\(None, 2\\)"),
    row("x/y lengths", lambda m, s, d: fit(m, s, x=np.ones((5, 3))),
        ValueError, "x and y|same number of samples|5 and 6"),
    row("empty x", lambda m, s, d: fit(m, s, x=X[:0], y=Y[:0]),
        ValueError, "x is empty|at least one sample"),
    row("empty y", lambda m, s, d: fit(m, s, y=Y[:0]),
        ValueError, "y is empty"),
    row("x with an axis of size 0", lambda m, s, d: fit(m, s, x=np.ones((6, 0))),
        ValueError, r"x has shape \(6, 0\): axis 1 has size 0"),
    row("x None", lambda m, s, d: fit(m, s, x=None),
        TypeError, "x is None"),
    row("y None", lambda m, s, d: fit(m, s, y=None),
        TypeError, "y is None"),
    row("ragged x", lambda m, s, d: fit(m, s, x=[[1, 2, 3], [1, 2]], y=Y[:2]),
        ValueError, "x is a ragged|same shape"),
    row("x of arrays of two shapes", lambda m, s, d: fit(m, s, x=[X, X[:, :2]]),
        TypeError, "x is a list of arrays"),
    row("single sample, split away", lambda m, s, d: fit(m, s, x=X[:1], y=Y[:1], validation_split=0.5),
        ValueError, "validation_split=0.5|0 training"),
    # ---------------------------------------------------------------- dtypes and values
    row("object x", lambda m, s, d: fit(m, s, x=np.ones((6, 3), dtype=object)),
        TypeError, "x has dtype object|float32"),
    row("string y", lambda m, s, d: fit(m, s, y=np.array(["cat", "dog"] * 3)),
        TypeError, "y has dtype <U3"),
    row("complex x", lambda m, s, d: fit(m, s, x=X.astype(complex)),
        TypeError, "x has dtype complex128|real numbers"),
    row("dict x", lambda m, s, d: fit(m, s, x={"a": X}),
        ValueError, r"Got a dict with keys \['a'\], but the model has a single input"),
    # NaN/inf in x or y: Keras trains (issue 14, item 8): see test_nan_or_inf_in_x_or_y_trains_after_one_warning
    row("datetime64 x", lambda m, s, d: fit(m, s, x=np.zeros((6, 3), "datetime64[s]")),
        TypeError, "x has dtype datetime64\\[s\\]|astype"),
    row("masked x", lambda m, s, d: fit(m, s, x=np.ma.masked_greater(np.arange(18.).reshape(6, 3), 10)),
        TypeError, "x is a masked array|filled"),
    row("NaN in sample_weight", lambda m, s, d: fit(m, s, sample_weight=[1, 1, 1, np.nan, 1, 1]),
        ValueError, "sample_weight contains NaN"),
    row("inf in sample_weight", lambda m, s, d: fit(m, s, sample_weight=[1, 1, 1, np.inf, 1, 1]),
        ValueError, "sample_weight contains NaN or inf"),
    row("class_weight key -1", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: 1, -1: 0}),
        ValueError, "class_weight|keys from 0 to one less|-1"),
    row("class_weight key 7", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: 1, 7: 5}),
        ValueError, "class_weight|\\[7\\]"),
    row("class_weight key 1.7", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: 1, 1.7: 5}),
        ValueError, "class_weight|1.7"),
    row("class_weight key string", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: 1, "2": 5}),
        ValueError, "class_weight|'2'"),
    row("class_weight key 10**12", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: 1, 10**12: 5}),
        ValueError, "class_weight|1000000000000"),
    row("class_weight value NaN", lambda m, s, d: fit(m, s, class_weight={0: 1, 1: np.nan}),
        ValueError, "class_weight values must be finite"),
    row("class_weight value inf", lambda m, s, d: fit(m, s, class_weight={0: np.inf, 1: 1}),
        ValueError, "class_weight values must be finite"),
    row("sample_weight length", lambda m, s, d: fit(m, s, sample_weight=np.ones(5)),
        ValueError, "sample_weight|one weight per sample"),
    row("class_weight not a dict", lambda m, s, d: fit(m, s, class_weight=[1.0, 2.0]),
        TypeError, "class_weight must be a dict"),
    row("class_weight misses a class", lambda m, s, d: fit(m, s, class_weight={0: 1.0}),
        ValueError, "class_weight has no weight|\\[1\\]"),
    # ---------------------------------------------------------------- labels
    row("sparse label too big", lambda m, s, d: fit(sparse(m), s, y=[0, 1, 2, 0, 1, 0]),
        ValueError, "y holds the label 2|sample 2|0..1"),
    row("sparse label negative", lambda m, s, d: fit(sparse(m), s, y=[0, 1, 0, -1, 1, 0]),
        ValueError, "y holds the label -1|sample 3"),
    row("sparse label fraction", lambda m, s, d: fit(sparse(m), s, y=[0, 1, 0.5, 0, 1, 0]),
        ValueError, "y holds the label 0.5|integers"),
    row("sparse label out of range in evaluate",
        lambda m, s, d: sparse(m).evaluate(X, [0, 1, 0, 1, 0, 7], verbose=0, callbacks=[s]),
        ValueError, "y holds the label 7"),
    row("one-hot y to a sparse loss", lambda m, s, d: fit(sparse(m), s),
        ValueError, "y has shape \\(6, 2\\)|loss='categorical_crossentropy'"),
    row("integer y to a one-hot loss", lambda m, s, d: fit(m, s, y=LABELS),
        ValueError, "y has shape \\(6,\\)|to_categorical|sparse_categorical_crossentropy"),
    row("to_categorical label too big", lambda m, s, d: utils.to_categorical([0, 1, 5], 3),
        ValueError, "num_classes=3|label 5"),
    # ---------------------------------------------------------------- validation data
    row("validation_data not a tuple", lambda m, s, d: fit(m, s, validation_data=X),
        ValueError, "validation_data must be a tuple"),
    row("validation_data 1-tuple", lambda m, s, d: fit(m, s, validation_data=(X,)),
        ValueError, "validation_data must be a tuple|length 1"),
    row("validation_data x features", lambda m, s, d: fit(m, s, validation_data=(np.ones((6, 5)), Y)),
        ValueError, "validation_data x has shape \\(6, 5\\)"),
    row("validation_data y shape", lambda m, s, d: fit(m, s, validation_data=(X, np.ones((6, 3)))),
        ValueError, "validation_data y has shape \\(6, 3\\)"),
    row("validation_data y labels", lambda m, s, d: fit(m, s, validation_data=(X, LABELS)),
        ValueError, "validation_data y has shape|to_categorical"),
    row("validation_data lengths", lambda m, s, d: fit(m, s, validation_data=(X[:3], Y[:2])),
        ValueError, "validation_data x and validation_data y|3 and 2"),
    row("validation_data empty", lambda m, s, d: fit(m, s, validation_data=(X[:0], Y[:0])),
        ValueError, "validation_data x is empty"),
    row("validation_data sample_weight length",
        lambda m, s, d: fit(m, s, validation_data=(X, Y, np.ones(4))),
        ValueError, "validation_data sample_weight|one weight per sample"),
    row("validation_data sparse label",
        lambda m, s, d: fit(sparse(m), s, y=LABELS, validation_data=(X, [0, 1, 0, 1, 0, 9])),
        ValueError, "validation_data y holds the label 9"),
    # ---------------------------------------------------------------- fit arguments
    row("validation_split 1", lambda m, s, d: fit(m, s, validation_split=1.0),
        ValueError, "validation_split|\\[0, 1\\)"),
    row("validation_split negative", lambda m, s, d: fit(m, s, validation_split=-0.1),
        ValueError, "validation_split"),
    row("batch_size 0", lambda m, s, d: fit(m, s, batch_size=0),
        ValueError, "batch_size must be a positive int"),
    row("batch_size negative", lambda m, s, d: fit(m, s, batch_size=-3),
        ValueError, "batch_size"),
    row("batch_size float", lambda m, s, d: fit(m, s, batch_size=2.5),
        TypeError, "batch_size"),
    row("validation_batch_size 0", lambda m, s, d: fit(m, s, validation_split=0.5, validation_batch_size=0),
        ValueError, "validation_batch_size"),
    row("epochs negative", lambda m, s, d: fit(m, s, epochs=-1),
        ValueError, "epochs must be an int"),
    row("epochs float", lambda m, s, d: fit(m, s, epochs=2.5),
        ValueError, "epochs"),
    row("initial_epoch negative", lambda m, s, d: fit(m, s, initial_epoch=-1),
        ValueError, "initial_epoch"),
    row("shuffle", lambda m, s, d: fit(m, s, shuffle="yes"),
        ValueError, "shuffle must be True, False or 'batch'"),
    row("verbose", lambda m, s, d: fit(m, s, verbose=3),
        ValueError, "verbose must be 0, 1, 2"),
    row("validation_freq 0", lambda m, s, d: fit(m, s, validation_freq=0),
        ValueError, "validation_freq"),
    row("validation_freq text", lambda m, s, d: fit(m, s, validation_freq="2"),
        TypeError, "validation_freq"),
    row("steps_per_epoch 0", lambda m, s, d: fit(m, s, steps_per_epoch=0),
        ValueError, "steps_per_epoch"),
    row("misspelt fit argument", lambda m, s, d: fit(m, s, epoch=3),
        TypeError, "'epoch'|Unexpected keyword"),
    row("callbacks not a list", lambda m, s, d: m.fit(X, Y, verbose=0, callbacks=s),
        TypeError, "callbacks must be a list"),
    row("callbacks holds a function", lambda m, s, d: fit(m, s, callbacks=[print]),
        TypeError, "callbacks|Callback"),
    row("evaluate batch_size 0", lambda m, s, d: m.evaluate(X, Y, batch_size=0, verbose=0),
        ValueError, "batch_size"),
    row("predict x features", lambda m, s, d: m.predict(np.ones((2, 4))),
        ValueError, "x has shape \\(2, 4\\)"),
    row("predict empty x", lambda m, s, d: m.predict(X[:0]),
        ValueError, "x is empty"),
    row("train_on_batch lengths", lambda m, s, d: m.train_on_batch(X, Y[:3]),
        ValueError, "x and y|6 and 3"),
    # ---------------------------------------------------------------- unknown names, for every get()
    row("losses.get", lambda m, s, d: losses.get("categorical_crossentropyy"),
        ValueError, "Unknown loss|'categorical_crossentropyy'"),
    row("optimizers.get", lambda m, s, d: optimizers.get("adamm"),
        ValueError, "Unknown optimizer|'adamm'"),
    row("optimizers.get dict", lambda m, s, d: optimizers.get({"class_name": "Adamm", "config": {}}),
        ValueError, "Unknown optimizer|'Adamm'"),
    row("metrics.get", lambda m, s, d: metrics.get("acurracy"),
        ValueError, "Unknown metric|'acurracy'"),
    row("activations.get", lambda m, s, d: activations.get("rel"),
        ValueError, "Unknown activation|'rel'"),
    row("initializers.get", lambda m, s, d: initializers.get("glorot"),
        ValueError, "Unknown initializer|'glorot'"),
    row("regularizers.get", lambda m, s, d: regularizers.get("l3"),
        ValueError, "Unknown regularizer|'l3'"),
    row("layers.get", lambda m, s, d: layers.get("Dens"),
        ValueError, "Unknown layer|'Dens'|custom_objects"),
    row("losses.get a number", lambda m, s, d: losses.get(3),
        TypeError, "loss must be a string or a function"),
    row("optimizers.get a number", lambda m, s, d: optimizers.get(3),
        TypeError, "optimizer identifier 3"),
    row("compile loss", lambda m, s, d: m.compile(loss="msee"),
        ValueError, "'msee'"),
    row("compile optimizer", lambda m, s, d: m.compile(optimizer="rmsprob", loss="mse"),
        ValueError, "optimizer|'rmsprob'"),
    row("compile metric", lambda m, s, d: m.compile(loss="mse", metrics=["acuracy"]),
        ValueError, "metric|'acuracy'"),
    row("compile without loss", lambda m, s, d: m.compile(optimizer="sgd"),
        ValueError, "needs a loss"),
    row("Dense activation", lambda m, s, d: Dense(3, activation="rel"),
        ValueError, "activation|'rel'"),
    row("Dense kernel_initializer", lambda m, s, d: Dense(3, kernel_initializer="glorot"),
        ValueError, "initializer|'glorot'"),
    row("Dense kernel_regularizer", lambda m, s, d: Dense(3, kernel_regularizer="l3"),
        ValueError, "regularizer|'l3'"),
    # ---------------------------------------------------------------- layers, models, optimizers
    row("Dense units 0", lambda m, s, d: Dense(0),
        ValueError, "units must be a positive int"),
    row("Dense units text", lambda m, s, d: Dense("3"),
        ValueError, "units"),
    row("Dense unknown argument", lambda m, s, d: Dense(3, input_dims=4),
        TypeError, "input_dims"),
    row("Dropout rate 1", lambda m, s, d: Dropout(1.0),
        ValueError, "rate|\\[0, 1\\)"),
    row("Sequential of a non-layer", lambda m, s, d: Sequential([3]),
        TypeError, "Layer instance"),
    row("learning_rate negative", lambda m, s, d: optimizers.SGD(learning_rate=-1),
        ValueError, "learning_rate"),
    row("momentum negative", lambda m, s, d: optimizers.SGD(momentum=-1),
        ValueError, "momentum"),
    row("beta_1 above 1", lambda m, s, d: optimizers.Adam(beta_1=1.5),
        ValueError, "beta_1"),
    row("set_seed text", lambda m, s, d: backend.set_seed("42"),
        TypeError, "seed must be an int"),
    # ---------------------------------------------------------------- callback arguments
    row("EarlyStopping patience negative", lambda m, s, d: EarlyStopping(patience=-1),
        ValueError, "patience must be an int >= 0"),
    row("EarlyStopping patience float", lambda m, s, d: EarlyStopping(patience=1.5),
        ValueError, "patience"),
    row("EarlyStopping monitor not a name", lambda m, s, d: EarlyStopping(monitor=3),
        TypeError, "monitor"),
    row("ReduceLROnPlateau factor 1", lambda m, s, d: ReduceLROnPlateau(factor=1.0),
        ValueError, "factor >= 1.0|factor=0.1"),
    row("ReduceLROnPlateau factor 2", lambda m, s, d: ReduceLROnPlateau(factor=2),
        ValueError, "factor"),
    row("ReduceLROnPlateau patience negative", lambda m, s, d: ReduceLROnPlateau(patience=-2),
        ValueError, "patience"),
    row("ReduceLROnPlateau cooldown negative", lambda m, s, d: ReduceLROnPlateau(cooldown=-1),
        ValueError, "cooldown"),
    row("ModelCheckpoint save_freq 0", lambda m, s, d: ModelCheckpoint("w.h5", save_freq=0),
        ValueError, "save_freq"),
    row("ModelCheckpoint period 0", lambda m, s, d: ModelCheckpoint("w.h5", period=0),
        ValueError, "period"),
    row("ModelCheckpoint filepath None", lambda m, s, d: ModelCheckpoint(None),
        TypeError, "filepath must be a file path"),
    row("ModelCheckpoint positional placeholder", lambda m, s, d: ModelCheckpoint("w{}.h5"),
        ValueError, "filepath|positional|\\{epoch:02d\\}"),
    row("ModelCheckpoint unclosed brace", lambda m, s, d: ModelCheckpoint("w{epoch.h5"),
        ValueError, "filepath|not a valid template"),
    row("ModelCheckpoint folder is a file", lambda m, s, d: ModelCheckpoint(under_a_file(d, "w.h5")),
        ValueError, "filepath|is a file"),
    row("ModelCheckpoint missing placeholder key",
        lambda m, s, d: fit(m, s, callbacks=[ModelCheckpoint("w.{epoch:02d}-{val_loss:.2f}.h5")]),
        ValueError, "filepath|\\{val_loss\\}|available keys: loss, epoch", BEFORE_WRITE),
    row("CSVLogger separator", lambda m, s, d: CSVLogger("log.csv", separator=",,"),
        ValueError, "separator"),
    row("CSVLogger filename None", lambda m, s, d: CSVLogger(None),
        TypeError, "filename must be a file path"),
    row("CSVLogger folder is a file", lambda m, s, d: fit(m, s, callbacks=[CSVLogger(under_a_file(d, "log.csv"))]),
        ValueError, "filename|Choose a path in a writable folder", BEFORE_TRAINING),
    row("LearningRateScheduler not a function", lambda m, s, d: LearningRateScheduler(0.1),
        TypeError, "schedule must be a function"),
    row("schedule returns text", lambda m, s, d: fit(m, s, callbacks=[LearningRateScheduler(lambda epoch: "0.1")]),
        ValueError, "schedule|should be float|str", BEFORE_TRAINING),
    row("schedule returns None", lambda m, s, d: fit(m, s, callbacks=[LearningRateScheduler(lambda epoch, lr: None)]),
        ValueError, "schedule|NoneType", BEFORE_TRAINING),
    row("schedule returns an array",
        lambda m, s, d: fit(m, s, callbacks=[LearningRateScheduler(lambda epoch: np.array([0.1, 0.2]))]),
        ValueError, "schedule|ndarray", BEFORE_TRAINING),
    row("TensorBoard log_dir None", lambda m, s, d: TensorBoard(None),
        TypeError, "log_dir"),
    row("TensorBoard log_dir in a file", lambda m, s, d: TensorBoard(under_a_file(d, "logs")),
        ValueError, "log_dir|is a file"),
    row("TensorBoard histogram_freq", lambda m, s, d: TensorBoard(d / "logs", histogram_freq=-1),
        ValueError, "histogram_freq"),
    row("BackupAndRestore backup_dir None", lambda m, s, d: BackupAndRestore(None),
        TypeError, "backup_dir"),
    row("BackupAndRestore save_freq 0", lambda m, s, d: BackupAndRestore(d / "b", save_freq=0),
        ValueError, "save_freq"),
    row("BackupAndRestore in a file", lambda m, s, d: BackupAndRestore(under_a_file(d, "b")),
        ValueError, "backup_dir|is a file"),
    # ---------------------------------------------------------------- saving
    row("save into a file's folder", lambda m, s, d: m.save(under_a_file(d, "m.h5")),
        ValueError, "filepath|writable folder"),
    row("save_weights path None", lambda m, s, d: m.save_weights(None),
        TypeError, "filepath"),
    row("save format", lambda m, s, d: m.save("m.keras", save_format="keras"),
        ValueError, "save_format"),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("row", MATRIX, ids=[row[0] for row in MATRIX])
def test_bad_input_fails_clearly_and_early(row, folder):
    _, call, error, words, guarantee = row
    backend.clear_session()
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    before = model.get_weights()
    spy = Spy()
    with pytest.raises(error) as info:
        call(model, spy, folder)
    message = str(info.value)
    for word in words:
        assert re.search(word, message), f"{word!r} not in {message!r}"
    assert [p.name for p in folder.iterdir()] in ([], ["afile"])      # no file written, no folder made
    if guarantee == BEFORE_FIT:
        assert spy.calls == []
    elif guarantee == BEFORE_TRAINING:
        assert "on_train_batch_begin" not in spy.calls and "on_batch_begin" not in spy.calls
    if guarantee != BEFORE_WRITE:
        for a, b in zip(before, model.get_weights(), strict=True):
            assert np.array_equal(a, b)


def test_the_matrix_covers_every_kind_of_mistake_of_the_issue():
    ids = " ".join(row[0] for row in MATRIX)
    for kind in ("rank", "features", "lengths", "empty", "object", "NaN", "inf", "sparse label", "one-hot y",
                 "integer y", ".get", "patience negative", "factor 1", "placeholder key", "folder is a file",
                 "schedule returns", "validation_data y shape"):
        assert kind in ids, kind
    assert len(MATRIX) >= 100


def test_matrix_errors_are_value_or_type_errors():
    assert {row[2] for row in MATRIX} == {ValueError, TypeError}


# --------------------------------------------------------------------------- not errors: accepted as Keras accepts them
@pytest.mark.parametrize("x, y, batch_size, sizes", [
    (X[:1], Y[:1], 32, [1]),                                   # a single sample
    (np.ones((10, 3)), np.eye(2)[[0, 1] * 5], 4, [4, 4, 2]),   # the last batch is partial
    (np.ones((6, 3), dtype=int), Y.astype(int), 32, [6]),      # int arrays
    (np.ones((6, 3), dtype=bool), Y.astype(bool), 32, [6]),    # bool arrays
    (np.ones((6, 3)), Y.astype("float64"), 32, [6]),           # float64 arrays (computed in float32)
    (X.tolist(), Y.tolist(), 5, [5, 1]),                       # nested lists
    (X, Y, 1000, [6]),                                         # a batch larger than the data
])
def test_unusual_but_valid_input_trains(x, y, batch_size, sizes):
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    spy = []

    class Sizes(Callback):
        def on_train_batch_begin(self, batch, logs=None):
            spy.append(logs["size"])

    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False, callbacks=[Sizes()])
    assert spy == sizes
    assert np.isfinite(history.history["loss"][0]) and history.history["loss"][0] > 0
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(x).shape == (sum(sizes), 2)


def test_sparse_labels_given_as_floats_or_a_column_are_accepted():
    model = sparse(Sequential([Dense(2, input_dim=3, activation="softmax")]))
    for y in (LABELS.astype("float32"), LABELS.reshape(-1, 1)):
        assert np.isfinite(model.fit(X, y, verbose=0).history["loss"][0])


# --------------------------------------------------------------------------- kept as tf_keras does it
@pytest.mark.parametrize("make, text", [
    (lambda: EarlyStopping(mode="bogus"), "EarlyStopping mode bogus is unknown, fallback to auto mode."),
    (lambda: ReduceLROnPlateau(mode="bogus"), "Learning rate reduction mode bogus is unknown, fallback to auto mode."),
    (lambda: ModelCheckpoint("w.h5", mode="bogus"), "ModelCheckpoint mode bogus is unknown, fallback to auto mode."),
])
def test_unknown_mode_warns_like_tf_keras(make, text):
    """The issue asks for an error; tf_keras 2.21 warns and uses 'auto' (KERAS_BEHAVIOUR.md 2.4, 2.6),
    and the callbacks' conformance tests pin that, so minikeras warns too (naming ``mode``)."""
    with pytest.warns(UserWarning, match=text):
        callback = make()
    assert callback.mode in ("min", "max")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write into any folder")
def test_a_read_only_folder_is_refused_before_training(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for make, argument in ((lambda: ModelCheckpoint(str(locked / "w.h5")), "filepath"),
                               (lambda: TensorBoard(str(locked / "logs")), "log_dir"),
                               (lambda: BackupAndRestore(str(locked / "backup")), "backup_dir")):
            with pytest.raises(ValueError, match=f"{argument}.*not writable"):
                make()
    finally:
        locked.chmod(0o700)


def test_an_unwritable_folder_is_refused_before_training_even_for_root(tmp_path, monkeypatch):
    """The same check, with ``os.access`` answering "not writable" (as it does for a normal user)."""
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    for make, argument in ((lambda: ModelCheckpoint(str(tmp_path / "w.h5")), "filepath"),
                           (lambda: TensorBoard(str(tmp_path / "logs")), "log_dir"),
                           (lambda: BackupAndRestore(str(tmp_path / "backup")), "backup_dir")):
        with pytest.raises(ValueError, match=f"{argument}.*not writable"):
            make()
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    spy = Spy()
    with pytest.raises(ValueError, match="filename.*not writable"):
        fit(model, spy, callbacks=[CSVLogger(str(tmp_path / "log.csv"))])
    assert "on_train_batch_begin" not in spy.calls and list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- NaN/inf data: Keras trains (issue 14, item 8)
@pytest.mark.parametrize("where, make, words", [
    ("x", lambda: {"x": with_nan(X)}, "x contains NaN or inf \\(first at sample 3\\)"),
    ("x", lambda: {"x": with_nan(X, np.inf)}, "x contains NaN or inf \\(first at sample 3\\)"),
    ("x", lambda: {"x": X.astype("float64") * 1e300}, "x contains values too large for float32.*sample 0"),
    ("y", lambda: {"y": with_nan(Y, -np.inf)}, "y contains NaN or inf \\(first at sample 3\\)"),
    ("validation_data x", lambda: {"validation_data": (with_nan(X), Y)}, "validation_data x contains NaN"),
])
def test_nan_or_inf_in_x_or_y_trains_after_one_warning(where, make, words):
    from minikeras.callbacks import TerminateOnNaN
    backend.clear_session()
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.warns(RuntimeWarning, match=words) as record:
        history = model.fit(**dict({"x": X, "y": Y}, **make()), epochs=3, batch_size=2, verbose=0,
                            shuffle=False, callbacks=[TerminateOnNaN()])
    messages = [str(w.message) for w in record if "contains" in str(w.message)]
    assert len(messages) == 1 and "TerminateOnNaN" in messages[0]
    if where != "validation_data x":     # the nan loss stopped training in the first epoch (Keras's behaviour)
        assert history.epoch == [0] and not np.isfinite(history.history["loss"][0])
    else:
        assert history.epoch == [0, 1, 2] and np.isnan(history.history["val_loss"]).all()


def test_nan_in_train_on_batch_and_generator_batches_warns_and_trains():
    backend.clear_session()
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.warns(RuntimeWarning, match="x contains NaN or inf \\(first at sample 3\\).*TerminateOnNaN"):
        loss = model.train_on_batch(with_nan(X), Y)
    assert np.isnan(loss)

    def batches():
        while True:
            yield with_nan(X), Y
    with pytest.warns(RuntimeWarning, match="x \\(from the generator\\) contains NaN"):
        history = model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    assert np.isnan(history.history["loss"][0])


# --------------------------------------------------------------------------- issue 14, item 12: refused at construction
@pytest.mark.parametrize("make, error, words", [
    (lambda: ModelCheckpoint("w.{epoch:02q}.h5"), ValueError, "cannot be filled in|Unknown format code 'q'"),
    (lambda: ModelCheckpoint("w.{loss:d}.h5"), ValueError, "cannot be filled in|format code 'd'|floats"),
    (lambda: ModelCheckpoint("w.{epoch[0]}.h5"), ValueError, "cannot be filled in|TypeError"),
    (lambda: ModelCheckpoint("w.{epok:02d}.h5"), ValueError, r"Did you mean \{epok\} -> \{epoch\}\?"),
    (lambda: ModelCheckpoint("w.h5", initial_value_threshold="0.1"), TypeError, "initial_value_threshold"),
    (lambda: EarlyStopping(baseline="0.1"), TypeError, "baseline must be a number"),
    (lambda: ReduceLROnPlateau(min_lr="a"), TypeError, "min_lr must be a number"),
    (lambda: ReduceLROnPlateau(min_lr=-1.0), TypeError, "min_lr must be a number >= 0"),
    (lambda: ModelCheckpoint("w" * 300 + ".{epoch:02d}.h5"), ValueError, "filepath|bytes long|shorter name"),
    (lambda: CSVLogger("l" * 300 + ".csv").on_train_begin(), ValueError, "filename|bytes long"),
])
def test_bad_callback_arguments_are_refused_at_construction(make, error, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error) as info:
        make()
    for word in words.split("|"):
        assert re.search(word, str(info.value)), (word, str(info.value))
    assert os.listdir(tmp_path) == []


def test_long_but_valid_file_names_are_written(tmp_path):
    """Names of 242-255 bytes: the temporary name is short and fixed-length, so they work (as in tf_keras)."""
    model = Sequential([Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    for length in (242, 250, 255):
        path = tmp_path / ("m" * (length - 3) + ".h5")
        model.save(str(path))
        model.save_weights(str(path))
        assert path.exists()
    with pytest.raises(ValueError, match="bytes long"):
        model.save(str(tmp_path / ("m" * 256)))
    history = model.fit(X, Y, epochs=1, verbose=0, callbacks=[
        ModelCheckpoint(str(tmp_path / ("c" * 240 + "{epoch:02d}.h5"))),
        CSVLogger(str(tmp_path / ("l" * 251 + ".csv")))])
    assert history.epoch == [0] and (tmp_path / ("c" * 240 + "01.h5")).exists()
