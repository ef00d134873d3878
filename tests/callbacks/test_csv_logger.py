"""CSVLogger: the file's bytes equal tf_keras 2.21's on the same scripted logs, after every step.

TF_KERAS was recorded by driving tf_keras 2.21's own ``tf_keras.callbacks.CSVLogger`` through
``snapshots`` below (the file's bytes after ``on_train_begin``, after every ``on_epoch_end`` and
after ``on_train_end``; ``None`` = no file): run

    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/venv/bin/python -m tests.callbacks.test_csv_logger

which prints the table. ``test_live_tf_keras_matches_recording`` re-checks it when tf_keras is
installed.
"""
import os
import stat

import numpy as np
import pytest

from minikeras.callbacks.csv_logger import CSVLogger
from minikeras.layers import Dense
from minikeras.models import Sequential
from tests.callbacks.stubs import tk_callbacks

NAN = float("nan")
TRAIN = [{"loss": 0.5799999833106995, "accuracy": 0.25}, {"loss": 0.4000000059604645, "accuracy": 0.5},
         {"loss": 0.30000001192092896, "accuracy": 0.75}]
VALIDATED = [{"loss": 0.5, "accuracy": 0.25, "val_loss": 0.6, "val_accuracy": 0.2},
             {"loss": 0.4, "accuracy": 0.5},                                  # not validated this epoch
             {"loss": 0.3, "accuracy": 0.75, "val_loss": 0.35, "val_accuracy": 0.7, "lr": np.float32(0.01)}]
TYPES = [{"loss": 0.1 + 0.2, "lr": np.float32(0.003), "arr": np.array([1.5, 2.0]), "lst": [1, 2], "txt": "a,b",
          "quote": 'say "hi"', "nan": NAN, "zero_d": np.array(2.5), "int": 3, "f64": np.float64(0.1), "big": 1e20,
          "tiny": 1e-7, "val_loss": -0.0, "word": "é;x\ty"}]

