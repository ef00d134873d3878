"""Constraints: Keras's formulas (values measured with tf_keras 2.21, /work/shared facts s06c)."""
import numpy as np
import pytest

from minikeras import constraints, layers, models, optimizers

W = np.array([[3.0, 0.1], [4.0, -0.2]], dtype="float32")   # column norms 5 and 0.2236


@pytest.mark.parametrize("constraint, expected", [
    (constraints.max_norm(2.0), [[1.2, 0.1], [1.6, -0.2]]),
    (constraints.non_neg(), [[3.0, 0.1], [4.0, 0.0]]),
    (constraints.unit_norm(), [[0.6, 0.44721], [0.8, -0.89443]]),
    (constraints.min_max_norm(0.5, 1.0), [[0.6, 0.22361], [0.8, -0.44721]]),
    (constraints.min_max_norm(0.5, 1.0, rate=0.5), [[1.8, 0.1618], [2.4, -0.32361]]),
])
def test_values_equal_tf_keras(constraint, expected):
    out = constraint(W)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=0, atol=6e-6)   # the facts are rounded to 5 decimals


def test_get_serialize_round_trip():
    c = constraints.get("max_norm")
    assert isinstance(c, constraints.MaxNorm) and c.get_config() == {"max_value": 2, "axis": 0}
    again = constraints.deserialize(constraints.serialize(constraints.MinMaxNorm(0.1, 2.0, 0.5)))
    assert again.get_config() == {"min_value": 0.1, "max_value": 2.0, "rate": 0.5, "axis": 0}
    with pytest.raises(ValueError, match="max_norm"):
        constraints.get("maxi_norm")


def test_applied_after_each_update():
    """tf_keras: Dense(1, zeros, max_norm(0.1)) after one SGD(1.0) step towards 10 -> kernel [0.0707, 0.0707]."""
    model = models.Sequential([layers.Dense(1, input_shape=(2,), use_bias=False, kernel_initializer="zeros",
                                            kernel_constraint=constraints.max_norm(0.1))])
    model.compile(optimizers.SGD(1.0), "mse")
    model.fit(np.ones((1, 2), "float32"), np.full((1, 1), 10.0, "float32"), epochs=1, verbose=0)
    np.testing.assert_allclose(model.layers[0].kernel.ravel(), [0.0707107, 0.0707107], rtol=1e-5)
    assert model.layers[0].get_config()["kernel_constraint"] == {"class_name": "MaxNorm",
                                                                 "config": {"max_value": 0.1, "axis": 0}}
