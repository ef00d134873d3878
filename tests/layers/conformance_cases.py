"""The layer cases compared with tf_keras (used by both sides: minikeras in pytest, tf_keras in tf_oracle.py)."""

#: (class name, arguments, input shape, training) — strides, dilation and odd 'same' totals included.
CASES = [
    ("Conv2D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 7, 6, 2), True),
    ("Conv2D", {"filters": 2, "kernel_size": (3, 2), "dilation_rate": 2, "padding": "same", "activation": "tanh"},
     (2, 7, 6, 2), True),
    ("Conv2D", {"filters": 2, "kernel_size": 2, "strides": (2, 3)}, (2, 7, 8, 3), True),
    ("Conv1D", {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 2), True),
    ("Conv1D", {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}, (2, 9, 3), True),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 4, 3), True),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (2, 3, 3, 2), True),
    ("Conv2DTranspose", {"filters": 1, "kernel_size": 2, "strides": 3, "activation": "relu"}, (2, 2, 3, 2), True),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 6, 5, 2),
     True),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3, "padding": "same", "depth_multiplier": 2}, (2, 5, 5, 2),
     True),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 7, 2), True),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 7, 2), True),
    ("MaxPooling2D", {}, (2, 6, 6, 3), True),
    ("MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 2), True),
    ("AveragePooling1D", {"pool_size": 2, "padding": "same"}, (2, 7, 2), True),
    ("GlobalMaxPooling2D", {}, (2, 4, 5, 3), True),
    ("GlobalAveragePooling2D", {}, (2, 4, 5, 3), True),
    ("GlobalMaxPooling1D", {}, (2, 6, 3), True),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 6, 3), True),
    ("BatchNormalization", {"momentum": 0.9}, (6, 3, 3, 2), True),
    ("BatchNormalization", {"momentum": 0.9}, (8, 3), True),
    ("BatchNormalization", {"axis": 1}, (4, 3, 5), True),
    ("BatchNormalization", {}, (4, 3, 3, 2), False),
    ("LayerNormalization", {}, (4, 5), True),
    ("LayerNormalization", {"axis": [1, 2]}, (3, 4, 2), True),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 1))}, (2, 3, 3, 2), True),
    ("ZeroPadding1D", {"padding": (2, 1)}, (2, 3, 2), True),
    ("Cropping2D", {"cropping": ((1, 0), (0, 2))}, (2, 4, 4, 2), True),
    ("Cropping1D", {"cropping": (1, 2)}, (2, 6, 2), True),
    ("UpSampling2D", {"size": (2, 3)}, (2, 2, 3, 2), True),
    ("UpSampling1D", {"size": 3}, (2, 3, 2), True),
    ("Reshape", {"target_shape": (-1, 2)}, (2, 3, 4), True),
    ("Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5), True),
    ("RepeatVector", {"n": 3}, (2, 4), True),
    ("Flatten", {}, (2, 3, 4, 2), True),
    ("LeakyReLU", {}, (3, 7), True),
    ("PReLU", {"shared_axes": [1]}, (3, 4, 5), True),
    ("ELU", {"alpha": 0.7}, (3, 7), True),
    ("ThresholdedReLU", {"theta": 0.5}, (3, 7), True),
    ("ReLU", {"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}, (3, 7), True),
    ("Softmax", {"axis": 1}, (2, 3, 4), True),
]


def build_fit_model(keras):
    """A small CNN touching every kind of layer with weights; the same code builds it in both libraries.

    No kinks near the path: tanh, PReLU starting as the identity (alpha 1), and a small learning
    rate. With ReLU, PReLU(alpha 0) and SGD(0.1), a value within float32 rounding of a kink sent a
    gradient the other way in one library, and the two runs drifted 1e-4 apart within 3 epochs.
    """
    layers = keras.layers
    model = keras.models.Sequential([
        layers.Conv2D(4, 3, activation="tanh", input_shape=(8, 8, 1)), layers.BatchNormalization(),
        layers.MaxPooling2D(), layers.Conv2D(4, 3, padding="same"), layers.PReLU(alpha_initializer="ones", shared_axes=[1, 2]),
        layers.Conv2D(3, 2, strides=2), layers.LayerNormalization(), layers.Flatten(),
        layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.02), loss="categorical_crossentropy")
    return model
