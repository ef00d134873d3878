"""``keras.engine`` (Keras 2.2.4's package of the base layer, the network and the training loop).

>>> from minikeras.compat.legacy.engine import Layer, Model
>>> Layer.__module__, Model.__module__
('minikeras.layers.base', 'minikeras.models.model')
"""
from ....layers import Input, InputLayer, Layer
from ....models import Model

__all__ = ["Input", "InputLayer", "Layer", "Model"]
