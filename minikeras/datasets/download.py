"""Downloading a dataset file into Keras's cache, with an error that says how to work offline.

>>> message = offline_hint('cifar10')
>>> 'use_offline(True)' in message
True
"""
import json

from ..utils.data_utils import get_file


def offline_hint(dataset):
    """The sentence added to a failed download's message.

    Args:
        dataset: the module name, e.g. ``'imdb'``.

    Returns:
        str.
    """
    return (f"Offline? minikeras.datasets.use_offline(True) (or MINIKERAS_DATA=offline) makes "
            f"{dataset}.load_data() return generated data of the same shapes, without any download.")


def download_or_explain(fname, origin, file_hash, cache_dir, dataset, **get_file_kwargs):
    """``get_file`` (cache, download, hash check); a failed download says how to work offline.

    Args:
        fname: file name in the cache.
        origin: the URL.
        file_hash: sha256 or md5 of the file, or None.
        cache_dir: cache root (None: ``$KERAS_HOME`` or ``~/.keras``).
        dataset: the dataset's module name, for the message.
        **get_file_kwargs: ``untar``, ``cache_subdir``.

    Returns:
        str: the local path.

    Raises:
        OSError: when the file is not cached and cannot be downloaded.
        ValueError: when the downloaded file's hash is wrong.
    """
    try:
        return get_file(fname, origin=origin, file_hash=file_hash, cache_dir=cache_dir, **get_file_kwargs)
    except OSError as e:
        raise OSError(f"{e} {offline_hint(dataset)}") from e


def download_json(fname, origin, file_hash, dataset):
    """Downloads (or finds in the cache) a JSON file, e.g. a word index, and returns its content.

    Args:
        fname: file name in the cache.
        origin: the URL.
        file_hash: sha256 or md5 of the file.
        dataset: the dataset's module name, for the message.

    Returns:
        the decoded JSON value.
    """
    with open(download_or_explain(fname, origin, file_hash, None, dataset)) as f:
        return json.load(f)


__all__ = ["download_or_explain", "download_json", "offline_hint"]
