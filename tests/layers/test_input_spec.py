"""InputSpec (minikeras/layers/input_spec.py): a custom layer's promise, checked on every call."""
import numpy as np
import pytest

from minikeras import layers
from minikeras.layers import Input, InputSpec


class Sequence3D(layers.Layer):
    """The guides' pattern: the spec set in __init__, a fixed last axis added in build."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        self.input_spec = InputSpec(ndim=3, axes={-1: input_shape[-1]})

    def call(self, inputs):
        return inputs * 2.0


def test_a_call_of_the_wrong_rank_fails_with_tf_keras_s_message():
    layer = Sequence3D(name="seq")
    with pytest.raises(ValueError, match=r'Input 0 of layer "seq" is incompatible with the layer: expected '
                                         r'ndim=3, found ndim=2. Full shape received: \(2, 3\)'):
        layer(np.ones((2, 3)))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(Input((3,)))


def test_the_axes_fixed_in_build_are_checked_afterwards():
    layer = Sequence3D(name="seq")
    assert layer(np.ones((2, 5, 4))).shape == (2, 5, 4)
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 4, but received input "
                                         r"with shape \(2, 5, 3\)"):
        layer(np.ones((2, 5, 3)))


def test_min_max_ndim_shape_and_several_inputs():
    from minikeras.layers.input_spec import check_input
    check_input([InputSpec(min_ndim=2), None], [(None, 3), (None,)], "pair")
    with pytest.raises(ValueError, match="Input 1 of layer \"pair\".*expected max_ndim=2, found ndim=3"):
        check_input([InputSpec(min_ndim=2), InputSpec(max_ndim=2)], [(None, 3), (None, 2, 2)], "pair")
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 7"):
        check_input(InputSpec(shape=(None, 7)), (None, 6), "fixed")
    assert repr(InputSpec(min_ndim=2, axes={-1: 4})) == "InputSpec(min_ndim=2, axes={-1: 4})"
    assert InputSpec.from_config(InputSpec(ndim=3).get_config()).ndim == 3


def test_built_in_layers_state_their_specs_as_tf_keras_does():
    dense = layers.Dense(2, name="d")
    dense(Input((3,)))
    with pytest.raises(ValueError, match=r'layer "d".*expected axis -1 of input shape to have value 3, but '
                                         r'received input with shape \(None, 5\)'):
        dense(Input((5,)))                                     # a shared layer called on another width
    with pytest.raises(ValueError, match=r"value 3, but received input with shape \(2, 5\)"):
        dense(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r'layer "l".*expected ndim=3, found ndim=2'):
        layers.LSTM(2, name="l")(Input((3,)))
    with pytest.raises(ValueError, match=r'layer "g".*expected ndim=3, found ndim=4'):
        layers.GRU(2, name="g")(np.ones((2, 3, 4, 5)))
    with pytest.raises(ValueError, match=r'layer "t".*expected min_ndim=3, found ndim=2'):
        layers.TimeDistributed(layers.Dense(2), name="t")(Input((3,)))


def test_dense_needs_rank_2_from_its_first_call_and_accepts_nested_lists():
    with pytest.raises(ValueError, match=r"expected min_ndim=2, found ndim=1. Full shape received: \(3,\)"):
        layers.Dense(2)(np.ones(3))
    dense = layers.Dense(2)
    assert dense([[1.0, 2.0, 3.0]]).shape == dense([[1.0, 2.0, 3.0]]).shape == (1, 2)   # a list is one input
