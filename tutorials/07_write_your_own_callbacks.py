# %% [markdown]
# # 07 · Write your own callbacks
#
# A callback subclasses `Callback` and overrides the hooks it needs. It reads `logs` and the
# model, and acts through public attributes: `model.stop_training`, `model.optimizer.lr`,
# `model.get_weights()` / `set_weights()`. Four callbacks, from the Keras 2 guide's example to ones you
# would use in a real project.

# %%
import os

import numpy as np

import minikeras as keras
import minikeras.backend as K
from minikeras.callbacks import Callback
from minikeras.datasets import digits
from minikeras.layers import Dense
from minikeras.models import Sequential

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=1000, test_size=300)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)


def new_model():
    model = Sequential([Dense(64, input_dim=784, activation="relu"), Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model

# %% [markdown]
# ## 1. LossHistory (the Keras 2 guide's example)
#
# Keeps `logs['loss']` at every batch end: the running mean of the epoch so far.

# %%
class LossHistory(Callback):
    def on_train_begin(self, logs={}):
        self.losses = []

    def on_batch_end(self, batch, logs={}):
        self.losses.append(logs.get('loss'))

# %% [markdown]
# ## 2. WarmUp: change the learning rate every batch
#
# Raises the learning rate linearly from 0 to `target` over the first `steps` batches, and
# records the rate used by every batch.

# %%
class WarmUp(Callback):
    def __init__(self, target, steps):
        super().__init__()
        self.target, self.steps, self.seen, self.rates = target, steps, 0, []

    def on_train_batch_begin(self, batch, logs=None):
        if self.seen < self.steps:
            self.seen += 1
            K.set_value(self.model.optimizer.lr, self.target * self.seen / self.steps)
        self.rates.append(float(K.get_value(self.model.optimizer.lr)))

# %% [markdown]
# ## 3. StopAtTarget: stop when good enough
#
# Stops at the end of the first epoch where the monitored value reaches the target.

# %%
class StopAtTarget(Callback):
    def __init__(self, target, monitor="val_accuracy"):
        super().__init__()
        self.target, self.monitor = target, monitor

    def on_epoch_end(self, epoch, logs=None):
        if logs.get(self.monitor, -np.inf) >= self.target:
            print(f"epoch {epoch + 1}: {self.monitor} {logs[self.monitor]:.4f} >= {self.target}, stopping")
            self.model.stop_training = True

# %% [markdown]
# ## 4. KeepBest: remember the best weights, restore them at the end
#
# What `EarlyStopping(restore_best_weights=True)` does, in ten lines.

# %%
class KeepBest(Callback):
    def __init__(self, monitor="val_loss"):
        super().__init__()
        self.monitor = monitor

    def on_train_begin(self, logs=None):
        self.best, self.best_epoch, self.weights = np.inf, None, None

    def on_epoch_end(self, epoch, logs=None):
        if logs[self.monitor] < self.best:
            self.best, self.best_epoch, self.weights = logs[self.monitor], epoch, self.model.get_weights()

    def on_train_end(self, logs=None):
        print(f"restoring the weights of epoch {self.best_epoch + 1} ({self.monitor} {self.best:.4f})")
        self.model.set_weights(self.weights)

# %% [markdown]
# ## Three of them in one run

# %%
losses, warmup = LossHistory(), WarmUp(target=0.005, steps=60)
model = new_model()
history = model.fit(x_train, y_train, batch_size=50, epochs=30, verbose=0, validation_data=(x_test, y_test),
                    callbacks=[losses, warmup, StopAtTarget(0.85)])
print("epochs run:", len(history.epoch), "| batches seen:", len(losses.losses))
print("learning rate at batches 1, 30, 60, 61:", [round(warmup.rates[i], 5) for i in (0, 29, 59, 60)])

# %% [markdown]
# ## KeepBest on a model that overfits
#
# A bigger network trained on only 300 images with a fast learning rate: its validation loss
# bottoms out and then creeps up; `KeepBest` hands back the weights of the best epoch.

# %%
keep = KeepBest()
model = Sequential([Dense(128, input_dim=784, activation="relu"), Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(x_train[:300], y_train[:300], batch_size=32, epochs=20, verbose=0,
                    validation_data=(x_test, y_test), callbacks=[keep])
print("val_loss per epoch:", [round(v, 3) for v in history.history["val_loss"]])
print("val_loss after restoring:", round(model.evaluate(x_test, y_test, verbose=0)[0], 4))

# %% [markdown]
# ## Picture: the batch losses and the warm-up

# %%
import matplotlib.pyplot as plt

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
ax1.plot(np.arange(1, len(losses.losses) + 1), losses.losses)
ax1.set_title("LossHistory: logs['loss'] at each batch end")
ax1.set_xlabel("batch")
ax2.plot(np.arange(1, len(warmup.rates) + 1), warmup.rates)
ax2.set_title("WarmUp: learning rate per batch")
ax2.set_xlabel("batch")
fig.tight_layout()
path = os.path.join(OUT, "07_own_callbacks.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
