# %% [markdown]
# # 02 · Softmax and crossentropy: the loss and its gradient
#
# A classifier ends with `Dense(n_classes, activation='softmax')` and is trained with
# `loss='categorical_crossentropy'`. This tutorial computes that loss by hand, its gradient
# with respect to the logits (the famous `p - y`), and shows why Keras computes the loss
# from the logits inside a model: a saturated softmax would otherwise be clipped.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras import losses
from minikeras.layers import Dense
from minikeras.models import Sequential

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

# %% [markdown]
# ## The loss by hand
#
# `softmax(z)_k = exp(z_k) / sum_j exp(z_j)` turns logits into probabilities; the
# crossentropy of a one-hot target `y` is `-sum_k y_k log p_k`, i.e. minus the log of the
# probability given to the true class.

# %%
logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], dtype="float32")
y_true = keras.utils.to_categorical([0, 2], 3)

p = np.exp(logits - logits.max(axis=1, keepdims=True))   # minus the max: no overflow
p /= p.sum(axis=1, keepdims=True)
by_hand = -np.sum(y_true * np.log(p), axis=1)
print("probabilities:\n", p.round(4))
print("loss by hand:     ", by_hand)
print("minikeras losses: ", losses.categorical_crossentropy(y_true, p))

# %% [markdown]
# ## The gradient with respect to the logits is `p - y`
#
# Differentiating `-log softmax(z)_true` gives `p - y`: push the true class's logit up by
# `1 - p_true`, push every other logit down by its probability. Check it numerically:

# %%
def loss_of(z):
    z = z.astype("float64")
    return -np.sum(y_true[0] * (z - np.log(np.sum(np.exp(z)))))


h = 1e-6
numeric = np.array([(loss_of(logits[0] + h * e) - loss_of(logits[0] - h * e)) / (2 * h) for e in np.eye(3)])
print("p - y   :", (p[0] - y_true[0]).round(6))
print("numeric :", numeric.round(6))

# %% [markdown]
# In a model, the loss of a batch is the *mean* over its samples, so each sample's gradient
# is `(p - y) / batch_size`. The last Dense layer receives exactly this (see
# `TrainStep._loss_and_grads` in `minikeras/models/train_step.py`).

# %% [markdown]
# ## Why from the logits: clipping
#
# Given probabilities, Keras clips them to `[1e-7, 1 - 1e-7]` before the log, so the loss can
# never exceed `-log(1e-7) = 16.118`. Inside a model whose output layer is a softmax,
# tf_keras (and minikeras) compute the loss from the logits instead, with no clipping. A
# confidently wrong model (logits 1000 and 0, true class 1) shows the difference:

# %%
model = Sequential([Dense(2, input_dim=1, activation="softmax")])
model.compile(optimizer="sgd", loss="categorical_crossentropy")
model.set_weights([np.array([[1000.0, 0.0]], dtype="float32"), np.zeros(2, dtype="float32")])
x, y = np.ones((1, 1), dtype="float32"), np.array([[0.0, 1.0]], dtype="float32")

probabilities = model.predict(x)
print("predicted probabilities:", probabilities)
print("loss from the clipped probabilities:", losses.categorical_crossentropy(y, probabilities))
print("loss the model reports (from logits):", model.evaluate(x, y, verbose=0))

# %% [markdown]
# ## Picture: loss and gradient as the true class's logit moves
#
# Two classes, the other logit fixed at 0: the loss is `log(1 + exp(-z))`, its slope
# `p - 1` goes from -1 (very wrong) to 0 (very right).

# %%
import matplotlib.pyplot as plt

z = np.linspace(-6, 6, 121)
p_true = 1 / (1 + np.exp(-z))
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(z, np.log1p(np.exp(-z)), label="loss = -log p(true)")
ax.plot(z, p_true - 1, "--", label="dloss/dz = p(true) - 1")
ax.axhline(0, color="grey", lw=0.5)
ax.set_xlabel("logit of the true class (the other logit is 0)")
ax.legend()
fig.tight_layout()
path = os.path.join(OUT, "02_crossentropy_and_gradient.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
