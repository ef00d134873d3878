# %% [markdown]
# # 08 · Every callback in one training run
#
# All of Keras 2's callbacks at once, on one model: the three that `fit` adds itself
# (`BaseLogger`, `History`, `ProgbarLogger`) and the nine you add. After the run, each one's
# work is inspected: the files it wrote, the learning rates it set, the requests it sent.
#
# Everything is written into the output folder (`tutorial_output`, or `$MINIKERAS_TUTORIAL_OUT`); `RemoteMonitor` posts to a small HTTP server started by this script on
# `127.0.0.1`, so nothing leaves your machine.

# %%
import http.server
import json
import os
import tempfile
import threading

import numpy as np

import minikeras as keras
from minikeras.callbacks import (CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler,
                                 ModelCheckpoint, ReduceLROnPlateau, RemoteMonitor, TensorBoard,
                                 TerminateOnNaN)
from minikeras.datasets import digits
from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential, load_model
from minikeras.utils.plot import plot_history

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
RUN = tempfile.mkdtemp(prefix="08_every_callback-", dir=OUT)   # this run's files
keras.utils.set_random_seed(0)

(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=1000, test_size=300)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

# %% [markdown]
# ## A local server for RemoteMonitor
#
# `RemoteMonitor` POSTs every epoch's logs to `root + path`. This server keeps the bodies.

# %%
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):  # keep the console quiet
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
root = f"http://127.0.0.1:{server.server_port}"

# %% [markdown]
# ## The callbacks
#
# In the order they run at each epoch end (after `BaseLogger`, before `History` and the
# progress bar):

# %%
callbacks = [
    TerminateOnNaN(),                                            # stop if the loss is NaN/inf
    LearningRateScheduler(lambda epoch, lr: lr * 0.9),           # decay the rate by 10% per epoch
    ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, verbose=1),  # halve it on a plateau
    EarlyStopping(monitor="val_loss", min_delta=0.005, patience=2, restore_best_weights=True,
                  verbose=1),
    ModelCheckpoint(os.path.join(RUN, "best.h5"), monitor="val_loss", save_best_only=True),
    CSVLogger(os.path.join(RUN, "training.csv")),
    TensorBoard(log_dir=os.path.join(RUN, "tensorboard")),
    RemoteMonitor(root=root, send_as_json=True),
    LambdaCallback(on_train_end=lambda logs: print("LambdaCallback: training ended with", sorted(logs))),
]

model = Sequential([Dense(128, input_dim=784, activation="relu"), Dropout(0.2),
                    Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=50, epochs=20, verbose=2, validation_data=(x_test, y_test),
                    callbacks=callbacks)

# %% [markdown]
# ## What each callback did
#
# **History** (added by `fit`): every epoch's logs, including the `lr` that the learning-rate
# callbacks wrote into them.

# %%
print("epochs run:", len(history.epoch), "of 20")
print("lr per epoch:", [float(f"{lr:.3g}") for lr in history.history["lr"]])
print("val_loss:    ", [round(v, 3) for v in history.history["val_loss"]])

# %% [markdown]
# **EarlyStopping** stopped training when `val_loss` had not improved by at least `min_delta`
# for `patience` epochs, and restored the weights of its best epoch. **ModelCheckpoint** saved
# the model each time `val_loss` improved at all (it has no `min_delta`), so `best.h5` may
# hold a later epoch than the one EarlyStopping restored.

# %%
early_stopping = callbacks[3]
stopped = early_stopping.stopped_epoch + 1 if early_stopping.stopped_epoch else "never"
print("stopped at epoch:", stopped, "| best epoch:", early_stopping.best_epoch + 1)
print("model in memory, val_loss:", round(model.evaluate(x_test, y_test, verbose=0)[0], 4))
reloaded = load_model(os.path.join(RUN, "best.h5"))
print("best.h5 reloaded, val_loss:", round(reloaded.evaluate(x_test, y_test, verbose=0)[0], 4))

# %% [markdown]
# **CSVLogger**: one row per epoch.

# %%
with open(os.path.join(RUN, "training.csv")) as f:
    rows = f.read().splitlines()
print("\n".join(rows[:3]))
print("...", len(rows) - 1, "rows")

# %% [markdown]
# **TensorBoard**: event files under `train/` and `validation/` (open them with
# `tensorboard --logdir <folder>`).

# %%
for folder, _, files in sorted(os.walk(os.path.join(RUN, "tensorboard"))):
    for name in files:
        print(os.path.relpath(os.path.join(folder, name), RUN), os.path.getsize(os.path.join(folder, name)), "bytes")

# %% [markdown]
# **RemoteMonitor**: one JSON body per epoch reached the server.

# %%
server.shutdown()
print(len(received), "requests; the first:", json.loads(received[0]))

# %% [markdown]
# ## The learning curves, with the learning rate

# %%
path = os.path.join(OUT, "08_every_callback.png")
plot_history(history, metrics=["loss", "accuracy", "lr"], filename=path)
print("saved", path)
