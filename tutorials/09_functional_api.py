# %% [markdown]
# # 09 · The functional API: a graph of layers, forwards and backwards
#
# A `Sequential` model is a line. With the functional API a model is any graph of layers:
# here, one network reads a digit image **and** a second input, and answers two questions at
# once — which digit it is, and whether it is larger than 4. We build the graph from symbolic
# tensors, look at its nodes, check its backward pass against finite differences, train it with
# two losses, and read an inner layer's activations.

# %%
import os

import numpy as np

import minikeras as keras
from minikeras.datasets import digits
from minikeras.layers import Dense, Input, add, concatenate
from minikeras.models import Model
from minikeras.utils.plot import plot_history

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

(x_train, y_train), (x_test, y_test) = digits.load_data(train_size=600, test_size=200)
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
# the second input: the digit's row and column sums, a crude "shape" summary (56 numbers)
shape_train = np.concatenate([x_train.reshape(-1, 28, 28).sum(1), x_train.reshape(-1, 28, 28).sum(2)], 1) / 28
shape_test = np.concatenate([x_test.reshape(-1, 28, 28).sum(1), x_test.reshape(-1, 28, 28).sum(2)], 1) / 28
big_train, big_test = (y_train > 4).astype("float32"), (y_test > 4).astype("float32")

# %% [markdown]
# ## Build the graph from Keras tensors
#
# `Input` returns a *Keras tensor*: a shape whose batch size is `None`, and no numbers. Calling a
# layer on it builds the layer's weights and records a **node** — this call's inputs and
# outputs. `encode` is called on both inputs' projections: it is *shared*, one set of weights
# with two nodes.

# %%
pixels = Input(shape=(784,), name="pixels")
shape = Input(shape=(56,), name="shape")
encode = Dense(32, activation="relu", name="encode")
h_pixels = encode(Dense(32, name="from_pixels")(pixels))
h_shape = encode(Dense(32, name="from_shape")(shape))
joined = concatenate([add([h_pixels, h_shape], name="sum"), h_pixels], name="joined")
digit = Dense(10, activation="softmax", name="digit")(joined)
big = Dense(1, activation="sigmoid", name="big")(joined)
model = Model(inputs=[pixels, shape], outputs=[digit, big], name="two_questions")

print("pixels:", pixels)
print("encode was called", len(encode.inbound_nodes), "times; second call:", encode.get_output_at(1))
print("layers:", [layer.name for layer in model.layers])
model.summary()

# %% [markdown]
# ## The backward pass of the whole graph
#
# Backward runs the nodes in reverse order. A tensor read twice (`h_pixels` feeds `sum` and
# `joined`) gets the **sum** of both gradients, and `encode` gets the sum of its weight
# gradients over its two calls. Check its largest gradient against a finite difference of
# `L = sum(digit * g1) + sum(big * g2)`.

# %%
rng = np.random.default_rng(0)
xs = [x_train[:4], shape_train[:4].astype("float32")]
g1, g2 = rng.normal(size=(4, 10)).astype("float32"), rng.normal(size=(4, 1)).astype("float32")


def objective():
    d, b = model(xs)
    return float(np.sum(d.astype("float64") * g1) + np.sum(b.astype("float64") * g2))


objective()
model.backward([g1, g2])
kernel = encode.kernel
index = [w is kernel for w in model.trainable_weights].index(True)  # where encode/kernel sits in the model
i, j = np.unravel_index(np.argmax(np.abs(model.grads[index])), kernel.shape)  # its largest entry
analytic = model.grads[index][i, j]
eps = 1e-2
kernel[i, j] += eps
up = objective()
kernel[i, j] -= 2 * eps
down = objective()
kernel[i, j] += eps
print(f"d L / d encode.kernel[{i},{j}]: backward {analytic:.4g}, finite difference {(up - down) / (2 * eps):.4g}")

# %% [markdown]
# ## Train with two losses
#
# The total loss is `sum(loss_weight * output_loss)`; the logs name each output's loss and
# metrics after the output layer, exactly as Keras does.

# %%
model.compile(optimizer="adam", loss={"digit": "sparse_categorical_crossentropy", "big": "binary_crossentropy"},
              loss_weights={"digit": 1.0, "big": 0.5}, metrics={"digit": "accuracy", "big": "accuracy"})
history = model.fit({"pixels": x_train, "shape": shape_train}, {"digit": y_train, "big": big_train},
                    validation_data=([x_test, shape_test], [y_test, big_test]), epochs=8, batch_size=32, verbose=0)
print("history keys:", list(history.history))
for key in ("loss", "digit_loss", "big_loss", "val_digit_accuracy", "val_big_accuracy"):
    print(f"{key:20s} first {history.history[key][0]:.4g}  last {history.history[key][-1]:.4g}")
plot_history(history, metrics=["digit_loss", "big_loss", "digit_accuracy"],
             filename=os.path.join(OUT, "09_two_outputs.png"))

# %% [markdown]
# ## Read an inner layer (the Keras FAQ recipe)
#
# A new `Model` from the same inputs to an inner tensor reuses the trained layers.

# %%
extractor = Model(inputs=model.inputs, outputs=model.get_layer("joined").output)
features = extractor.predict([x_test[:3], shape_test[:3]])


def dense(name, x):
    kernel, bias = model.get_layer(name).get_weights()
    return x @ kernel + bias


h_p = np.maximum(dense("encode", dense("from_pixels", x_test[:3])), 0)   # encode, first call
h_s = np.maximum(dense("encode", dense("from_shape", shape_test[:3])), 0)  # encode, second call
print("inner features:", features.shape, "equal to NumPy by hand:",
      np.allclose(features, np.concatenate([h_p + h_s, h_p], axis=1), atol=1e-5))
