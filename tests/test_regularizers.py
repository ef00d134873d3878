"""Tests for minikeras.regularizers: penalties and configs against tf_keras, gradients by finite differences."""
import math
import os

import numpy as np
import pytest

from minikeras import regularizers
from minikeras.regularizers import L1, L1L2, L2, l1_l2

W = np.array([[0.5, -1.5, 0.0], [2.0, -0.25, 3.0]], np.float32)
# Recorded from tf_keras 2.21 with
#   r = <constructor>; (float(r(tf.constant(W))), r.get_config(),
#                       tf_keras.regularizers.serialize(r, use_legacy_format=True))
# The factors are stored as float32, hence 0.009999999776482582 for 0.01.
TF_KERAS = [
    (L1(), 0.07249999791383743, {"l1": 0.009999999776482582}),
    (L2(), 0.15562500059604645, {"l2": 0.009999999776482582}),
    (L1L2(), 0.0, {"l1": 0.0, "l2": 0.0}),
    (l1_l2(), 0.22812500596046448, {"l1": 0.009999999776482582, "l2": 0.009999999776482582}),
    (L1(0.3), 2.1750001907348633, {"l1": 0.30000001192092896}),
    (L2(0.1), 1.556249976158142, {"l2": 0.10000000149011612}),
    (L1L2(l1=0.2, l2=0.05), 2.2281250953674316, {"l1": 0.20000000298023224, "l2": 0.05000000074505806}),
]
# tf_keras.regularizers.get(name).get_config(), recorded from tf_keras 2.21.
TF_KERAS_GET = {
    "l1": (L1, {"l1": 0.009999999776482582}),
    "L1": (L1, {"l1": 0.009999999776482582}),
    "l2": (L2, {"l2": 0.009999999776482582}),
    "L2": (L2, {"l2": 0.009999999776482582}),
    "l1_l2": (L1L2, {"l1": 0.009999999776482582, "l2": 0.009999999776482582}),
    "L1L2": (L1L2, {"l1": 0.0, "l2": 0.0}),  # the class's defaults, unlike 'l1_l2'
}


@pytest.mark.parametrize("reg,value,config", TF_KERAS, ids=[str(i) for i in range(len(TF_KERAS))])
def test_value_config_and_serialize_match_tf_keras(reg, value, config):
    penalty = reg(W)
    assert isinstance(penalty, float)
    assert penalty == pytest.approx(value, rel=1e-6)
    assert reg.get_config() == config
    assert regularizers.serialize(reg) == {"class_name": type(reg).__name__, "config": config}


def test_value_is_the_formula():
    w = np.array([1.0, -2.0, 0.5])
    assert L1L2(l1=0.5, l2=0.25)(w) == pytest.approx(0.5 * 3.5 + 0.25 * 5.25)


def _numerical_gradient(reg, w, eps=1e-6):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[i] = eps
        grad[i] = (reg(w + step) - reg(w - step)) / (2 * eps)
    return grad


@pytest.mark.parametrize("reg", [L1(0.3), L2(0.1), L1L2(l1=0.2, l2=0.05), l1_l2()],
                         ids=["L1", "L2", "L1L2", "l1_l2"])
def test_gradient_matches_finite_differences(reg):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 5))
    w = np.where(np.abs(w) < 0.05, 0.3, w)  # away from the L1 kink at 0
    grad = reg.gradient(w)
    assert grad.shape == w.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, _numerical_gradient(reg, w), rtol=1e-6, atol=1e-9)


def test_gradient_at_zero_and_dtype():
    w = np.array([-1.0, 0.0, 2.0], np.float32)
    np.testing.assert_allclose(L1(0.5).gradient(w), [-0.5, 0.0, 0.5])  # subgradient 0 at 0
    np.testing.assert_allclose(L2(0.5).gradient(w), [-1.0, 0.0, 2.0])  # 2 * l2 * w
    assert L1L2(0.1, 0.1).gradient(w).dtype == np.float32