# name: (constructor kwargs, file content before the first fit or None, [logs of each epoch] per fit)
SCENARIOS = {
    "no_validation_gets_NA_val_columns": ({}, None, [TRAIN]),
    "missing_and_late_keys": ({}, None, [VALIDATED]),
    "value_types": ({}, None, [TYPES]),
    "separator_semicolon": ({"separator": ";"}, None, [TYPES]),
    "separator_tab": ({"separator": "\t"}, None, [TYPES]),
    "overwrites_an_existing_file": ({}, b"old,stuff\r\n1,2\r\n", [TRAIN[:1]]),
    "append_to_existing_file_no_second_header": ({"append": True}, b"epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                                                 b"0,0.1,0.9,NA,NA\r\n", [TRAIN[1:]]),
    "append_to_missing_file": ({"append": True}, None, [TRAIN[:2]]),
    "append_to_empty_file": ({"append": True}, b"", [TRAIN[:2]]),
    "append_after_a_file_without_final_newline": ({"append": True}, b"epoch,loss\r\n0,1.0", [[{"loss": 2.0}]]),
    "two_fits_overwrite_keeps_first_columns": ({}, None, [TRAIN[:2], [{"loss": 9.0, "mse": 1.0}]]),
    "two_fits_append": ({"append": True}, None, [TRAIN[:1], TRAIN[1:]]),
    "fit_without_epochs_empties_file": ({}, b"0,1\r\n", [[]]),
}


def snapshots(cls, name, folder):
    """Drives one logger through the scenario's fits; returns the file's bytes after every step."""
    kwargs, before, fits = SCENARIOS[name]
    path = os.path.join(folder, "log.csv")
    if before is not None:
        with open(path, "wb") as f:
            f.write(before)

    def read():
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    logger = cls(path, **kwargs)
    steps = []
    for epochs in fits:
        logger.on_train_begin({})
        steps.append(read())
        for epoch, logs in enumerate(epochs):
            logger.on_epoch_begin(epoch, {})
            logger.on_epoch_end(epoch, dict(logs))
            steps.append(read())
        logger.on_train_end({})
        steps.append(read())
    return steps


# Recorded from tf_keras 2.21 with the command in the module docstring.
TF_KERAS = {'no_validation_gets_NA_val_columns': [None,
                                       b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.579999983310'
                                       b'6995,NA,NA\r\n',
                                       b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.579999983310'
                                       b'6995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n',
                                       b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.579999983310'
                                       b'6995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n2,0.75,0.30000001192'
                                       b'092896,NA,NA\r\n',
                                       b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.579999983310'
                                       b'6995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n2,0.75,0.30000001192'
                                       b'092896,NA,NA\r\n'],
 'missing_and_late_keys': [None, b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,0.2,0.6\r\n',
                           b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,0.2,0.6\r\n1,0.5,0.4,NA,'
                           b'NA\r\n',
                           b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,0.2,0.6\r\n1,0.5,0.4,NA,'
                           b'NA\r\n2,0.75,0.3,0.7,0.35\r\n',
                           b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,0.2,0.6\r\n1,0.5,0.4,NA,'
                           b'NA\r\n2,0.75,0.3,0.7,0.35\r\n'],
 'value_types': [None,
                 b'epoch,arr,big,f64,int,loss,lr,lst,nan,quote,tiny,txt,val_loss,word,zero_d\r\n0,"""[1.5, 2.'
                 b'0]""",1e+20,0.1,3,0.30000000000000004,0.003,"""[1, 2]""",nan,"say ""hi""",1e-07,"a,b",-0'
                 b'.0,\xc3\xa9;x\ty,2.5\r\n',
                 b'epoch,arr,big,f64,int,loss,lr,lst,nan,quote,tiny,txt,val_loss,word,zero_d\r\n0,"""[1.5, 2.'
                 b'0]""",1e+20,0.1,3,0.30000000000000004,0.003,"""[1, 2]""",nan,"say ""hi""",1e-07,"a,b",-0'
                 b'.0,\xc3\xa9;x\ty,2.5\r\n'],
 'separator_semicolon': [None,
                         b'epoch;arr;big;f64;int;loss;lr;lst;nan;quote;tiny;txt;val_loss;word;zero_d\r\n0;"""'
                         b'[1.5, 2.0]""";1e+20;0.1;3;0.30000000000000004;0.003;"""[1, 2]""";nan;"say ""hi""'
                         b'";1e-07;a,b;-0.0;"\xc3\xa9;x\ty";2.5\r\n',
                         b'epoch;arr;big;f64;int;loss;lr;lst;nan;quote;tiny;txt;val_loss;word;zero_d\r\n0;"""'
                         b'[1.5, 2.0]""";1e+20;0.1;3;0.30000000000000004;0.003;"""[1, 2]""";nan;"say ""hi""'
                         b'";1e-07;a,b;-0.0;"\xc3\xa9;x\ty";2.5\r\n'],
 'separator_tab': [None,
                   b'epoch\tarr\tbig\tf64\tint\tloss\tlr\tlst\tnan\tquote\ttiny\ttxt\tval_loss\tword\tzero_'
                   b'd\r\n0\t"""[1.5, 2.0]"""\t1e+20\t0.1\t3\t0.30000000000000004\t0.003\t"""[1, 2]"""\tnan'
                   b'\t"say ""hi"""\t1e-07\ta,b\t-0.0\t"\xc3\xa9;x\ty"\t2.5\r\n',
                   b'epoch\tarr\tbig\tf64\tint\tloss\tlr\tlst\tnan\tquote\ttiny\ttxt\tval_loss\tword\tzero_'
                   b'd\r\n0\t"""[1.5, 2.0]"""\t1e+20\t0.1\t3\t0.30000000000000004\t0.003\t"""[1, 2]"""\tnan'
                   b'\t"say ""hi"""\t1e-07\ta,b\t-0.0\t"\xc3\xa9;x\ty"\t2.5\r\n'],
 'overwrites_an_existing_file': [b'old,stuff\r\n1,2\r\n',
                                 b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,'
                                 b'NA\r\n',
                                 b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,'
                                 b'NA\r\n'],
 'append_to_existing_file_no_second_header': [b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.1,0.9,NA,'
                                              b'NA\r\n',
                                              b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.1,0.9,NA,'
                                              b'NA\r\n0,0.5,0.4000000059604645,NA,NA\r\n',
                                              b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.1,0.9,NA,'
                                              b'NA\r\n0,0.5,0.4000000059604645,NA,NA\r\n1,0.75,0.30000001192'
                                              b'092896,NA,NA\r\n',
                                              b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.1,0.9,NA,'
                                              b'NA\r\n0,0.5,0.4000000059604645,NA,NA\r\n1,0.75,0.30000001192'
                                              b'092896,NA,NA\r\n'],
 'append_to_missing_file': [None,
                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,'
                            b'NA\r\n',
                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,'
                            b'NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n',
                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,'
                            b'NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n'],
 'append_to_empty_file': [b'',
                          b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n',
                          b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n'
                          b'1,0.5,0.4000000059604645,NA,NA\r\n',
                          b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n'
                          b'1,0.5,0.4000000059604645,NA,NA\r\n'],
 'append_after_a_file_without_final_newline': [b'epoch,loss\r\n0,1.0', b'epoch,loss\r\n0,1.00,2.0,NA\r\n',
                                               b'epoch,loss\r\n0,1.00,2.0,NA\r\n'],
 'two_fits_overwrite_keeps_first_columns': [None,
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.57999998'
                                            b'33106995,NA,NA\r\n',
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.57999998'
                                            b'33106995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n',
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.57999998'
                                            b'33106995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n',
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.57999998'
                                            b'33106995,NA,NA\r\n1,0.5,0.4000000059604645,NA,NA\r\n',
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,NA,9.0,NA,N'
                                            b'A\r\n',
                                            b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,NA,9.0,NA,N'
                                            b'A\r\n'],
 'two_fits_append': [None,
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n',
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n',
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n',
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n0,0.'
                     b'5,0.4000000059604645,NA,NA\r\n',
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n0,0.'
                     b'5,0.4000000059604645,NA,NA\r\n1,0.75,0.30000001192092896,NA,NA\r\n',
                     b'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5799999833106995,NA,NA\r\n0,0.'
                     b'5,0.4000000059604645,NA,NA\r\n1,0.75,0.30000001192092896,NA,NA\r\n'],
 'fit_without_epochs_empties_file': [b'0,1\r\n', b'0,1\r\n']}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_file_bytes_match_tf_keras_after_every_step(name, tmp_path):
    assert snapshots(CSVLogger, name, str(tmp_path)) == TF_KERAS[name]


@pytest.mark.tf_keras
def test_live_tf_keras_matches_recording(tmp_path):
    assert record_tf_keras(str(tmp_path)) == TF_KERAS


# --------------------------------------------------------------------------- arguments and safety
@pytest.mark.parametrize("separator", ["", ";;", 1, None])
def test_separator_must_be_one_character(separator, tmp_path):
    with pytest.raises(ValueError, match="separator must be a one-character string"):
        CSVLogger(str(tmp_path / "log.csv"), separator=separator)


def test_unwritable_folder_is_a_clear_error_at_train_begin(tmp_path):
    (tmp_path / "afile").write_text("x")
    logger = CSVLogger(str(tmp_path / "afile" / "log.csv"))
    with pytest.raises(ValueError, match="filename="):
        logger.on_train_begin()


def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "runs" / "1" / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 1.0})
    assert path.read_bytes() == b"epoch,loss,val_loss\r\n0,1.0,NA\r\n"


