"""Keras 2 ``K`` functions that minikeras does not have, each with what to use instead.

``K.conv2d(...)`` raises NotImplementedError naming the function (see :mod:`minikeras.compat.missing`);
the layers do this work here, with their backward passes written out.

>>> import minikeras.backend as K
>>> K.rnn(None, None, None)
Traceback (most recent call last):
...
NotImplementedError: minikeras has no keras.backend.rnn; use the SimpleRNN, LSTM or GRU layers (or RNN with their cells).
"""
from ..compat.missing import missing_function, missing_names

_LAYERS = "use the {} layers, whose backward passes are written out"
_SESSION = "there is no TensorFlow session: NumPy computes at once"

ADVICE = {
    **{name: _LAYERS.format("Conv1D, Conv2D, Conv2DTranspose, SeparableConv2D and DepthwiseConv2D") for name in (
        "conv1d", "conv2d", "conv2d_transpose", "conv3d", "conv3d_transpose", "depthwise_conv2d",
        "separable_conv1d", "separable_conv2d", "local_conv1d", "local_conv2d")},
    "pool2d": _LAYERS.format("MaxPooling2D and AveragePooling2D"),
    "pool3d": "minikeras has 1-D and 2-D pooling layers only",
    "resize_images": _LAYERS.format("UpSampling2D"),
    "resize_volumes": "minikeras has 1-D and 2-D spatial layers only",
    "spatial_3d_padding": "minikeras has 1-D and 2-D spatial layers only",
    "batch_normalization": _LAYERS.format("BatchNormalization"),
    "normalize_batch_in_training": _LAYERS.format("BatchNormalization"),
    "moving_average_update": _LAYERS.format("BatchNormalization"),
    "dropout": _LAYERS.format("Dropout"),
    "rnn": "use the SimpleRNN, LSTM or GRU layers (or RNN with their cells)",
    "ctc_batch_cost": "minikeras has no CTC loss",
    "ctc_decode": "minikeras has no CTC loss",
    "ctc_label_dense_to_sparse": "minikeras has no CTC loss",
    "map_fn": "use a Python loop or NumPy's vectorized functions on the arrays",
    "foldl": "use a Python loop or functools.reduce on the arrays",
    "foldr": "use a Python loop or functools.reduce on the arrays",
    "get_session": _SESSION,
    "set_session": _SESSION,
    "manual_variable_initialization": "variables hold their values from the moment they are made",
    "is_placeholder": "test isinstance(x, K.Placeholder)",
    "slice": "index the array: x[:, 2:5]",
}

MISSING = missing_names(missing_function, "keras.backend", ADVICE)
