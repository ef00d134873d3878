"""``get_file`` (download once, cache, verify) and ``Sequence`` (Keras ``keras.utils.data_utils``).

The cache is Keras's: ``~/.keras/datasets/`` (or ``$KERAS_HOME/datasets/``), so a file Keras has
already downloaded is reused, and a file downloaded here is reused by Keras. A download is written
to a temporary file beside its target, checked against ``file_hash``, and only then renamed into
place (:func:`minikeras.utils.io_utils.atomic_path`): an interrupted or corrupted download never
sits in the cache looking like a good file.
"""
import hashlib
import os
import tarfile
import tempfile
import zipfile
from urllib.parse import urlsplit

from .enqueuers import GeneratorEnqueuer, OrderedEnqueuer, SequenceEnqueuer  # noqa: F401 - Keras's home for them
from .io_utils import atomic_path
from .progbar import Progbar

#: ``hash_algorithm`` names and the hashlib constructors they stand for.
HASHERS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def cache_root(cache_dir=None):
    """Returns the cache folder: ``cache_dir``, else ``$KERAS_HOME``, else ``~/.keras``.

    As in Keras, an unwritable folder falls back to ``.keras`` in the temporary folder (``/tmp``).
    """
    root = os.path.expanduser(cache_dir or os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))
    try:
        os.makedirs(root, exist_ok=True)
    except OSError:
        pass
    return root if os.access(root, os.W_OK) else os.path.join(tempfile.gettempdir(), ".keras")


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """Returns the hex digest of the file at ``fpath``.

    Args:
        fpath: path of the file.
        algorithm: ``'sha256'`` or ``'md5'``.
        chunk_size: bytes read at a time (the file is never loaded whole).

    >>> import tempfile
    >>> path = tempfile.mkstemp()[1]
    >>> hash_file(path)  # the sha256 of no bytes at all
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    if algorithm not in HASHERS:
        raise ValueError(f"hash_algorithm must be one of {sorted(HASHERS)} or 'auto', got {algorithm!r}.")
    hasher = HASHERS[algorithm]()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


_hash_file = hash_file   # Keras 2.2.4's name (its own tests import it)


def resolve_hash_algorithm(file_hash, algorithm="auto"):
    """``'auto'`` means sha256 for a 64-character hash and md5 otherwise, as in Keras."""
    if algorithm == "auto":
        return "sha256" if file_hash is not None and len(file_hash) == 64 else "md5"
    return algorithm


def validate_file(fpath, file_hash, algorithm="auto"):
    """True if the file's hash equals ``file_hash`` (``algorithm``: ``'sha256'``, ``'md5'`` or ``'auto'``)."""
    return hash_file(fpath, resolve_hash_algorithm(file_hash, algorithm)) == str(file_hash).lower()


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None):
    """Downloads ``origin`` into the Keras cache unless a good copy is already there; returns its path.

    Offline (``datasets.use_offline``), the files Keras's examples fetch that
    :mod:`minikeras.datasets.example_files` can generate are generated instead (outside the cache).

    Args:
        fname: file name in the cache (an absolute path is used as it is); default: the
            last part of ``origin``'s path.
        origin: the URL.
        untar: Keras 2's spelling of ``extract`` for ``.tar.gz`` files: the archive is saved as
            ``fname + '.tar.gz'``, extracted, and the path ``fname`` is returned.
        md5_hash: Keras 2's spelling of ``file_hash`` with ``hash_algorithm='md5'``.
        file_hash: expected sha256 (64 hex digits) or md5 of the file. A cached file that does
            not match is downloaded again; a download that does not match is an error.
        cache_subdir: folder under the cache root (an absolute path is used as it is).
        hash_algorithm: ``'auto'``, ``'sha256'`` or ``'md5'``.
        extract: extract a tar or zip archive next to it after downloading.
        archive_format: ``'auto'``, ``'tar'``, ``'zip'``.
        cache_dir: cache root; default ``$KERAS_HOME`` or ``~/.keras``.

    Returns:
        str: the local path of the file.

    Raises:
        ValueError: without ``origin``, or when the downloaded file's hash is wrong.
        OSError: when the download fails (offline, bad URL, HTTP error); the message says how
            to place the file by hand.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    from ..datasets import example_files, offline
    if offline.is_offline() and origin in example_files.STANDINS:   # a generated file, outside Keras's cache
        return example_files.standin_path(origin)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(cache_root(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fname = os.fspath(fname) if fname else os.path.basename(urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't find a file name in origin={origin!r}; pass fname='name.ext'.")
    if untar:
        fname = fname[:-len(".tar.gz")] if fname.endswith(".tar.gz") else fname
        untar_fpath = os.path.join(datadir, fname)
        fpath = untar_fpath + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    algorithm = resolve_hash_algorithm(file_hash, hash_algorithm)

    if not os.path.exists(fpath) or (file_hash is not None and not validate_file(fpath, file_hash, algorithm)):
        if os.path.exists(fpath):
            print(f"A local file was found, but it seems to be incomplete or outdated because the {algorithm} "
                  f"file hash does not match the original value of {file_hash} so we will re-download the data.")
        _download(origin, fpath, file_hash, algorithm)

    if untar:
        if not os.path.exists(untar_fpath):
            extract_archive(fpath, datadir, "tar")
        return untar_fpath
    if extract:
        extract_archive(fpath, datadir, archive_format)
    return fpath


def _download(origin, fpath, file_hash, algorithm):
    """Downloads to a temporary file beside ``fpath``, checks the hash, then renames it into place."""
    import http.client      # imported here: only a download needs them (they slow `import minikeras`)
    import urllib.error
    import urllib.request
    print(f"Downloading data from {origin}")
    with atomic_path(fpath) as tmp:
        try:
            with urllib.request.urlopen(origin, timeout=60) as response, open(tmp, "wb") as out:
                total = response.headers.get("Content-Length")
                bar = Progbar(int(total) if total else None)
                done = 0
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    out.write(chunk)
                    done += len(chunk)
                    bar.update(done)
        except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException) as e:
            reason = f"{e.code} {e.msg}" if isinstance(e, urllib.error.HTTPError) else getattr(e, "reason", e)
            raise OSError(f"URL fetch failure on {origin}: {reason}. Check your internet connection, or download "
                          f"the file yourself and save it as {fpath}.") from e
        if file_hash is not None and not validate_file(tmp, file_hash, algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {algorithm} file hash does not match "
                             f"the provided value of {file_hash}. It was not saved; try the download again.")


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar or zip archive into ``path``; returns True if it was one.

    Raises:
        ValueError: if a member would land outside ``path`` (a malicious archive).
    """
    formats = ["tar", "zip"] if archive_format == "auto" else [archive_format] if archive_format else []
    for fmt in formats:
        is_archive, opener = (tarfile.is_tarfile, tarfile.open) if fmt == "tar" else (zipfile.is_zipfile,
                                                                                     zipfile.ZipFile)
        if is_archive(file_path):
            with opener(file_path) as archive:
                names = archive.getnames() if fmt == "tar" else archive.namelist()
                root = os.path.realpath(path)
                for name in names:
                    if not os.path.realpath(os.path.join(root, name)).startswith(root + os.sep):
                        raise ValueError(f"Archive member {name!r} would be written outside {path!r}; refusing.")
                archive.extractall(path)
            return True
    return False


