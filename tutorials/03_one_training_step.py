# %% [markdown]
# # 03 · One training step, by hand and with `train_on_batch`
#
# One step of training is: forward pass, loss, backward pass, optimizer update. This
# tutorial does one step of plain gradient descent by hand, checks that
# `model.train_on_batch` does exactly the same, then lets four optimizers train the same model
# from the same starting weights.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras.datasets import digits
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD, Adam, RMSprop

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

# %% [markdown]
# ## The data: digits
#
# `minikeras.datasets.digits` draws MNIST-shaped images of handwritten-looking digits on your
# machine (no download). Each 28×28 image becomes 784 numbers in 0..1; each label a one-hot
# row of 10.

# %%
(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=1000, test_size=200)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
print("x_train", x_train.shape, "y_train", y_train.shape)

# %% [markdown]
# ## One step by hand
#
# The model is one softmax layer: `p = softmax(x @ W + b)`. For a batch of `B` rows:
#
# 1. forward: logits `z = x @ W + b`, probabilities `p`;
# 2. loss: the mean crossentropy `-mean(log p[true class])`;
# 3. backward: `dL/dz = (p - y) / B`, `dL/dW = x.T @ dL/dz`, `dL/db = sum of dL/dz`;
# 4. update (SGD): `W -= lr * dL/dW`, `b -= lr * dL/db`.

# %%
model = Sequential([Dense(10, input_dim=784, activation="softmax")])
model.compile(optimizer=SGD(learning_rate=0.5), loss="categorical_crossentropy")
W, b = model.get_weights()
x, y = x_train[:32], y_train[:32]

z = x @ W + b
p = np.exp(z - z.max(axis=1, keepdims=True))
p /= p.sum(axis=1, keepdims=True)
loss = -np.mean(np.sum(y * np.log(p), axis=1))
dz = (p - y) / len(x)
W_new = W - 0.5 * (x.T @ dz)
b_new = b - 0.5 * dz.sum(axis=0)

reported = model.train_on_batch(x, y)     # the loss of the batch, computed before the update
W_model, b_model = model.get_weights()
print(f"loss by hand {loss:.6f}, train_on_batch {reported:.6f}")
print("weights after the step equal:", np.allclose(W_new, W_model, atol=1e-6), np.allclose(b_new, b_model, atol=1e-6))

# %% [markdown]
# ## Four optimizers, same start
#
# `get_weights`/`set_weights` let every optimizer start from the same weights. Each trains
# for a few epochs; `History` keeps the epoch losses.

# %%
start = model.get_weights()
optimizers = {"SGD(0.1)": SGD(learning_rate=0.1),
              "SGD(0.1, momentum=0.9)": SGD(learning_rate=0.1, momentum=0.9),
              "RMSprop(0.001)": RMSprop(learning_rate=0.001),
              "Adam(0.001)": Adam(learning_rate=0.001)}
histories = {}
for name, optimizer in optimizers.items():
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    model.set_weights(start)
    histories[name] = model.fit(x_train, y_train, batch_size=32, epochs=6, verbose=0,
                                validation_data=(x_test, y_test))
    h = histories[name].history
    print(f"{name:<24} loss {h['loss'][0]:.3f} -> {h['loss'][-1]:.3f}   val_accuracy {h['val_accuracy'][-1]:.3f}")

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(5.5, 3.5))
for name, history in histories.items():
    ax.plot([e + 1 for e in history.epoch], history.history["loss"], marker="o", label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.legend()
fig.tight_layout()
path = os.path.join(OUT, "03_optimizers.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
