"""compile() fixes which layers train (minikeras/models/trainable_state.py), as in Keras 2 and tf_keras.

Expected values recorded from tf_keras 2.21 with the same scripts (Keras 2's FAQ on freezing layers).
"""
import numpy as np
import pytest

from minikeras.callbacks import LambdaCallback
from minikeras.layers import Dense, Input
from minikeras.models import Model, Sequential

X = np.ones((8, 4), "float32")
Y = np.zeros((8, 4), "float32")


def changed(layer, before):
    return not np.allclose(before, layer.get_weights()[0])


def test_the_faq_frozen_and_trainable_models_share_a_layer():
    x = Input((4,))
    layer = Dense(4)
    layer.trainable = False
    y = layer(x)
    frozen = Model(x, y)
    frozen.compile("rmsprop", "mse")
    layer.trainable = True
    trainable = Model(x, y)
    trainable.compile("rmsprop", "mse")

    w0 = layer.get_weights()[0].copy()
    frozen.fit(X, Y, verbose=0)
    assert not changed(layer, w0) and layer.trainable            # tf_keras: False, True
    frozen.train_on_batch(X, Y)
    assert not changed(layer, w0)                                 # tf_keras: False
    trainable.fit(X, Y, verbose=0)
    assert changed(layer, w0)                                     # tf_keras: True

    w1 = layer.get_weights()[0].copy()                            # frozen after compile, not recompiled:
    layer.trainable = False                                       # the compiled state still trains it
    trainable.fit(X, Y, verbose=0)
    assert changed(layer, w1) and not layer.trainable             # tf_keras: True, False
    assert trainable.trainable_weights == []


def test_a_frozen_base_model_needs_a_new_compile_to_train():
    base = Sequential([Dense(4, input_shape=(4,), name="base_dense")], name="base")
    base.trainable = False
    model = Sequential([base, Dense(4, name="head")])
    model.compile("sgd", "mse")
    inner = base.layers[0]
    w0 = inner.get_weights()[0].copy()
    base.trainable = True                                         # the transfer-learning step, without compile
    model.fit(X, Y, epochs=2, verbose=0)
    assert not changed(inner, w0) and base.trainable and inner.trainable
    model.compile("sgd", "mse")                                   # now it trains
    model.fit(X, Y, epochs=2, verbose=0)
    assert changed(inner, w0)


def test_the_flags_come_back_when_fit_fails():
    x = Input((4,))
    layer = Dense(4, trainable=False)
    model = Model(x, layer(x))
    model.compile("sgd", "mse")
    layer.trainable = True
    seen = []
    stop = LambdaCallback(on_train_begin=lambda logs: seen.append(layer.trainable) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        model.fit(X, Y, verbose=0, callbacks=[stop])                 # fails inside the block
    assert seen == [False] and layer.trainable


def test_the_layer_inside_a_wrapper_keeps_its_compile_time_flag():
    from minikeras.layers import TimeDistributed
    x = Input((3, 4))
    td = TimeDistributed(Dense(4))
    model = Model(x, td(x))
    td.layer.trainable = False
    model.compile("sgd", "mse")
    td.layer.trainable = True                                     # not recompiled: stays frozen in fit
    w0 = td.layer.get_weights()[0].copy()
    model.fit(np.ones((4, 3, 4), "float32"), np.zeros((4, 3, 4), "float32"), verbose=0)
    assert not changed(td.layer, w0) and td.layer.trainable
