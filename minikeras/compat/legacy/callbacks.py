"""``keras.callbacks.callbacks`` (Keras 2.3's module of the callbacks, documented under that name).

>>> from minikeras.compat.legacy.callbacks import EarlyStopping
>>> EarlyStopping.__module__
'minikeras.callbacks.early_stopping'
"""
from ...callbacks import (BaseLogger, Callback, CallbackList, CSVLogger, EarlyStopping, History, LambdaCallback,
                          LearningRateScheduler, ModelCheckpoint, ProgbarLogger, ReduceLROnPlateau, RemoteMonitor,
                          TerminateOnNaN)

__all__ = ["BaseLogger", "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "RemoteMonitor",
           "TerminateOnNaN"]
