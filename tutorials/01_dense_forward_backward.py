# %% [markdown]
# # 01 · A Dense layer, forward and backward, by hand
#
# A `Dense` layer computes `y = activation(x @ kernel + bias)`. Training needs the other
# direction too: given how the loss changes with the output (`dL/dy`), how does it change
# with the kernel, the bias and the input? This tutorial computes both directions with plain
# NumPy, checks them against `minikeras.layers.Dense`, and checks the gradient numerically.
#
# Run it as a script (`python tutorials/01_dense_forward_backward.py`) or open it as a
# notebook (jupytext, VS Code). Plots are saved as PNG into the folder `tutorial_output`
# of the current directory (or the folder named by `$MINIKERAS_TUTORIAL_OUT`).

# %%
import os

import numpy as np

import minikeras as keras
from minikeras.layers import Dense

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

# %% [markdown]
# ## Forward
#
# A batch of `B = 4` samples with 3 features each goes through `Dense(2, activation='relu')`.
# Shapes: `x (4, 3) @ kernel (3, 2) + bias (2,) -> z (4, 2) -> y (4, 2)`.

# %%
x = np.random.rand(4, 3).astype("float32")
layer = Dense(2, activation="relu")
y = layer(x)                                  # the first call builds the weights
kernel, bias = layer.get_weights()
print("kernel", kernel.shape, "bias", bias.shape)

z = x @ kernel + bias                         # the logits, before the activation
y_by_hand = np.maximum(z, 0)                  # relu
print("forward by hand equals the layer:", np.allclose(y_by_hand, y))

# %% [markdown]
# ## Backward
#
# Take the loss `L = sum(y**2) / 2`, so `dL/dy = y`. The chain rule, one step at a time:
#
# * through relu: `dL/dz = dL/dy * (z > 0)`
# * through `z = x @ kernel + bias`:
#   `dL/dkernel = x.T @ dL/dz` (3, 2), `dL/dbias = sum of dL/dz over the batch` (2,),
#   `dL/dx = dL/dz @ kernel.T` (4, 3).

# %%
dy = y.copy()                                 # dL/dy for L = sum(y**2) / 2
dz = dy * (z > 0)
d_kernel = x.T @ dz
d_bias = dz.sum(axis=0)
dx = dz @ kernel.T

dx_layer = layer.backward(dy)                 # the layer stores dL/dweights in layer.grads
print("dL/dkernel equal:", np.allclose(d_kernel, layer.grads[0]))
print("dL/dbias   equal:", np.allclose(d_bias, layer.grads[1]))
print("dL/dx      equal:", np.allclose(dx, dx_layer))

# %% [markdown]
# ## Check with finite differences
#
# Move one kernel entry by `±h` and watch the loss: `(L(w + h) - L(w - h)) / 2h` must be the
# gradient. (float64 copies, so rounding does not hide the answer.)

# %%
def loss_with(kernel_value):
    out = np.maximum(x.astype("float64") @ kernel_value + bias, 0)
    return 0.5 * np.sum(out ** 2)


h = 1e-6
i, j = 1, 0
k_plus, k_minus = kernel.astype("float64"), kernel.astype("float64")
k_plus[i, j] += h
k_minus[i, j] -= h
numeric = (loss_with(k_plus) - loss_with(k_minus)) / (2 * h)
print(f"dL/dkernel[{i},{j}]: analytic {d_kernel[i, j]:.6f}, numeric {numeric:.6f}")

# %% [markdown]
# ## Picture: the loss along one weight
#
# The loss as a function of `kernel[1, 0]`, and the tangent line whose slope is the gradient.

# %%
import matplotlib.pyplot as plt

values = kernel[i, j] + np.linspace(-1.0, 1.0, 81)
losses = []
for v in values:
    k = kernel.astype("float64")
    k[i, j] = v
    losses.append(loss_with(k))
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(values, losses, label="L(kernel[1, 0])")
ax.plot(values, loss_with(kernel.astype("float64")) + d_kernel[i, j] * (values - kernel[i, j]), "--",
        label="tangent: slope = dL/dkernel[1, 0]")
ax.axvline(kernel[i, j], color="grey", lw=0.5)
ax.set_xlabel("kernel[1, 0]")
ax.set_ylabel("loss")
ax.legend()
fig.tight_layout()
path = os.path.join(OUT, "01_loss_along_one_weight.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