def _fail_while_writing(monkeypatch, exception):
    """Makes the next write of the logger write half its bytes, then raise ``exception`` (the first
    write of a fit goes through ``open(tmp, 'wb')``, later ones append with ``os.write``)."""
    import minikeras.callbacks.csv_logger as module
    real_open, real_write = open, os.write

    def half_write(fd, data):
        real_write(fd, bytes(data[:len(data) // 2]))
        raise exception

    monkeypatch.setattr(module.os, "write", half_write)

    class HalfWriter:
        def __init__(self, path, mode):
            self.f = real_open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[:len(data) // 2])
            self.f.flush()
            raise exception

    monkeypatch.setattr(module, "open", lambda path, mode="r": HalfWriter(path, mode) if mode == "wb"
                        else real_open(path, mode), raising=False)


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), OSError("disk full")])
def test_a_crash_while_writing_never_leaves_a_partial_row(exception, tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    logger = CSVLogger(str(path))
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 1.0})
    logger.on_epoch_end(1, {"loss": 0.5})
    complete = path.read_bytes()
    _fail_while_writing(monkeypatch, exception)
    with pytest.raises(type(exception)):
        logger.on_epoch_end(2, {"loss": 0.25})
    assert path.read_bytes() == complete == b"epoch,loss,val_loss\r\n0,1.0,NA\r\n1,0.5,NA\r\n"
    assert os.listdir(tmp_path) == ["log.csv"]              # no temporary file left behind
    monkeypatch.undo()                                       # the disk works again: nothing lost
    logger.on_epoch_end(3, {"loss": 0.125})
    assert path.read_bytes() == complete + b"3,0.125,NA\r\n"


