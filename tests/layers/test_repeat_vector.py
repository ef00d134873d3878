"""RepeatVector and a
small encoder-decoder that learns through Sequential, with predict_classes."""
import numpy as np

from minikeras import backend
from minikeras.layers import LSTM, Activation, Dense, RepeatVector, TimeDistributed
from minikeras.models import Sequential
from minikeras.optimizers import Adam


def test_repeat_vector_forward_backward_and_config():
    layer = RepeatVector(3)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = layer(x)
    assert y.shape == (2, 3, 2) and layer.output_shape == (None, 3, 2)
    np.testing.assert_array_equal(y[:, 2], x)
    g = np.arange(12.0).reshape(2, 3, 2)
    np.testing.assert_array_equal(layer.backward(g), g.sum(axis=1))
    assert layer.get_config()["n"] == 3


def test_encoder_decoder_learns_to_reverse_three_symbols():
    backend.clear_session()
    backend.set_seed(0)
    gen = np.random.default_rng(0)
    ids = gen.integers(0, 4, size=(512, 3))
    x = np.eye(4, dtype="float32")[ids]                                # (512, 3, 4) one-hot
    y = x[:, ::-1]                                                     # the reversed sequence
    model = Sequential([LSTM(24, input_shape=(3, 4)), RepeatVector(3), LSTM(24, return_sequences=True),
                        TimeDistributed(Dense(4)), Activation("softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=Adam(0.02), metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=12, verbose=0)
    assert history.history["accuracy"][-1] > 0.9 > history.history["accuracy"][0]
    classes = model.predict_classes(x[:50])
    assert classes.shape == (50, 3)
    assert np.mean(classes == ids[:50, ::-1]) > 0.9
