"""File helpers (Keras ``keras.utils.io_utils``): atomic writes, so a crash never leaves a
half-written checkpoint or log.

Everything that writes a file (``model.save``, ``save_weights``, ``ModelCheckpoint``, ``CSVLogger``'s
first write, ``BackupAndRestore``) writes to a temporary file *in the target's folder* and then
renames it over the target with ``os.replace``, which is atomic on POSIX and Windows: readers see
either the old file or the complete new one, never a mixture.

* A target that is a symbolic link is written *through* the link, as ``open(path, 'w')`` (and
  tf_keras) does: the temporary file goes beside the link's final target, which it replaces; the
  link stays.
* Temporary names are short and fixed-length, ``.mk<crc32 of the target's name>.<pid>.<8 random>.tmp``
  (32 bytes or so), so any file name the file system accepts can be written.
* A process killed during a write leaves its temporary file behind. The next write to the same
  target removes such leftovers: files of exactly that pattern, for that target, whose process is
  gone, older than the write that finds them.
"""
import contextlib
import errno
import os
import re
import stat
import tempfile
import time
import zlib

from .hdf5_matrix import HDF5Matrix  # noqa: F401 - Keras 2.2.4's home for it

#: ``atomic_path``'s temporary files: ``.mk<crc32 of the target name>.<pid>.<random>.tmp``.
TEMP_PATTERN = re.compile(r"^\.mk(?P<target>[0-9a-f]{8})\.(?P<pid>[0-9]+)\.[a-z0-9_]{8}\.tmp$")
_ACTIVE = set()   # this process's temporary files being written now


def check_writable_dir(filepath, argument="filepath"):
    """Raises ValueError unless the folder of ``filepath`` exists (or can be made) and is writable.

    Missing folders are created (as tf_keras's ModelCheckpoint does). A name longer than the
    file system allows is refused too (:func:`check_name_fits`).

    Args:
        filepath: the file about to be written.
        argument: the argument's name, for the message.
    """
    check_name_fits(filepath, argument)
    folder = os.path.dirname(os.path.abspath(os.fspath(filepath)))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise ValueError(f"Cannot create the folder {folder!r} for {argument}={os.fspath(filepath)!r}: {e.strerror}. "
                         f"Choose a path in a writable folder.") from e
    if not os.access(folder, os.W_OK):
        raise ValueError(f"The folder {folder!r} of {argument}={os.fspath(filepath)!r} is not writable. "
                         f"Choose a path in a writable folder.")
    if os.path.isdir(filepath):
        raise ValueError(f"{argument}={os.fspath(filepath)!r} is a folder; give a file name.")


def check_folder_can_be_made(folder, argument):
    """Raises ValueError unless ``folder`` is, or could be created as, a writable folder.

    Nothing is created: callbacks call this in ``__init__``, so that a bad path fails before
    any training rather than at the first save (the folder itself is made when first needed).

    Args:
        folder: the folder a callback will write into.
        argument: the argument's name, for the message.
    """
    check_name_fits(folder, argument)
    folder = os.path.abspath(os.fspath(folder))
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise ValueError(f"{argument}: cannot create the folder {folder!r} because {existing!r} is a file. "
                         f"Choose a path in a writable folder.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"{argument}: the folder {existing!r} is not writable, so {folder!r} cannot be "
                         f"written. Choose a path in a writable folder.")


def _permissions_for(filepath):
    """The permissions ``open(filepath, 'w')`` would give: the existing file's, else 0o666 minus the umask."""
    try:
        return stat.S_IMODE(os.stat(filepath).st_mode)
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(filepath):
    """Yields a temporary path beside ``filepath``; on success renames it to ``filepath``.

    On any exception (or ``KeyboardInterrupt``) the temporary file is removed and the old
    ``filepath``, if any, is left untouched. A full disk (``ENOSPC``) is re-raised as an
    ``OSError`` with the same errno whose message names ``filepath``.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), 'x.txt')
    >>> with atomic_path(target) as tmp:
    ...     with open(tmp, 'w') as f:
    ...         _ = f.write('done')
    >>> open(target).read()
    'done'
    """
    target = final_target(filepath)
    check_name_fits(target, "filepath")
    remove_stale_temps(target)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=os.path.dirname(target))
    os.close(fd)
    _ACTIVE.add(tmp)
    try:
        os.chmod(tmp, _permissions_for(target))  # mkstemp makes 0o600 files; give the usual ones
        yield tmp
        with open(tmp, "rb+") as f:  # make the bytes durable before the rename makes them visible
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(e, OSError) and e.errno == errno.ENOSPC:  # say which file, and that nothing is lost
            raise OSError(errno.ENOSPC, f"No space left on device while writing {os.fspath(filepath)!r}; the "
                                        f"previous file, if any, is unchanged. Free some disk space and try "
                                        f"again.") from e
        raise
    finally:
        _ACTIVE.discard(tmp)


