"""``keras.engine.training`` (Keras 2's module of ``Model``).

>>> from minikeras.compat.legacy.engine.training import Model
>>> Model.__module__
'minikeras.models.model'
"""
from ....models import Model

__all__ = ["Model"]
