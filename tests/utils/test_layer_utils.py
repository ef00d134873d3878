"""keras.utils.layer_utils: count_params, print_summary, convert_dense_weights_data_format."""
import numpy as np
import pytest

from minikeras.layers import Dense, Flatten
from minikeras.models import Sequential
from minikeras.utils import layer_utils


def test_count_params_counts_each_array_once():
    kernel = np.zeros((3, 4))
    assert layer_utils.count_params([kernel, kernel, np.zeros(4)]) == 16


def test_print_summary_is_the_model_summary():
    model = Sequential([Dense(2, input_shape=(3,), name="d")])
    lines = []
    layer_utils.print_summary(model, print_fn=lines.append)
    assert any("Total params: 8" in line for line in lines)


def test_dense_rows_follow_a_flatten_whose_feature_map_changes_format():
    rng = np.random.default_rng(0)
    feature_map = rng.random((2, 3, 2), dtype=np.float32)          # (h, w, c): channels_last
    last = Sequential([Flatten(input_shape=(2, 3, 2)), Dense(4)])
    first = Sequential([Flatten(input_shape=(2, 2, 3)), Dense(4)])
    expected = last.predict(feature_map[None])
    layer_utils.convert_dense_weights_data_format(last.layers[1], (2, 2, 3), "channels_first")
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(first.predict(feature_map.transpose(2, 0, 1)[None]), expected, rtol=1e-5)
    layer_utils.convert_dense_weights_data_format(last.layers[1], (2, 3, 2), "channels_last")   # and back
    np.testing.assert_allclose(last.predict(feature_map[None]), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="target_data_format"):
        layer_utils.convert_dense_weights_data_format(last.layers[1], (2, 3, 2), "channels_middle")
    with pytest.raises(NotImplementedError, match="minikeras has no convert_all_kernels_in_model"):
        layer_utils.convert_all_kernels_in_model(last)
