"""Checking the arguments of the save and load functions, and Keras's overwrite question.

``overwrite=False`` on an existing file: Keras asks ``[WARNING] <path> already exists - overwrite?
[y/n]`` with ``input()``. minikeras asks the same only when standard input is a terminal; in a
script, a notebook or a test it raises ``FileExistsError`` instead of waiting for an answer that
cannot come.
"""
import os
import sys

from . import hdf5
from ..utils.io_utils import ask_to_proceed_with_overwrite, check_writable_dir

# Keras arguments that only mean something for TensorFlow's SavedModel format.
IGNORED_KWARGS = ("options", "signatures", "save_traces", "safe_mode")


def check_kwargs(kwargs):
    """Raises TypeError for a keyword argument that is neither documented nor in ``IGNORED_KWARGS``."""
    unknown = set(kwargs) - set(IGNORED_KWARGS)
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s) {sorted(unknown)}; minikeras accepts (and ignores) "
                        f"only {list(IGNORED_KWARGS)} besides the documented ones.")


def prepare_write(filepath, overwrite, save_format, kwargs):
    """Checks the arguments of a save and the target folder, and settles ``overwrite``.

    Args:
        filepath: the file to write.
        overwrite: whether an existing file may be replaced without asking.
        save_format: ``None``, ``'h5'`` or ``'hdf5'``.
        kwargs: the caller's other keyword arguments.

    Returns:
        The path as a ``str``, or None if the user answered "n" at the terminal.

    Raises:
        TypeError: for a bad path type or an unknown keyword argument.
        ValueError: for another ``save_format`` or an unwritable folder.
        FileExistsError: for an existing file, ``overwrite=False`` and no terminal.
    """
    check_kwargs(kwargs)
    path = hdf5.check_path(filepath)
    if save_format not in (None, "h5", "hdf5"):
        raise ValueError(f"save_format={save_format!r}: minikeras writes only Keras 2's HDF5 format; "
                         f"use save_format='h5' (or leave it out).")
    check_writable_dir(path)
    if overwrite or not os.path.exists(path):
        return path
    if sys.stdin is None or not sys.stdin.isatty():
        raise FileExistsError(f"{path!r} already exists and overwrite=False. Pass overwrite=True to replace it, "
                              f"or choose another file name.")
    return path if ask_to_proceed_with_overwrite(path) else None