def test_get():
    for name, (cls, config) in TF_KERAS_GET.items():
        reg = regularizers.get(name)
        assert type(reg) is cls and reg.get_config() == config, name
    assert regularizers.get(None) is None
    reg = L2(0.5)
    assert regularizers.get(reg) is reg
    from_dict = regularizers.get({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}})
    assert type(from_dict) is L1L2
    assert from_dict.get_config() == {"l1": 0.10000000149011612, "l2": 0.20000000298023224}  # as tf_keras


def test_round_trips_including_tf_keras_new_format():
    for reg, _, _ in TF_KERAS:
        again = regularizers.deserialize(regularizers.serialize(reg))
        assert type(again) is type(reg) and again.get_config() == reg.get_config()
        assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()
    new_format = {"module": "keras.regularizers", "class_name": "L1", "config": {"l1": 0.5},
                  "registered_name": None}
    assert regularizers.deserialize(new_format).get_config() == {"l1": 0.5}
    assert regularizers.serialize(None) is None


def test_lowercase_shortcuts_are_keras_ones():
    assert regularizers.l1 is L1 and regularizers.l2 is L2
    assert l1_l2(l1=0.5).get_config() == {"l1": 0.5, "l2": 0.009999999776482582}
    assert L1(None).get_config() == {"l1": 0.009999999776482582}  # None -> default, as tf_keras
    assert L1L2(None, None).get_config() == {"l1": 0.0, "l2": 0.0}


def test_bad_input_raises():
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'l3'.*'l1_l2'"):
        regularizers.get("l3")
    with pytest.raises(TypeError, match="regularizer"):
        regularizers.get(3)
    with pytest.raises(ValueError, match="l1"):
        L1(math.nan)
    with pytest.raises(ValueError, match="l2"):
        L2("a")
    with pytest.raises(ValueError, match="class_name"):
        regularizers.deserialize({"config": {}})
    with pytest.raises(ValueError, match="Unknown regularizer class"):
        regularizers.deserialize({"class_name": "L3", "config": {}})


def test_live_against_tf_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as tf
    w = np.random.default_rng(0).normal(size=(30, 20)).astype(np.float32)
    for ours, theirs in [(L1(0.3), tf_keras.regularizers.L1(0.3)), (L2(0.1), tf_keras.regularizers.L2(0.1)),
                         (l1_l2(), tf_keras.regularizers.l1_l2())]:
        variable = tf.Variable(w)
        with tf.GradientTape() as tape:
            penalty = theirs(variable)
        assert ours(w) == pytest.approx(float(penalty), rel=1e-6)
        np.testing.assert_allclose(ours.gradient(w), tape.gradient(penalty, variable).numpy(), rtol=1e-6)
        assert regularizers.serialize(ours) == tf_keras.regularizers.serialize(theirs, use_legacy_format=True)


def test_a_function_regularizer_is_saved_by_name_and_loaded_through_custom_objects(tmp_path):
    # keras-docs-zh regularizers.md: def l1_reg(weight_matrix): return 0.01 * K.sum(K.abs(weight_matrix))
    from minikeras import backend as K
    from minikeras.layers import Dense
    from minikeras.models import Sequential, load_model

    def l1_reg(weight_matrix):
        return 0.01 * K.sum(K.abs(weight_matrix))
    assert regularizers.serialize(l1_reg) == "l1_reg"
    model = Sequential([Dense(2, input_shape=(3,), kernel_regularizer=l1_reg)])
    model.compile("sgd", "mse")
    model.save(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="Unknown regularizer: 'l1_reg'.*custom_objects"):
        load_model(tmp_path / "m.h5")
    assert load_model(tmp_path / "m.h5", custom_objects={"l1_reg": l1_reg}).layers[0].kernel_regularizer is l1_reg
    with pytest.raises(TypeError, match="expected a Regularizer instance or a function"):
        regularizers.serialize(0.5)
