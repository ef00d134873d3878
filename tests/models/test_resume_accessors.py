"""The public names callbacks use to change training (issue 15): ``model.resume_point``,
``model.running_means_state()`` / ``set_running_means_state()`` and a seeded layer's ``rng``."""
import numpy as np
import pytest

from minikeras.callbacks import Callback
from minikeras.layers import Dense, Dropout, GaussianNoise
from minikeras.models import Sequential

X = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
Y = X.sum(axis=1, keepdims=True)


def model():
    m = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones")])
    m.compile("sgd", "mse")
    return m


class ResumeAt(Callback):
    """Sets the resume point in on_train_begin (as BackupAndRestore does) and records the batches run."""

    def __init__(self, point):
        super().__init__()
        self.point, self.batches = point, []

    def on_train_begin(self, logs=None):
        self.model.resume_point = self.point

    def on_train_batch_begin(self, batch, logs=None):
        self.batches.append((self.epoch, batch))

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch


def test_resume_point_moves_the_start_of_fit_and_is_cleared():
    m = model()
    assert m.resume_point is None
    cb = ResumeAt((1, 2))
    history = m.fit(X, Y, batch_size=2, epochs=3, shuffle=False, verbose=0, callbacks=[cb])
    assert cb.batches == [(1, 2), (1, 3)] + [(2, b) for b in range(4)]   # epoch 1 from batch 2, then epoch 2
    assert history.epoch == [1, 2] and m.resume_point is None
    with pytest.raises(ValueError, match=r"resume_point must be None or \(epoch, step\)"):
        m.resume_point = (1, -1)


def test_running_means_state_round_trips_and_continues_the_epoch_mean():
    m = model()
    m.train_on_batch(X[:4], Y[:4])
    state = m.running_means_state()
    assert state["loss"][1] == 4
    state["loss"][0] += 1.0                           # a copy: changing it changes nothing
    assert m.running_means_state()["loss"][0] == pytest.approx(state["loss"][0] - 1.0)
    m.reset_metrics()
    m.set_running_means_state({"loss": [8.0, 4]})     # 4 samples of mean loss 2 so far
    logs = m.test_on_batch(X[:4], Y[:4] + 1, reset_metrics=False, return_dict=True)
    expected = (8.0 + 4 * np.mean((X[:4].sum(axis=1) - Y[:4, 0] - 1) ** 2)) / 8   # Dense is x @ ones (+ 0)
    assert logs["loss"] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("layer", [Dropout(0.5, seed=4), GaussianNoise(1.0, seed=4)])
def test_a_seeded_layer_exposes_its_generator(layer):
    assert layer.rng is None                          # made at the first training call
    x = np.ones((3, 5), dtype="float32")
    first = layer(x, training=True)
    state = layer.rng.bit_generator.state
    second = layer(x, training=True)
    layer.rng.bit_generator.state = state             # what BackupAndRestore puts back
    np.testing.assert_array_equal(layer(x, training=True), second)
    assert not np.array_equal(first, second)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        layer.rng = 3
    assert Dropout(0.5).rng is None                   # unseeded: draws from backend.rng()
