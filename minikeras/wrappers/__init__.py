"""Wrappers that let other libraries use minikeras models: :mod:`~minikeras.wrappers.scikit_learn`.

(The layer wrappers ``TimeDistributed`` and ``Bidirectional`` are in :mod:`minikeras.layers`.)
"""
from . import scikit_learn

__all__ = ["scikit_learn"]
