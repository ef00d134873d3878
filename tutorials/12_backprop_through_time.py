# %% [markdown]
# # 12 · Backpropagation through time
#
# A recurrent layer runs one cell over the steps of a sequence, carrying a state. Its gradient
# is the same loop run backwards: at every step the gradient reaching the state is what the
# step's output received plus what the next step sent back. This tutorial checks minikeras's
# backward loop against finite differences, watches gradients fade over the steps (and why LSTM
# fades less), shows that `stateful=True` is *truncated* BPTT, and trains an LSTM on a task
# that needs memory over 15 and over 40 steps.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import minikeras as keras
from minikeras.layers import GRU, LSTM, Dense, SimpleRNN
from minikeras.models import Sequential

OUT = os.environ.get("MINIKERAS_TUTORIAL_OUT", "tutorial_output")   # where the plots go
os.makedirs(OUT, exist_ok=True)
keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The backward loop equals finite differences
#
# In float64, central differences `(L(w + ε) - L(w - ε)) / 2ε` are accurate to about 1e-9. For
# `L = sum(outputs * r)` with a random `r`, `layer.backward(r)` must give the same numbers, for
# the inputs and for every weight.

# %%
keras.backend.set_floatx("float64")
x = np.random.default_rng(0).normal(size=(2, 6, 3))               # (B, T, D)
lstm = LSTM(4, return_sequences=True)
out = lstm(x)                                                       # (B, T, u)
r = np.random.default_rng(1).normal(size=out.shape)


def loss():
    return float(np.sum(lstm.call(x) * r))


def numeric(array, eps=1e-6):
    grad = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        old = array[i]
        array[i] = old + eps
        up = loss()
        array[i] = old - eps
        down = loss()
        array[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


lstm.call(x)
dx = lstm.backward(r)
print("dL/dx equals finite differences:", np.allclose(dx, numeric(x), rtol=1e-6, atol=1e-9))
for name, w, g in zip(lstm.weight_names, lstm.trainable_weights, lstm.grads):
    print(f"{name} equals finite differences:", np.allclose(g, numeric(w), rtol=1e-6, atol=1e-9))
keras.backend.set_floatx("float32")

# %% [markdown]
# ## 2. Gradients fade over the steps
#
# Only the last output counts here; `|dL/dx_t|` shows how much step `t` can learn. Each step
# back multiplies the gradient by `Uᵀ` and the activation's slope. The LSTM's cell state is a
# sum through the forget gate (biased to 1 at the start), so its gradient fades more slowly
# than SimpleRNN's. The GRU's update gate starts at 0.5, which halves the carried gradient per
# step until training changes it.

# %%
keras.utils.set_random_seed(0)
steps = 50
x = np.random.default_rng(2).normal(size=(16, steps, 3)).astype("float32")
norms = {}
for layer in (SimpleRNN(16), LSTM(16), GRU(16)):
    y = layer(x)                                                    # (16, 16): the last output
    dx = layer.backward(np.ones_like(y))                            # (16, T, 3)
    norms[type(layer).__name__] = np.linalg.norm(dx, axis=(0, 2))
    n = norms[type(layer).__name__]
    print(f"{type(layer).__name__:9s} |dL/dx_t| at t=0, 25, 49: {n[0]:.4g}, {n[25]:.4g}, {n[49]:.4g}")
print("LSTM keeps more gradient at t=0 than SimpleRNN:", bool(norms["LSTM"][0] > norms["SimpleRNN"][0]))

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, n in norms.items():
    ax.semilogy(np.arange(steps), n, label=name)
ax.set_xlabel("time step t")
ax.set_ylabel("|dL/dx_t|")
ax.set_title("Gradient reaching each step (only the last output counts)")
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(OUT, "12_gradient_per_step.png"))
plt.close(fig)

# %% [markdown]
# ## 3. `stateful=True` is truncated BPTT
#
# A stateful layer starts each batch from the previous batch's final state. Feeding a long
# sequence in chunks gives the same outputs as one long pass, but the backward loop stops at
# the start of each chunk: gradients never cross a chunk boundary. That is *truncated*
# backpropagation through time, the way to train on sequences too long for one pass.

# %%
keras.utils.set_random_seed(0)
long = np.random.default_rng(3).normal(size=(2, 12, 3)).astype("float32")
whole = LSTM(5, return_sequences=True)
whole.build_from_shape((None, 12, 3))
chunked = LSTM(5, return_sequences=True, stateful=True, batch_input_shape=(2, 4, 3))
chunked.build_from_shape((2, 4, 3))
chunked.set_weights(whole.get_weights())
pieces = [chunked(long[:, i:i + 4]) for i in (0, 4, 8)]
print("three stateful chunks equal one pass:", np.allclose(np.concatenate(pieces, axis=1), whole(long), atol=1e-6))
dx_last_chunk = chunked.backward(np.ones((2, 4, 5), "float32"))
print("the last chunk's backward reaches", dx_last_chunk.shape[1], "steps, not 12")
chunked.reset_states()
print("after reset_states the state is zero:", float(np.abs(chunked.states[0]).max()))

# %% [markdown]
# ## 4. A task that needs memory
#
# Each sequence holds random numbers; the target is the sign of the *first* one, seen
# `T - 1` steps before the answer is due. The gradient that teaches the layer to keep it has
# to travel back through every step, and section 2 showed how much of it is left after 40.

# %%
def memory_task(samples, steps, seed):
    x = np.random.default_rng(seed).normal(size=(samples, steps, 1)).astype("float32")
    return x, (x[:, 0, 0] > 0).astype("float32").reshape(-1, 1)


accuracy = {}
for steps in (15, 40):
    x_train, y_train = memory_task(1024, steps, 4)
    x_test, y_test = memory_task(256, steps, 5)
    keras.utils.set_random_seed(0)
    model = Sequential([LSTM(16, input_shape=(steps, 1)), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.01), metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=8, verbose=0, shuffle=False)
    accuracy[steps] = model.evaluate(x_test, y_test, verbose=0)[1]
    # one decimal: after 8 epochs of training the last digits depend on the CPU's BLAS kernel
    print(f"LSTM, first value seen {steps - 1} steps before the end: test accuracy {accuracy[steps]:.1f}")
print("learned at 15 steps, still guessing at 40 (after 8 epochs):", accuracy[15] > 0.9 and accuracy[40] < 0.7)
