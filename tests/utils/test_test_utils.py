"""keras.utils.test_utils.get_test_data: the data Keras's own tests train on."""
import numpy as np

from minikeras.utils.test_utils import get_test_data


def test_classification_inputs_centre_on_their_label():
    np.random.seed(3)
    (x, y), (xt, yt) = get_test_data(num_train=300, num_test=100, input_shape=(4, 2), num_classes=3)
    assert x.shape == (300, 4, 2) and xt.shape == (100, 4, 2) and x.dtype == np.float32
    assert y.shape == (300,) and set(np.unique(np.concatenate([y, yt]))) == {0, 1, 2}
    for label in range(3):     # mean of N(label, 0.7^2) over ~800 values: within 0.15 of the label
        assert abs(x[y == label].mean() - label) < 0.15
    assert abs(x.std() - np.sqrt(0.49 + y.var())) < 0.1


def test_regression_targets_and_inputs_share_a_centre_and_seed_repeats():
    np.random.seed(5)
    first = get_test_data(num_train=50, num_test=10, input_shape=(3,), output_shape=(2,), classification=False)
    np.random.seed(5)
    second = get_test_data(num_train=50, num_test=10, input_shape=(3,), output_shape=(2,), classification=False)
    (x, y), (xt, yt) = first
    assert y.shape == (50, 2) and yt.shape == (10, 2) and y.dtype == np.float32
    np.testing.assert_array_equal(x, second[0][0])
    np.testing.assert_array_equal(yt, second[1][1])
    assert 0.2 < x.mean() < 0.8      # centres ~ U[0, 1)
