"""keras.utils's other Keras 2 exports: normalize, get_source_inputs, (de)serialize_keras_object, print_summary."""
import numpy as np
import pytest

from minikeras import regularizers, utils
from minikeras.layers import Dense, Input, concatenate
from minikeras.models import Model


def test_normalize_matches_keras_formula():
    x = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -1.0, 2.0]])
    np.testing.assert_allclose(utils.normalize(x), [[0.6, 0.8, 0.0], [0, 0, 0], np.array([1, -1, 2]) / np.sqrt(6)])
    np.testing.assert_allclose(utils.normalize(x, axis=0, order=1)[:, 2], [0.0, 0.0, 1.0])


def test_get_source_inputs_follows_the_graph_back_to_the_inputs():
    a, b, c = Input((2,), name="a"), Input((3,), name="b"), Input((1,), name="unused")
    shared = Dense(2)
    out = Dense(1)(concatenate([shared(a), shared(Dense(2)(concatenate([b, a])))]))
    assert [t.name for t in utils.get_source_inputs(out)] == ["a", "b"]
    assert utils.get_source_inputs(c) == [c]


def test_serialize_and_deserialize_keras_objects():
    config = utils.serialize_keras_object(regularizers.L1L2(l1=0.1, l2=0.2))
    assert config["class_name"] == "L1L2"
    back = utils.deserialize_keras_object(config, module_objects=vars(regularizers))
    assert (back.l1, back.l2) == pytest.approx((0.1, 0.2))

    def halve(x):
        return x / 2
    assert utils.serialize_keras_object(halve) == "halve"
    assert utils.deserialize_keras_object("halve", custom_objects={"halve": halve}) is halve
    with pytest.raises(ValueError, match="Unknown regularizer: 'nope'.*custom_objects"):
        utils.deserialize_keras_object("nope", printable_module_name="regularizer")


def test_print_summary_prints_the_model_table():
    x = Input((3,))
    lines = []
    utils.print_summary(Model(x, Dense(2, name="out")(x)), print_fn=lines.append)
    assert any("out (Dense)" in line for line in lines) and any("Total params: 8" in line for line in lines)
