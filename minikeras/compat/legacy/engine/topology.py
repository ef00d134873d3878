"""``keras.engine.topology`` (Keras 2.0-2.2's module of layers, nodes and networks).

>>> from minikeras.compat.legacy.engine.topology import Layer
>>> Layer.__module__
'minikeras.layers.base'
"""
from ....layers import Input, InputLayer, Layer
from ....layers.node import Node
from ....models.network import Network

__all__ = ["Input", "InputLayer", "Layer", "Node", "Network"]
