"""``keras.engine.sequential`` (Keras 2.2's module of ``Sequential``).

>>> from minikeras.compat.legacy.engine.sequential import Sequential
>>> Sequential.__module__
'minikeras.models.sequential'
"""
from ....models import Sequential

__all__ = ["Sequential"]
