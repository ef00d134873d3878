# %% [markdown]
# # 11 · Convolutions, forward and backward, by hand
#
# A `Conv2D` layer slides a small kernel over an image. This tutorial writes that forward pass
# as one matrix product (im2col), writes the backward pass by hand (col2im), checks both against
# `minikeras.layers.Conv2D` and against finite differences, watches max pooling route its
# gradient, and finally trains a small convnet on the offline digits and plots its filters.
#
# Run it as a script (`python tutorials/11_convolutions.py`) or open it as a notebook. Plots
# are saved as PNG into `tutorial_output/` (or `$MINIKERAS_TUTORIAL_OUT`).

# %%
import os

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import minikeras as keras
from minikeras.layers import Conv2D, Dense, Flatten, MaxPooling2D

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)


def sig4(x):
    """Rounds to 4 significant digits, for printing."""
    return float(f"{float(x):.4g}")


# %% [markdown]
# ## im2col: a convolution is one matrix product
#
# A batch of 2 images, 6×6 pixels, 3 channels; 4 filters of 3×3. Each output cell reads one
# 3×3×3 window. Put every window in a row of `cols` (`(2·4·4, 27)`) and the convolution is
# `cols @ kernel.reshape(27, 4)`.

# %%
rng = np.random.default_rng(0)
x = rng.normal(size=(2, 6, 6, 3))                                   # (B, H, W, Cin)
conv = Conv2D(4, 3, dtype="float64")
y = conv(x)                                                         # (B, 4, 4, 4)
kernel, bias = conv.get_weights()                                   # (3, 3, 3, 4), (4,)

windows = sliding_window_view(x, (3, 3), axis=(1, 2))               # (B, 4, 4, Cin, 3, 3)
cols = windows.transpose(0, 1, 2, 4, 5, 3).reshape(32, 27)          # (B*Ho*Wo, kh*kw*Cin)
y_by_hand = (cols @ kernel.reshape(27, 4) + bias).reshape(2, 4, 4, 4)
print("output shape:", y.shape)
print("im2col forward equals the layer:", np.allclose(y_by_hand, y))

# %% [markdown]
# ## col2im: the backward pass
#
# With `L = sum(y * r)` for a random `r`, `dL/dy = r`. Then `dL/dkernel = cols.T @ r` and the
# gradient of every window is `r @ kernel.T`; each window's gradient is added back onto the
# pixels it came from, one kernel offset at a time.

# %%
r = rng.normal(size=y.shape)                                        # dL/dy
d_kernel = (cols.T @ r.reshape(32, 4)).reshape(kernel.shape)        # (3, 3, Cin, 4)
d_windows = (r.reshape(32, 4) @ kernel.reshape(27, 4).T).reshape(2, 4, 4, 3, 3, 3)
d_x = np.zeros_like(x)
for p in range(3):
    for q in range(3):
        d_x[:, p:p + 4, q:q + 4, :] += d_windows[:, :, :, p, q, :]  # (B, Ho, Wo, Cin)

conv(x)
layer_dx = conv.backward(r)
print("dL/dkernel equal:", np.allclose(conv.grads[0], d_kernel))
print("dL/dx      equal:", np.allclose(layer_dx, d_x))

# %% [markdown]
# ## Checked by finite differences
#
# Nudge one input pixel up and down by `eps` and watch the loss: the slope must be `dL/dx`.

# %%
eps = 1e-6
x_up, x_down = x.copy(), x.copy()
x_up[1, 2, 3, 0] += eps
x_down[1, 2, 3, 0] -= eps
numeric = (np.sum(conv(x_up) * r) - np.sum(conv(x_down) * r)) / (2 * eps)
print("dL/dx[1, 2, 3, 0] backward:", sig4(d_x[1, 2, 3, 0]), " finite differences:", sig4(numeric))

# %% [markdown]
# ## Max pooling routes the gradient
#
# Each 2×2 window passes its largest value on; in the backward pass, only that cell gets the
# window's gradient. So exactly one cell in four receives something.

# %%
pool = MaxPooling2D()
pooled = pool(y)                                                    # (B, 2, 2, 4)
d_y = pool.backward(np.ones_like(pooled))
print("cells that receive a gradient:", int((d_y != 0).sum()), "of", d_y.size)

# %% [markdown]
# ## A small convnet on the digits
#
# Conv → pool → conv → pool → dense, trained for three epochs on 3,000 generated digits.

# %%
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data(train_size=3000, test_size=500)
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255
model = keras.models.Sequential([
    Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)), MaxPooling2D(),
    Conv2D(16, 3, activation="relu"), MaxPooling2D(), Flatten(), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("training loss per epoch:", [sig4(v) for v in history.history["loss"]])
print("test accuracy above 0.5:", accuracy > 0.5)

# %% [markdown]
# ## What the first layer learned
#
# The eight 3×3 filters of the first layer, as images.

# %%
import matplotlib.pyplot as plt  # noqa: E402 - plotting is optional for the rest of the tutorial

filters = model.layers[0].get_weights()[0][:, :, 0, :]              # (3, 3, 8)
fig, axes = plt.subplots(1, 8, figsize=(8, 1.4))
for k, ax in enumerate(axes):
    ax.imshow(filters[:, :, k], cmap="gray")
    ax.set_axis_off()
    ax.set_title(f"{k}", fontsize=8)
fig.tight_layout()
path = os.path.join(OUT, "11_first_layer_filters.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
