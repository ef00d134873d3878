"""Merge layers: values, Keras's shapes and errors, and every input gradient by finite differences."""
import numpy as np
import pytest

from minikeras.layers import (Add, Average, Concatenate, Dot, Input, Maximum, Minimum, Multiply, Subtract, add,
                              concatenate, dot)
from tests.gradcheck import numeric_grad

A = np.array([[1, 2, 3], [4, 5, 6]], dtype="float32")
B = np.array([[2, 0, -1], [1, 1, 1]], dtype="float32")

CASES = [(Add, [(4, 3), (4, 3)], {}), (Subtract, [(4, 3), (4, 1)], {}), (Multiply, [(4, 2, 3), (4, 3), (4, 2, 1)], {}),
         (Average, [(4, 3), (4, 3), (4, 3)], {}), (Maximum, [(4, 3), (4, 3)], {}), (Minimum, [(4, 3)] * 3, {}),
         (Concatenate, [(4, 2, 3), (4, 2, 5)], {}), (Concatenate, [(4, 2, 3), (4, 1, 3)], {"axis": 1}),
         (Dot, [(4, 3), (4, 3)], {"axes": 1}), (Dot, [(4, 2, 3), (4, 5, 3)], {"axes": 2}),
         (Dot, [(4, 3), (4, 3)], {"axes": 1, "normalize": True}), (Dot, [(4, 3, 2), (4, 3, 5)], {"axes": (1, 1)})]


@pytest.mark.parametrize("cls, shapes, kwargs", CASES)
def test_input_gradients_match_finite_differences(cls, shapes, kwargs):
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=s) for s in shapes]
    layer = cls(dtype="float64", **kwargs)
    out = layer(xs)
    assert layer.compute_output_shape([(None,) + s[1:] for s in shapes]) == (None,) + out.shape[1:]
    g = rng.normal(size=out.shape)
    grads = layer.backward(g)
    for x, d in zip(xs, grads):
        expected = numeric_grad(lambda: float(np.sum(layer.call(xs) * g)), x)
        np.testing.assert_allclose(d, expected, rtol=1e-6, atol=1e-7)


def test_values_as_tf_keras_gives_them():
    np.testing.assert_array_equal(Subtract()([A, B]), A - B)
    np.testing.assert_array_equal(Average()([A, B, B]), (A + 2 * B) / 3)
    np.testing.assert_array_equal(Maximum()([A, B]), np.maximum(A, B))
    np.testing.assert_array_equal(Add()([A.reshape(2, 1, 3).repeat(2, 1), np.array([[10, 20, 30]] * 2, "float32")])[0],
                                  [[11, 22, 33], [11, 22, 33]])  # the lower-rank input is added to each row
    np.testing.assert_allclose(Dot(axes=1, normalize=True)([A[:1], B[:1]]), [[-1 / np.sqrt(14 * 5)]], rtol=1e-6)
    assert Dot(axes=(1, 2))([np.ones((2, 3)), np.ones((2, 4, 3))]).shape == (2, 4)


def test_shape_errors_are_keras_errors():
    a, b = Input((3,)), Input((4,))
    with pytest.raises(ValueError, match=r"Inputs have incompatible shapes. Received shapes \(3,\) and \(4,\)"):
        add([a, b])
    with pytest.raises(ValueError, match="should be called on exactly 2 inputs"):
        Subtract()([a, a, a])
    with pytest.raises(ValueError, match="not a list of shapes"):
        Add()(a)
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        concatenate([Input((2, 3)), Input((3, 3))])
    with pytest.raises(ValueError, match=r"axis values 3 \(at axis 1\) != 4 \(at axis 1\)"):
        dot([a, b], axes=1)
    with pytest.raises(ValueError, match="it should contain two elements"):
        Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match=r"axis 5 is out of range for inputs of rank 2.*\[-2, 1\]"):
        concatenate([a, a], axis=5)
    for axes, shown in ((5, "5"), (0, "0"), ((1, -3), r"\[1, -3\]")):
        with pytest.raises(ValueError, match=rf"Dot: axes={shown} is out of range"):
            dot([a, a], axes=axes)


def test_config_round_trip():
    layer = Dot(axes=[1, 2], normalize=True, name="d")
    again = Dot.from_config(layer.get_config())
    assert (again.axes, again.normalize, again.name) == ([1, 2], True, "d")
    assert Concatenate.from_config(Concatenate(axis=1).get_config()).axis == 1
