"""``keras.engine.base_layer`` (Keras 2.2's module of ``Layer`` and ``Node``).

>>> from minikeras.compat.legacy.engine.base_layer import Layer
>>> Layer.__module__
'minikeras.layers.base'
"""
from ....layers import Layer
from ....layers.node import Node

__all__ = ["Layer", "Node"]
