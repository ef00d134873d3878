# %% [markdown]
# # 05 · Every hook, in order, with its logs
#
# Callbacks are objects whose methods (*hooks*) `fit`, `evaluate` and `predict` call at fixed
# points. This tutorial records every hook call of a small run, counts them, prints what
# `logs` holds at each kind of hook, shows the callback list `fit` builds, and what happens
# when a callback stops training in the middle of an epoch.

# %%
import os
from collections import Counter

import numpy as np

import minikeras as keras
from minikeras.callbacks import Callback, CallbackList
from minikeras.datasets import digits
from minikeras.layers import Dense
from minikeras.models import Sequential

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

(x, labels), (x_val, labels_val) = digits.load_data(train_size=100, test_size=40)
x, x_val = x.reshape(-1, 784).astype("float32") / 255, x_val.reshape(-1, 784).astype("float32") / 255
y, y_val = keras.utils.to_categorical(labels, 10), keras.utils.to_categorical(labels_val, 10)

# %% [markdown]
# ## A recorder
#
# Instead of writing 14 methods, build the class from the list of hook names: each method
# appends `(hook, index, logs keys)` to a list.

# %%
HOOKS = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
         "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
         "on_predict_batch_begin", "on_predict_batch_end"]


def make_hook(name):
    def hook(self, *args):
        logs = args[-1] or {}
        index = args[0] if len(args) == 2 else None
        self.calls.append((name, index, tuple(logs)))
    return hook


Recorder = type("Recorder", (Callback,), {name: make_hook(name) for name in HOOKS})
recorder = Recorder()
recorder.calls = []

model = Sequential([Dense(16, input_dim=784, activation="relu"), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=40, epochs=2, verbose=0, validation_data=(x_val, y_val), callbacks=[recorder])

# %% [markdown]
# 100 rows in batches of 40 make 3 batches per epoch (40, 40, 20); 40 validation rows make
# one validation batch. The first epoch, call by call:

# %%
for name, index, keys in recorder.calls[:14]:
    print(f"{name:<22} {'' if index is None else index!s:<2} {list(keys)}")

# %% [markdown]
# How often each hook fired in the 2 epochs:

# %%
for name, count in Counter(name for name, _, _ in recorder.calls).items():
    print(f"{name:<22} {count}")

# %% [markdown]
# ## evaluate and predict
#
# `evaluate` calls the test hooks; `predict` the predict hooks, whose batch-end logs carry
# the batch's `outputs`.

# %%
recorder.calls = []
model.evaluate(x_val, y_val, batch_size=20, verbose=0, callbacks=[recorder])
model.predict(x_val, batch_size=20, callbacks=[recorder])
for name, index, keys in recorder.calls:
    print(f"{name:<24} {'' if index is None else index!s:<2} {list(keys)}")

# %% [markdown]
# ## The callback list `fit` builds
#
# `fit` wraps your callbacks in a `CallbackList`: `BaseLogger` first, yours, then `History`
# and, when `verbose` is not 0, `ProgbarLogger`. Building one the way `fit` does shows it:

# %%
built = CallbackList([recorder], add_history=True, add_progbar=True, model=model, verbose=1, epochs=2, steps=3)
print([type(cb).__name__ for cb in built])

# %% [markdown]
# ## Stopping in the middle of an epoch
#
# A callback sets `model.stop_training = True` after batch 1 of epoch 0. The batch loop ends,
# but validation and `on_epoch_end` still happen, and `on_train_end` ends the run.

# %%
class StopAfterBatch1(Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 1:
            self.model.stop_training = True


recorder.calls = []
history = model.fit(x, y, batch_size=40, epochs=5, verbose=0, validation_data=(x_val, y_val),
                    callbacks=[StopAfterBatch1(), recorder])
print([name for name, _, _ in recorder.calls if "batch" not in name or "train" in name])
print("epochs recorded:", history.epoch, "keys:", list(history.history))

# %% [markdown]
# ## Picture: the hook timeline
#
# Each dot is one hook call of the first run (2 epochs), in order.

# %%
import matplotlib.pyplot as plt

recorder.calls = []
model.fit(x, y, batch_size=40, epochs=2, verbose=0, validation_data=(x_val, y_val), callbacks=[recorder])
names = [n for n in HOOKS if any(c[0] == n for c in recorder.calls)]
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.scatter(range(len(recorder.calls)), [names.index(c[0]) for c in recorder.calls], s=18)
ax.set_yticks(range(len(names)), names)
ax.set_xlabel("call number")
ax.grid(alpha=0.3)
fig.tight_layout()
path = os.path.join(OUT, "05_hook_timeline.png")
fig.savefig(path)
plt.close(fig)
print("saved", path)
