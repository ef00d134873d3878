"""``CSVLogger``: appends one CSV row per epoch; a row torn by a crash is repaired at the next open."""
import collections.abc
import csv
import errno
import io
import os

import numpy as np

from ..utils.io_utils import atomic_path, check_writable_dir, final_target
from .callback import Callback
from .state import entries, integer


class CSVLogger(Callback):
    """Streams the epoch logs to a CSV file (Keras ``keras.callbacks.CSVLogger``), byte for byte
    as tf_keras 2.21 writes it.

    Args:
        filename: path of the CSV file, e.g. ``'training.log'``.
        separator: the one-character string between fields (default ``','``).
        append: True: add to an existing file (to continue a training), writing the header
            only if the file is empty; False: replace the file.

    Raises:
        TypeError: if ``filename`` is not a path.
        ValueError: if ``separator`` is not a one-character string, or (at train begin) if
            the file's folder cannot be created or written.

    The file, as tf_keras writes it:

    * header ``epoch`` then the keys of the first epoch's logs, **sorted**; if none of them
      starts with ``val_``, a ``val_<key>`` column is added for every key (tf_keras does this
      even without validation, and fills those columns with ``NA``);
    * one row per epoch: the 0-based epoch, then each value; a key missing from an epoch's
      logs gives ``NA``; keys appearing after the first epoch are ignored; the columns of the
      first ``fit`` are kept by later fits with the same logger;
    * values written by the ``csv`` module: floats as Python prints them (``0.30000001192092896``
      for a float32 metric widened to a Python float, ``0.003`` for the NumPy float32 ``lr``),
      strings as they are, a non-string iterable such as an array as the text
      ``"[1.5, 2.0]"`` *with* the double quotes, which the csv module then quotes again
      (``\"\"\"[1.5, 2.0]\"\"\"``); fields holding the separator or a quote are quoted;
    * lines end with ``\\r\\n`` (the csv module's excel dialect).

    Writing, as tf_keras: each row is appended to the file with *one* ``write`` (then
    ``fsync``), so two processes logging into one file both keep all their rows, a line another
    program appends stays, and an epoch costs the same whatever the size of the log. A
    symbolic link is written through.

    As in tf_keras, the file is first written at the first epoch end: until then an existing
    file is left as it was, even with ``append=False``. With ``append=False`` that first write
    (header and first row) replaces the file atomically (a temporary file renamed over it), so
    the old log stays whole until the new one has its first row; later rows are appended.

    Crash safety: a write that fails part way (a full disk) is cut off again at once. A machine
    that dies in the middle of an append can still leave a torn last row (without its line end);
    opening the file with ``append=True`` (``on_train_begin``) repairs it: a last line that has
    fewer fields than the header is cut off (:func:`repair_torn_line`). Nothing else of an
    existing file is ever rewritten.

    With :class:`~minikeras.callbacks.BackupAndRestore`, the logger's state (columns, and the
    size of the file after its last row) is part of every backup: a resumed run first cuts
    off the rows written after that backup (they belong to epochs it runs again), so the
    log ends as an uninterrupted run's, each epoch once.

    Other deviation: a bad ``separator`` is refused at once (tf_keras fails at the first epoch
    end, in the csv module).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'training.log')
    >>> logger = CSVLogger(path)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {'loss': 0.5, 'acc': 0.75})
    >>> open(path, newline='').read()
    'epoch,acc,loss,val_acc,val_loss\\r\\n0,0.75,0.5,NA,NA\\r\\n'
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"separator must be a one-character string such as ',' or '\\t', got {separator!r}.")
        if not isinstance(filename, (str, os.PathLike)):
            raise TypeError(f"filename must be a file path (str or os.PathLike), e.g. 'training.log', "
                            f"got {filename!r}.")
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.keys = None
        self.append_header = True
        self._header_pending = None   # None outside a fit
        self._replace = False         # the first write of an append=False fit replaces the file
        self._size = None             # bytes of the file after our last row, or before our first one

    def on_train_begin(self, logs=None):
        check_writable_dir(self.filename, "filename")
        self._size = 0 if self.append else None
        if self.append and os.path.exists(self.filename):
            self._size = repair_torn_line(self.filename, self.sep)
            self.append_header = self._size == 0                   # header only into an empty file
        self._header_pending = self.append_header
        self._replace = not self.append

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._header_pending is None:       # used without fit: start now
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(["val_" + key for key in self.keys])

        class Dialect(csv.excel):
            delimiter = self.sep

        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=["epoch"] + self.keys, dialect=Dialect)
        if self._header_pending:
            writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _handle_value(logs.get(key, "NA"))) for key in self.keys)
        writer.writerow(row)
        data = text.getvalue().encode("utf-8")
        if self._replace:
            with atomic_path(self.filename) as tmp:        # keeps the file's permissions
                with open(tmp, "wb") as f:
                    f.write(data)
            self._size = len(data)
        else:
            self._size = append_bytes(self.filename, data)
        self._header_pending = self._replace = False      # only once the row is safely on disk

    def on_train_end(self, logs=None):
        self._header_pending = None

    def get_state(self):
        """The columns, whether the header and the first write are still to come, and the size
        of the file after this logger's last row (before its first: the size it had when the fit
        began with ``append=True``, None with ``append=False``)."""
        return {"keys": self.keys, "header_pending": bool(self._header_pending), "replace": self._replace,
                "size": self._size}

    def set_state(self, state):
        """Restores :meth:`get_state`'s values and cuts off the rows written after them.

        Raises:
            ValueError: for a malformed state (nothing changed).
        """
        keys, header_pending, replace, size = entries(state, "CSVLogger",
                                                      ("keys", "header_pending", "replace", "size"))
        if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
            raise ValueError(f"CSVLogger state entry 'keys' must be a list of column names, got {keys!r}.")
        if not isinstance(header_pending, bool) or not isinstance(replace, bool):
            raise ValueError(f"CSVLogger state entries 'header_pending' and 'replace' must be booleans, got "
                             f"{header_pending!r}, {replace!r}.")
        size = None if size is None else integer(size, "size", minimum=0)
        if size is not None and os.path.exists(self.filename) and os.path.getsize(self.filename) > size:
            os.truncate(final_target(self.filename), size)   # rows of epochs the resumed run repeats
        self.keys, self._header_pending, self._replace, self._size = keys, header_pending, replace, size


def append_bytes(filename, data):
    """Appends ``data`` to ``filename`` (created if missing) with one ``write``, then ``fsync``.

    If the write fails part way (a full disk), the part written is cut off again, so the file
    never keeps a torn row.

    Returns:
        int: the file's size after the write.
    """
    fd = os.open(filename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        before = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:                       # one write in practice; loop only if the kernel splits it
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException as e:
            os.ftruncate(fd, before)
            if isinstance(e, OSError) and e.errno == errno.ENOSPC:   # say which file, and that nothing is lost
                raise OSError(errno.ENOSPC, f"No space left on device while writing {filename!r}; its earlier "
                                            f"rows are unchanged. Free some disk space and try again.") from e
            raise
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def repair_torn_line(filename, separator=","):
    """Cuts off a torn last row that a killed write left; returns the file's size after it.

    A torn row is a last line without its line end that has *fewer* fields than the first line
    (the header). A last line with all its fields is left as it is: tf_keras appends right
    after it, and so does minikeras. Only the head and the tail of the file are read.

    Args:
        filename: the CSV file.
        separator: the field separator.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'log.csv')
    >>> _ = open(path, 'wb').write(b'epoch,loss,acc\\r\\n0,0.5,0.7\\r\\n1,0.')
    >>> repair_torn_line(path), open(path, 'rb').read()
    (27, b'epoch,loss,acc\\r\\n0,0.5,0.7\\r\\n')
    """
    with open(filename, "rb+") as f:
        end = position = f.seek(0, os.SEEK_END)
        keep = None
        while position > 0:
            start = max(position - 4096, 0)
            f.seek(start)
            newline = f.read(position - start).rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            position = start
        if keep is None or keep == end:          # no complete line at all, or nothing torn
            return end
        f.seek(0)
        header = f.readline()
        f.seek(keep)
        tail = f.read()
        if _fields(tail, separator) < _fields(header, separator):
            f.truncate(keep)
            os.fsync(f.fileno())
            return keep
        return end


def _fields(line, separator):
    rows = list(csv.reader(io.StringIO(line.decode("utf-8", "replace")), delimiter=separator))
    return len(rows[0]) if rows else 0


def _handle_value(value):
    """tf_keras's cell text: strings as-is, iterables (not 0-d arrays) as ``"[a, b]"``."""
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f"\"[{', '.join(map(str, value))}]\""
    return value
