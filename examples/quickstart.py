"""minikeras in one minute: learn handwritten digits, watch the progress bar, plot the curves.

Run:  python examples/quickstart.py [PLOT.png]

The digits come from ``minikeras.datasets.digits``: MNIST-shaped images drawn on your machine,
so nothing is downloaded. The learning curves are saved to ``learning_curves.png`` in the
current folder (or to the path given as the first argument); matplotlib draws them
(``pip install matplotlib``; without it the example says so and skips the plot).
"""
import sys

import minikeras as keras
from minikeras.datasets import digits
from minikeras.layers import Activation, Dense
from minikeras.models import Sequential

keras.utils.set_random_seed(0)                                   # the same run every time

# ---- 1. a small network learns the digits (the README's first example)
(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=10000, test_size=2000)
x_train = x_train.reshape(-1, 784).astype("float32") / 255     # 28x28 pixels -> 784 inputs in 0..1
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)               # 3 -> [0,0,0,1,0,0,0,0,0,0]
y_test = keras.utils.to_categorical(y_test, 10)

model = Sequential([Dense(64, input_dim=784, activation="relu"),
                    Dense(10, activation="softmax")])
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)

loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.1%}")


# ---- 2. a callback of your own: the loss of every batch (the Keras 2 callbacks guide's example)
class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs={}):
        self.losses = []

    def on_batch_end(self, batch, logs={}):
        self.losses.append(logs.get('loss'))


softmax = Sequential()
softmax.add(Dense(10, input_dim=784, kernel_initializer='uniform'))
softmax.add(Activation('softmax'))
softmax.compile(loss='categorical_crossentropy', optimizer='rmsprop')

losses = LossHistory()
softmax.fit(x_train, y_train, batch_size=128, epochs=3, verbose=0, callbacks=[losses])
print(f"LossHistory kept {len(losses.losses)} batch losses (3 epochs x 79 batches): "
      f"first {losses.losses[0]:.4g}, last {losses.losses[-1]:.4g}")

# ---- 3. the learning curves of part 1
path = sys.argv[1] if len(sys.argv) > 1 else "learning_curves.png"
try:
    keras.utils.plot_history(history, filename=path)
    print(f"learning curves saved to {path}")
except ImportError as error:
    print(f"no plot: {error}")