class Sequence:
    """Base class for batch datasets that know their length (Keras ``keras.utils.Sequence``).

    Implement ``__getitem__(index)`` (the batch ``(x, y)`` or ``(x, y, sample_weight)`` number
    ``index``) and ``__len__()`` (batches per epoch). ``fit`` calls ``on_epoch_end()`` after
    every epoch: reshuffle your data there. Unlike a generator, a Sequence needs no
    ``steps_per_epoch`` and starts again at batch 0 every epoch.

    >>> import numpy as np
    >>> class Halves(Sequence):
    ...     def __init__(self, x, y):
    ...         self.x, self.y = x, y
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, i):
    ...         half = len(self.x) // 2
    ...         return self.x[i * half:(i + 1) * half], self.y[i * half:(i + 1) * half]
    >>> [x.shape for x, y in Halves(np.zeros((6, 3)), np.zeros(6))]
    [(3, 3), (3, 3)]
    """

    def __getitem__(self, index):
        """Returns batch number ``index``: ``(x, y)`` or ``(x, y, sample_weight)``."""
        raise NotImplementedError("Implement __getitem__(self, index) in your Sequence subclass.")

    def __len__(self):
        """Returns the number of batches in one epoch."""
        raise NotImplementedError("Implement __len__(self) in your Sequence subclass.")

    def on_epoch_end(self):
        """Called after every epoch; does nothing unless you override it (e.g. to reshuffle)."""

    def __iter__(self):
        """Yields every batch once, in order."""
        for i in range(len(self)):
            yield self[i]