def test_a_failed_first_write_still_writes_the_header_next_time(tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    logger = CSVLogger(str(path))
    logger.on_train_begin()
    _fail_while_writing(monkeypatch, OSError("disk full"))
    with pytest.raises(OSError):
        logger.on_epoch_end(0, {"loss": 1.0})
    assert not path.exists()
    monkeypatch.undo()
    logger.on_epoch_end(1, {"loss": 0.5})
    assert path.read_bytes() == b"epoch,loss,val_loss\r\n1,0.5,NA\r\n"


def test_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"")
    os.chmod(path, 0o640)
    logger = CSVLogger(str(path))
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 1.0})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    fresh, reference = tmp_path / "new.csv", tmp_path / "reference"
    reference.write_bytes(b"")                                 # what a plain open() creates (umask)
    logger = CSVLogger(str(fresh))
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 1.0})
    assert stat.S_IMODE(os.stat(fresh).st_mode) == stat.S_IMODE(os.stat(reference).st_mode)


def test_works_without_on_train_begin(tmp_path):
    logger = CSVLogger(str(tmp_path / "log.csv"), separator=";")
    logger.on_epoch_end(0, {"val_loss": 1.0})
    assert (tmp_path / "log.csv").read_bytes() == b"epoch;val_loss\r\n0;1.0\r\n"


# --------------------------------------------------------------------------- end to end, in fit
X = np.arange(16, dtype="float32").reshape(8, 2) / 10
Y = np.ones((8, 1), "float32")

# tf_keras 2.21: Dense(1, kernel 'ones'), SGD(learning_rate=0.01), mse, batch 4, shuffle=False, 3 epochs,
# callbacks=[LearningRateScheduler(lambda e, lr: lr * 0.3), CSVLogger(path)], no validation; the file was
TF_KERAS_FIT_FILE = (b"epoch,loss,lr,val_loss,val_lr\r\n0,1.0924491882324219,0.003,NA,NA\r\n"
                     b"1,1.0548502206802368,0.0009,NA,NA\r\n2,1.0440163612365723,0.00027,NA,NA\r\n")


def _rows(data):
    return [line.split(b",") for line in data.split(b"\r\n")[:-1]]


def test_fit_writes_what_tf_keras_writes(tmp_path):
    from minikeras.callbacks.learning_rate_scheduler import LearningRateScheduler
    from minikeras.optimizers import SGD
    model = Sequential([Dense(1, input_dim=2, kernel_initializer="ones")])
    model.compile(optimizer=SGD(learning_rate=0.01), loss="mse")
    path = tmp_path / "training.log"
    model.fit(X, Y, batch_size=4, epochs=3, verbose=0, shuffle=False,
              callbacks=[LearningRateScheduler(lambda e, lr: lr * 0.3), CSVLogger(str(path))])
    ours, theirs = _rows(path.read_bytes()), _rows(TF_KERAS_FIT_FILE)
    assert [r[:1] + r[2:] for r in ours] == [r[:1] + r[2:] for r in theirs]   # header, epoch, lr, NA exactly
    np.testing.assert_allclose([float(r[1]) for r in ours[1:]], [float(r[1]) for r in theirs[1:]], rtol=1e-6)


