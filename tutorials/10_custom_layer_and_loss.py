# %% [markdown]
# # 10 · A custom layer and a custom loss, trained through the tape
#
# Keras users write new layers by subclassing `Layer` and writing `call`, and new losses as
# functions of `(y_true, y_pred)` written with `K` ops. Neither has a backward pass written by
# hand: minikeras differentiates them with its autodiff tape (`minikeras/backend/autodiff.py`).
# This tutorial writes both, checks the tape's gradients against finite differences, and
# trains a model with them on the digits.
#
# Floats are printed rounded to 4 significant digits.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras import backend as K
from minikeras.datasets import digits
from minikeras.layers import Dense, Layer
from minikeras.models import Sequential

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)


def r4(values):
    """Rounded to 4 significant digits, for printing."""
    return [float(f"{v:.4g}") for v in np.ravel(values)]


# %% [markdown]
# ## A custom layer: a learned gate
#
# `Gate` multiplies each feature by `sigmoid(g)`, with one trainable `g` per feature, and asks
# (with `add_loss`) that the gates stay open: a penalty `0.01 * sum(1 - sigmoid(g))`. Only
# `build` and `call` are written.

# %%
class Gate(Layer):
    def build(self, input_shape):
        self.g = self.add_weight(name="g", shape=(input_shape[-1],), initializer="zeros")

    def call(self, inputs):
        gate = K.sigmoid(self.g)
        self.add_loss(0.01 * K.sum(1 - gate))
        return inputs * gate


layer = Gate()
x = np.array([[1.0, -2.0, 0.5]], dtype="float32")
out = layer(x)
print("output:", r4(out), " penalty:", r4(layer.losses))
print("differentiated by the tape:", layer.uses_tape)

# %% [markdown]
# ## The tape's gradient against finite differences
#
# For the loss `L = sum(output) + penalty`, `layer.backward(ones)` gives `dL/dg`; we compare it
# with `(L(g + eps) - L(g - eps)) / (2 eps)`, one weight at a time.

# %%
dx = layer.backward(np.ones_like(out))
tape_grad = layer.grads[0]


def total_loss(g):
    layer.g[...] = g
    value = float(np.sum(layer(x))) + sum(layer.losses)
    layer.g[...] = 0.0
    return value


eps = 1e-2
numeric = [(total_loss(np.eye(3)[i] * eps) - total_loss(-np.eye(3)[i] * eps)) / (2 * eps) for i in range(3)]
print("dL/dg by the tape:        ", r4(tape_grad))
print("dL/dg by finite difference:", r4(numeric))
print("gradients agree:", bool(np.allclose(tape_grad, numeric, atol=1e-4)))
print("dL/dx:", r4(dx))

# %% [markdown]
# ## A custom loss with `K` ops
#
# The smooth L1 loss (Huber with delta 1): quadratic near 0, linear far away. It returns one
# value per sample; the tape gives `d(sum of losses)/d(y_pred)`.

# %%
def smooth_l1(y_true, y_pred):
    d = K.abs(y_pred - y_true)
    return K.mean(K.switch(d < 1.0, 0.5 * K.square(d), d - 0.5), axis=-1)


y_true = np.array([[0.0, 0.0, 0.0]], dtype="float32")
y_pred = np.array([[0.5, -2.0, 3.0]], dtype="float32")
print("loss:", r4(smooth_l1(y_true, y_pred)))
print("gradient:", r4(keras.losses.gradient(smooth_l1)(y_true, y_pred)))   # (0.5, -1, 1) / 3

# %% [markdown]
# ## Training with both
#
# A digits classifier whose hidden features pass through a `Gate`, trained with the smooth L1
# loss on one-hot targets.

# %%
(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=1000, test_size=200)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = Sequential([Dense(64, input_dim=784, activation="relu"), Gate(), Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(0.005), loss=smooth_l1, metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=50, epochs=8, verbose=0, validation_data=(x_test, y_test))
print("loss per epoch:", r4(history.history["loss"]))
print("val accuracy per epoch:", r4(history.history["val_accuracy"]))
gates = 1 / (1 + np.exp(-model.layers[1].g))
print("gates: min", r4(gates.min()), "max", r4(gates.max()))

# %% [markdown]
# ## Picture: the learning curve and the learned gates

# %%
import matplotlib.pyplot as plt

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
ax1.plot(range(1, 9), history.history["loss"], label="loss")
ax1.plot(range(1, 9), history.history["val_loss"], label="val_loss")
ax1.set_title("smooth L1 loss")
ax1.set_xlabel("epoch")
ax1.legend()
ax2.hist(gates, bins=20)
ax2.set_title("sigmoid(g) of the 64 gates")
fig.tight_layout()
path = os.path.join(OUT, "10_custom_layer_and_loss.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
