# %% [markdown]
# # 04 · The fit loop, written out
#
# `model.fit` is two loops around `train_on_batch`, plus bookkeeping: the epoch's running
# mean of the loss, and a validation pass at the end of each epoch. This tutorial writes that
# loop by hand (no callbacks yet), and checks that `fit` produces the very same numbers.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras.datasets import digits
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

(x_train, y_train), (x_val, y_val) = digits.load_data(train_size=1000, test_size=200)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_val = x_val.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_val = keras.utils.to_categorical(y_val, 10)

model = Sequential([Dense(32, input_dim=784, activation="relu"), Dense(10, activation="softmax")])
model.compile(optimizer=SGD(learning_rate=0.1), loss="categorical_crossentropy")
start = model.get_weights()

# %% [markdown]
# ## The loop
#
# For every epoch: walk through the rows in batches (no shuffling here, to compare with
# `fit(shuffle=False)`), train on each batch, and keep the running mean
# `sum(batch loss * batch size) / rows seen`. At the end of the epoch, evaluate on the
# validation rows.

# %%
def fit_by_hand(model, x, y, batch_size, epochs, validation_data):
    history = {"loss": [], "val_loss": []}
    batch_losses, running_means = [], []
    for epoch in range(epochs):
        seen, total = 0, 0.0
        for start_row in range(0, len(x), batch_size):
            x_batch = x[start_row:start_row + batch_size]
            y_batch = y[start_row:start_row + batch_size]
            loss = model.train_on_batch(x_batch, y_batch)   # forward, backward, update
            seen += len(x_batch)
            total += loss * len(x_batch)
            batch_losses.append(loss)
            running_means.append(total / seen)              # what on_batch_end's logs['loss'] holds
        history["loss"].append(total / seen)
        history["val_loss"].append(model.evaluate(*validation_data, batch_size=batch_size, verbose=0))
        print(f"epoch {epoch + 1}: loss {history['loss'][-1]:.4f}, val_loss {history['val_loss'][-1]:.4f}")
    return history, batch_losses, running_means


mine, batch_losses, running_means = fit_by_hand(model, x_train, y_train, batch_size=50, epochs=4,
                                                validation_data=(x_val, y_val))

# %% [markdown]
# ## The same with `fit`
#
# Same starting weights, a fresh optimizer, `shuffle=False`: the History must match.

# %%
model.compile(optimizer=SGD(learning_rate=0.1), loss="categorical_crossentropy")
model.set_weights(start)
history = model.fit(x_train, y_train, batch_size=50, epochs=4, shuffle=False, verbose=0,
                    validation_data=(x_val, y_val))
for key in ("loss", "val_loss"):
    diff = np.max(np.abs(np.array(history.history[key]) - np.array(mine[key])))
    print(f"{key:<8} fit {np.round(history.history[key], 4)}  largest difference {diff:.1e}")

# %% [markdown]
# ## Picture: batch losses and their running mean
#
# Each batch's own loss is noisy; the running mean that `fit` reports smooths it and restarts
# at every epoch (the saw-tooth at each epoch boundary).

# %%
import matplotlib.pyplot as plt

steps = np.arange(1, len(batch_losses) + 1)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(steps, batch_losses, lw=0.8, label="loss of each batch")
ax.plot(steps, running_means, lw=2, label="running mean (logs['loss'])")
for boundary in range(20, len(steps), 20):
    ax.axvline(boundary + 0.5, color="grey", lw=0.5)
ax.set_xlabel("batch (20 per epoch)")
ax.set_ylabel("loss")
ax.legend()
fig.tight_layout()
path = os.path.join(OUT, "04_batch_loss_and_running_mean.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
