"""keras.utils.conv_utils: the lengths Keras 2.2.4 documents (tf_keras 2.21 gives the same for the functions it kept)."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras.utils import conv_utils


@pytest.mark.parametrize("n, k, padding, stride, dilation, expected", [
    (224, 7, "same", 2, 1, 112), (32, 5, "valid", 1, 1, 28), (32, 5, "valid", 2, 1, 14),
    (32, 5, "causal", 2, 1, 16), (32, 5, "full", 1, 1, 36), (32, 5, "full", 2, 1, 18),
    (32, 3, "valid", 1, 2, 28), (None, 3, "same", 1, 1, None),
])
def test_conv_output_length(n, k, padding, stride, dilation, expected):
    assert conv_utils.conv_output_length(n, k, padding, stride, dilation) == expected


def test_conv_input_length_inverts_the_output_length():
    assert [conv_utils.conv_input_length(112, 7, "same", 2), conv_utils.conv_input_length(14, 5, "valid", 2),
            conv_utils.conv_input_length(18, 5, "full", 2)] == [223, 31, 31]
    with pytest.raises(AssertionError):
        conv_utils.conv_input_length(18, 5, "diagonal", 2)


def test_deconv_length_with_and_without_output_padding():
    assert [conv_utils.deconv_length(224, 2, 7, "same", None), conv_utils.deconv_length(32, 2, 5, "valid", None),
            conv_utils.deconv_length(32, 2, 5, "full", None)] == [448, 67, 59]
    assert [conv_utils.deconv_length(224, 2, 7, "same", 0), conv_utils.deconv_length(32, 2, 5, "valid", 1),
            conv_utils.deconv_length(6, 2, 3, "full", 2)] == [447, 68, 11]


def test_argument_checks_and_kernel_flip():
    assert conv_utils.normalize_tuple([7, 9], 2, "kernel_size") == (7, 9)
    for bad in (None, [2, 3, 4], ["a", "b"]):
        with pytest.raises(ValueError, match="kernel_size"):
            conv_utils.normalize_tuple(bad, 2, "kernel_size")
    assert conv_utils.normalize_padding("Same") == "same"
    with pytest.raises(ValueError, match="padding"):
        conv_utils.normalize_padding("diagonal")
    assert K.normalize_data_format("Channels_First") == "channels_first"
    with pytest.raises(ValueError, match="data_format"):
        K.normalize_data_format("channels_middle")
    kernel = np.arange(12.0).reshape(3, 2, 1, 2)
    flipped = conv_utils.convert_kernel(kernel)
    np.testing.assert_array_equal(flipped[0, 0], kernel[2, 1])
    with pytest.raises(ValueError, match="kernel"):
        conv_utils.convert_kernel(np.zeros((10, 20)))
