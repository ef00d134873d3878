"""``python -m minikeras run SCRIPT.py [args]``: a Keras script, run unchanged on minikeras."""
import contextlib
import os
import runpy
import sys

from ..compat import install_as_keras
from ..datasets import mnist
from .data import DATASETS, load_dataset, offline_loaders
from .doc import capped_epochs


def log(line):
    """Writes the runner's own notes to stderr, apart from the script's output."""
    print(line, file=sys.stderr)


@contextlib.contextmanager
def mnist_answered_by(data):
    """While the block runs, ``keras.datasets.mnist.load_data()`` returns the ``data`` dataset instead.

    Args:
        data: ``'digits'`` or ``'random'`` (see ``runner.data.DATASETS``); ``None``, ``'mnist'`` or
            ``'offline'`` leaves MNIST as it is.

    Raises:
        ValueError: for an unknown name.
    """
    if data not in (None,) + DATASETS:
        raise ValueError(f"data must be one of {list(DATASETS)} or None, got {data!r}.")
    if data in (None, "mnist", "offline"):        # 'offline': mnist's own switch answers (offline_loaders)
        yield
        return
    original = mnist.load_data

    def load_data(path="mnist.npz"):
        print(f"minikeras run: mnist.load_data() returns the {data!r} dataset (--data {data})", file=sys.stderr)
        return load_dataset(data)

    mnist.load_data = load_data
    try:
        yield
    finally:
        mnist.load_data = original


def run_script(path, args=(), data=None, epochs=None, data_scale=None):
    """Runs ``path`` as ``python SCRIPT.py args`` would, with ``import keras`` answered by minikeras.

    ``sys.argv`` is ``[path, *args]`` and the script's folder comes first on ``sys.path`` while it
    runs; both, and ``sys.modules``' ``keras`` entries, are restored afterwards.

    Args:
        path: the script.
        args: its command-line arguments.
        data: ``'digits'`` or ``'random'`` to answer ``mnist.load_data()`` with that dataset
            (MNIST-shaped, offline); ``'offline'`` to answer every Keras dataset loader with its
            generated stand-in (``datasets.use_offline``); None (the default) or ``'mnist'`` for the real MNIST.
        epochs: if set, every ``fit`` trains at most this many epochs (as ``doc --epochs``).
        data_scale: with ``data='offline'``, the stand-ins hold this fraction of the real datasets'
            samples (``datasets.use_offline(scale=...)``); None: as many as the real ones.

    Returns:
        dict: the script's global variables when it finished.

    Raises:
        FileNotFoundError: if there is no such file. Errors of the script itself propagate.
        ValueError: for a ``data_scale`` outside (0, 1] or without ``data='offline'``.
    """
    path = os.fspath(path)
    if data_scale is not None and data != "offline":
        raise ValueError(f"data_scale={data_scale!r} only applies to the offline stand-ins: use data='offline'.")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such script: {path!r}. Usage: python -m minikeras run SCRIPT.py [args]")
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path, *[str(a) for a in args]]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        with install_as_keras(), mnist_answered_by(data), offline_loaders(data, data_scale), capped_epochs(epochs, log):
            return runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
