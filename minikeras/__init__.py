"""minikeras: Keras 2's training loop and callbacks, in plain NumPy.

>>> import minikeras
>>> from minikeras.models import Sequential
>>> from minikeras.layers import Dense
>>> model = Sequential([Dense(10, input_dim=784, activation='softmax')])
>>> model.compile(loss='categorical_crossentropy', optimizer='rmsprop')
"""
from . import (activations, backend, callbacks, constraints, datasets, initializers, layers, losses, metrics,
               models, optimizers, preprocessing, regularizers, utils, wrappers)
from .compat import install_as_keras, uninstall_keras_alias
from .layers import Input
from .models import Model, Sequential

__version__ = "0.1.0"

__all__ = ["activations", "backend", "callbacks", "constraints", "datasets", "initializers", "layers", "losses",
           "metrics", "models", "optimizers", "preprocessing", "regularizers", "utils", "wrappers", "Input", "Model",
           "Sequential", "install_as_keras", "uninstall_keras_alias",
           "__version__"]