def final_target(filepath):
    """Returns the absolute path a write to ``filepath`` lands on: symbolic links followed to the end.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.symlink(os.path.join(folder, 'real.h5'), os.path.join(folder, 'link.h5'))
    >>> final_target(os.path.join(folder, 'link.h5')) == os.path.realpath(os.path.join(folder, 'real.h5'))
    True
    """
    return os.path.realpath(os.fspath(filepath))


def check_name_fits(filepath, argument="filepath"):
    """Raises ValueError if the file name or the path is longer than the file system allows.

    Args:
        filepath: the file about to be written.
        argument: the argument's name, for the message.
    """
    path = os.fsencode(os.path.abspath(os.fspath(filepath)))
    folder = os.path.dirname(path)
    while folder and not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    name_max, path_max = 255, 4096
    with contextlib.suppress(OSError, ValueError, AttributeError):   # no pathconf on Windows
        name_max, path_max = os.pathconf(folder, "PC_NAME_MAX"), os.pathconf(folder, "PC_PATH_MAX")
    longest = max(len(part) for part in path.split(os.fsencode(os.sep)))
    if longest > name_max or len(path) >= path_max:
        raise ValueError(f"{argument}={os.fspath(filepath)!r} cannot be written: a name in it is {longest} bytes "
                         f"long (the file system allows {name_max}) or the path is {len(path)} bytes (limit "
                         f"{path_max - 1}). Choose a shorter name.")


def _temp_prefix(target):
    return f".mk{zlib.crc32(os.fsencode(os.path.basename(target))):08x}.{os.getpid()}."


def _process_is_gone(pid):
    if pid == os.getpid():
        return True      # ours: the caller also checks it is not being written now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError, OverflowError):   # another user's live process, or no such check here
        return False
    return False


def stale_temp_files(filepath):
    """Returns the temporary files that killed writes to ``filepath`` left beside its final target.

    Only files named exactly as :func:`atomic_path` names them for this target, whose writing
    process no longer exists (or is this one, outside a write), count.

    Args:
        filepath: the target of the writes.
    """
    target = final_target(filepath)
    folder, prefix = os.path.dirname(target), _temp_prefix(target)[3:11]
    stale, now = [], time.time()
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            match = TEMP_PATTERN.match(name)
            path = os.path.join(folder, name)
            if match and match["target"] == prefix and path not in _ACTIVE \
                    and _process_is_gone(int(match["pid"])) and os.lstat(path).st_mtime <= now \
                    and stat.S_ISREG(os.lstat(path).st_mode):
                stale.append(path)
    return stale


def remove_stale_temps(filepath):
    """Removes :func:`stale_temp_files` of ``filepath`` (errors ignored: another process may race us)."""
    for path in stale_temp_files(filepath):
        with contextlib.suppress(OSError):
            os.remove(path)


def ask_to_proceed_with_overwrite(filepath):
    """Asks ``[WARNING] <filepath> already exists - overwrite? [y/n]`` with ``input()``, as Keras does.

    Args:
        filepath: the file that would be replaced.

    Returns:
        bool: True for "y" (overwrite), False for "n"; any other answer asks again.
    """
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def h5dict(path, mode="a"):
    """Not available: Keras 2.2.4's internal HDF5-or-dict wrapper (tf_keras removed it too).

    Args:
        path: the file (or dict) Keras would wrap.
        mode: its open mode.

    Raises:
        NotImplementedError: always, saying what to use instead.
    """
    raise NotImplementedError("minikeras has no h5dict (Keras 2.2.4's internal saving helper, removed in tf_keras); "
                              "open the file with h5py.File(path, mode), or use model.save / load_model.")
