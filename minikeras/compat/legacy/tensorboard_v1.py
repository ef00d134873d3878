"""``keras.callbacks.tensorboard_v1`` (Keras 2.3's TensorBoard for TensorFlow 1): minikeras's one TensorBoard.

>>> from minikeras.compat.legacy.tensorboard_v1 import TensorBoard
>>> TensorBoard.__module__
'minikeras.callbacks.tensorboard'
"""
from ...callbacks import TensorBoard

__all__ = ["TensorBoard"]
