# %% [markdown]
# # 06 · History and learning curves
#
# `fit` returns a `History`: the logs of every epoch. Plotted, they are the learning curves
# that tell you whether a model is still learning, has converged, or is overfitting. This
# tutorial trains a network that is too large for its small training set, so that the
# training and validation curves part ways, and draws them with
# `minikeras.utils.plot.plot_history`.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras.datasets import digits
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import Adam
from minikeras.utils.plot import plot_history

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=300, test_size=300)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

# %% [markdown]
# ## Train, validating after every epoch
#
# 300 training images for a network with about 100,000 weights: it can memorise them.

# %%
model = Sequential([Dense(128, input_dim=784, activation="relu"),
                    Dense(10, activation="softmax")])
model.compile(optimizer=Adam(learning_rate=0.005), loss="categorical_crossentropy", metrics=["accuracy"])
print("weights:", model.count_params())
history = model.fit(x_train, y_train, batch_size=32, epochs=20, verbose=0, validation_data=(x_test, y_test))

# %% [markdown]
# ## What History holds

# %%
print("epochs:", history.epoch[0], "...", history.epoch[-1])
print("keys:  ", list(history.history))
for key, values in history.history.items():
    best = min(values) if "loss" in key else max(values)
    print(f"{key:<13} first {values[0]:.4f}   last {values[-1]:.4f}   best {best:.4f}")

# %% [markdown]
# The training loss keeps falling to almost 0 and the training accuracy reaches 1, while the
# validation loss stops falling after about ten epochs and creeps back up: from then on the
# model learns the training images rather than digits. That epoch is what `EarlyStopping(restore_best_weights=True)` or
# `ModelCheckpoint(save_best_only=True)` would keep.

# %%
best = int(np.argmin(history.history["val_loss"]))
accuracy = history.history["accuracy"]
print(f"lowest val_loss {history.history['val_loss'][best]:.4f} at epoch {best + 1}; "
      f"training accuracy then {accuracy[best]:.3f}, at the end {accuracy[-1]:.3f}")

# %% [markdown]
# ## The learning curves

# %%
path = os.path.join(OUT, "06_learning_curves.png")
fig = plot_history(history, filename=path, title="300 training images, 784-128-10")
print("panels:", [ax.get_title() for ax in fig.axes])
print("saved", path)