def test_seed_example_and_a_crash_mid_training(tmp_path, monkeypatch):
    from minikeras.callbacks.callback import Callback
    monkeypatch.chdir(tmp_path)
    model = Sequential([Dense(2, input_dim=2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    y = np.eye(2, dtype="float32")[[0, 1] * 4]

    class Crash(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 3:
                raise KeyboardInterrupt

    csv_logger = CSVLogger('training.log')
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, epochs=10, verbose=0, validation_data=(X, y), callbacks=[csv_logger, Crash()])
    lines = (tmp_path / "training.log").read_bytes().split(b"\r\n")
    assert lines[0] == b"epoch,accuracy,loss,val_accuracy,val_loss" and lines[-1] == b""
    assert [line.split(b",")[0] for line in lines[1:-1]] == [b"0", b"1", b"2"]
    history = model.history.history
    assert [float(line.split(b",")[2]) for line in lines[1:-1]] == history["loss"]
    assert [float(line.split(b",")[4]) for line in lines[1:-1]] == history["val_loss"]


def record_tf_keras(folder):
    """Returns the TF_KERAS table, computed with tf_keras's own CSVLogger."""
    callbacks = tk_callbacks()
    table = {}
    for i, name in enumerate(SCENARIOS):
        os.makedirs(os.path.join(folder, str(i)))
        table[name] = snapshots(callbacks.CSVLogger, name, os.path.join(folder, str(i)))
    return table


if __name__ == "__main__":
    import pprint
    import tempfile
    pprint.pprint(record_tf_keras(tempfile.mkdtemp()), width=110, compact=True, sort_dicts=False)


# --------------------------------------------------------------------------- issue 14, item 1: appends, never rewrites
def _log(path, epochs, start=0, **kwargs):
    logger = CSVLogger(str(path), **kwargs)
    logger.on_train_begin()
    for epoch in range(start, start + epochs):
        logger.on_epoch_end(epoch, {"loss": 0.5})
    logger.on_train_end()
    return logger


def test_two_processes_appending_to_one_file_keep_every_row(tmp_path):
    path = tmp_path / "log.csv"
    first, second = CSVLogger(str(path), append=True), CSVLogger(str(path), append=True)
    first.on_train_begin()
    first.on_epoch_end(0, {"loss": 1.0})
    second.on_train_begin()            # the file has a header now: the second does not write one
    for epoch in range(60):            # interleaved, as two training processes would be
        if epoch:
            first.on_epoch_end(epoch, {"loss": 1.0})
        second.on_epoch_end(epoch, {"loss": 2.0})
    lines = path.read_bytes().split(b"\r\n")
    assert lines[-1] == b"" and len(lines) - 2 == 120 and lines.count(b"epoch,loss,val_loss") == 1


def test_a_line_another_program_appends_during_training_stays(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(str(path), append=True)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 1.0})
    with open(path, "ab") as f:
        f.write(b"# note from another program\r\n")
    logger.on_epoch_end(1, {"loss": 0.5})
    assert path.read_bytes() == (b"epoch,loss,val_loss\r\n0,1.0,NA\r\n# note from another program\r\n"
                                 b"1,0.5,NA\r\n")


@pytest.mark.parametrize("append", [True, False])
def test_an_epoch_never_reads_or_rewrites_the_existing_log(tmp_path, append):
    path = tmp_path / "log.csv"
    with open(path, "wb") as f:                # a 64 MB log, sparse: a rewrite would allocate its blocks
        f.write(b"epoch,loss\r\n")
        f.truncate(64 << 20)
        f.seek(0, os.SEEK_END)
        f.write(b"\r\n")
    blocks = os.stat(path).st_blocks
    _log(path, 3, append=append)
    if append:
        assert os.stat(path).st_blocks <= blocks + 64       # only the new rows' blocks
        assert os.path.getsize(path) == (64 << 20) + 2 + 3 * len(b"0,0.5,NA\r\n")
    else:                                            # append=False: header + first row, then appends
        assert path.read_bytes() == b"epoch,loss,val_loss\r\n0,0.5,NA\r\n1,0.5,NA\r\n2,0.5,NA\r\n"


def test_opening_with_append_repairs_a_torn_last_row(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"epoch,acc,loss\r\n0,0.5,1.0\r\n1,0.6")      # killed in the middle of row 1
    _log(path, 1, start=1, append=True)
    assert path.read_bytes() == b"epoch,acc,loss\r\n0,0.5,1.0\r\n1,0.5,NA\r\n"   # the torn "1,0.6" is gone


def test_a_torn_write_from_a_full_disk_is_cut_off_at_once(tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    logger = _log(path, 2, append=True)
    complete = path.read_bytes()
    _fail_while_writing(monkeypatch, OSError(28, "No space left on device"))
    logger.on_train_begin()
    with pytest.raises(OSError):
        logger.on_epoch_end(2, {"loss": 0.5})
    assert path.read_bytes() == complete


def test_writes_go_through_a_symlink(tmp_path):
    storage, run = tmp_path / "storage", tmp_path / "run"
    storage.mkdir()
    run.mkdir()
    (run / "log.csv").symlink_to(storage / "log.csv")
    _log(run / "log.csv", 2)
    _log(run / "log.csv", 1, start=2, append=True)
    assert (run / "log.csv").is_symlink()
    assert (storage / "log.csv").read_bytes() == b"epoch,loss,val_loss\r\n0,0.5,NA\r\n1,0.5,NA\r\n2,0.5,NA\r\n"
    assert sorted(os.listdir(run)) == ["log.csv"] and sorted(os.listdir(storage)) == ["log.csv"]
