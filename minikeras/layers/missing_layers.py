"""The layers of Keras 2 that minikeras does not have, each with what to use instead.

``from keras.layers import Conv3D`` works; ``Conv3D(...)`` raises NotImplementedError with the
advice below (see :mod:`minikeras.compat.missing`).

>>> from minikeras.layers import CuDNNLSTM
>>> CuDNNLSTM(32)
Traceback (most recent call last):
...
NotImplementedError: minikeras has no keras.layers.CuDNNLSTM; there is no GPU here: LSTM(units) computes the same cell.
"""
from ..compat.missing import missing_class, missing_names

_VOLUMES = ("minikeras has 1-D and 2-D spatial layers only: inputs (batch, steps, channels) or "
            "(batch, rows, cols, channels)")
_CONV_RNN = "use TimeDistributed(Conv2D(...)), TimeDistributed(Flatten()) and an LSTM instead"

ADVICE = {
    **{name: _VOLUMES for name in (
        "Conv3D", "Convolution3D", "Conv3DTranspose", "Deconvolution3D", "MaxPooling3D", "MaxPool3D",
        "AveragePooling3D", "AvgPool3D", "GlobalMaxPooling3D", "GlobalMaxPool3D", "GlobalAveragePooling3D",
        "GlobalAvgPool3D", "UpSampling3D", "ZeroPadding3D", "Cropping3D", "SpatialDropout3D")},
    "ConvLSTM2D": _CONV_RNN,
    "ConvLSTM2DCell": _CONV_RNN,
    "ConvRecurrent2D": _CONV_RNN,
    "LocallyConnected1D": "its weights are not shared across positions; Conv1D is the shared-weight layer",
    "LocallyConnected2D": "its weights are not shared across positions; Conv2D is the shared-weight layer",
    "CuDNNLSTM": "there is no GPU here: LSTM(units) computes the same cell",
    "CuDNNGRU": "there is no GPU here: GRU(units, reset_after=True) computes the same cell (tf_keras's default)",
    "SeparableConv1D": "use SeparableConv2D on the sequence reshaped to (batch, 1, steps, channels), or Conv1D",
    "SeparableConvolution1D": "use SeparableConv2D on the sequence reshaped to (batch, 1, steps, channels), or Conv1D",
    "StackedRNNCells": "give RNN the list of cells, RNN([cell_1, cell_2]), which stacks them at every step",
}

MISSING = missing_names(missing_class, "keras.layers", ADVICE)
