"""``get_test_data``: small random data sets to train a model on in tests (Keras ``keras.utils.test_utils``).

Keras's own tests (``tests/keras/test_callbacks.py``, ``test_sequential_model.py``) build their
data with it. It draws from NumPy's global generator, as Keras does: seed it with
``np.random.seed`` first for repeatable data.
"""
import numpy as np


def get_test_data(num_train=1000, num_test=500, input_shape=(10,), output_shape=(2,), classification=True,
                  num_classes=2):
    """Returns ``(x_train, y_train), (x_test, y_test)``: inputs scattered around their targets.

    Classification (default): ``y`` are integer labels in ``[0, num_classes)`` (``output_shape`` is
    ignored) and every input value is drawn from ``N(label, 0.7²)``, so the classes can be learned.
    Regression: one centre ``c ~ U[0, 1)`` per sample; inputs and targets are drawn from ``N(c, 0.7²)``.

    Args:
        num_train (int): samples in the training set.
        num_test (int): samples in the test set.
        input_shape (tuple): shape of one input sample.
        output_shape (tuple): shape of one target (regression only).
        classification (bool): integer labels (True) or float targets (False).
        num_classes (int): number of labels (classification only).

    Returns:
        tuple: ``((x_train, y_train), (x_test, y_test))``; inputs are float32.

    >>> np.random.seed(0)
    >>> (x, y), (xt, yt) = get_test_data(num_train=4, num_test=2, input_shape=(3,), num_classes=3)
    >>> x.shape, y.shape, xt.shape, x.dtype, sorted(set(y.tolist()) | set(yt.tolist())) <= [0, 1, 2]
    ((4, 3), (4,), (2, 3), dtype('float32'), True)
    """
    samples = num_train + num_test
    input_shape, output_shape = tuple(input_shape), tuple(output_shape)
    if classification:
        y = np.random.randint(0, num_classes, size=(samples,))
        centres = y
    else:
        centres = np.random.random((samples,))
    spread = (samples,) + (1,) * len(input_shape)
    x = np.random.normal(loc=centres.reshape(spread), scale=0.7, size=(samples,) + input_shape).astype(np.float32)
    if not classification:
        spread = (samples,) + (1,) * len(output_shape)
        y = np.random.normal(loc=centres.reshape(spread), scale=0.7, size=(samples,) + output_shape)
        y = y.astype(np.float32)
    return (x[:num_train], y[:num_train]), (x[num_train:], y[num_train:])
