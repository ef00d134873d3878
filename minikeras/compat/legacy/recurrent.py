"""``keras.layers.recurrent`` (Keras 2.2.4's module of the recurrent layers and cells).

>>> from minikeras.compat.legacy.recurrent import LSTM
>>> LSTM.__module__
'minikeras.layers.lstm'
"""
from ...layers import GRU, LSTM, RNN, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell

__all__ = ["RNN", "SimpleRNN", "GRU", "LSTM", "SimpleRNNCell", "GRUCell", "LSTMCell"]
