"""Lambda (trained by the tape, saved by name) and ActivityRegularization (tf_keras's penalty / batch)."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras import layers, models, optimizers, regularizers, utils


def halve_and_square(x, k=0.5):
    return K.square(x) * k


def _model():
    K.set_seed(0)
    model = models.Sequential([layers.Dense(2, input_shape=(3,)), layers.Lambda(halve_and_square, arguments={"k": 2.0}),
                               layers.Dense(1)])
    model.compile(optimizers.SGD(0.01), "mse")
    return model


def test_lambda_output_shape_and_arguments():
    assert layers.Lambda(lambda x: x[:, :2]).build_from_shape((None, 5)) == (None, 2)
    assert layers.Lambda(lambda x: x, output_shape=(7,)).build_from_shape((None, 5)) == (None, 7)
    assert layers.Lambda(lambda x: x, output_shape=lambda s: (s[0], 1)).build_from_shape((None, 5)) == (None, 1)
    np.testing.assert_allclose(_model().layers[1](np.array([[3.0]])), [[18.0]])


def test_lambda_saves_the_function_name_and_needs_it_back(tmp_path):
    model = _model()
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    model.fit(x, x[:, :1], epochs=2, verbose=0)
    path = tmp_path / "lambda.h5"
    model.save(path)
    assert model.layers[1].get_config()["function"] == "halve_and_square"
    with pytest.raises(ValueError, match=r"'halve_and_square'.*custom_objects=\{'halve_and_square'"):
        models.load_model(path)
    loaded = models.load_model(path, custom_objects={"halve_and_square": halve_and_square})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    with utils.custom_object_scope({"halve_and_square": halve_and_square}):
        assert models.load_model(path).layers[1].arguments == {"k": 2.0}


def test_activity_regularization_adds_penalty_over_batch():
    """tf_keras (facts s06c): ActivityRegularization(l1=0.1) on these 4 rows adds 0.375, any batch size."""
    x = np.array([[1., 2.], [3., -4.], [0.5, 0.5], [2., 2.]], "float32")
    model = models.Sequential([layers.ActivityRegularization(l1=0.1, input_shape=(2,))])
    model.compile(optimizers.SGD(0.0), "mse")
    for batch_size in (4, 2):
        assert model.evaluate(x, 0 * x, batch_size=batch_size, verbose=0) == pytest.approx(5.1875, rel=1e-6)
    dense = models.Sequential([layers.Dense(2, input_shape=(2,), kernel_initializer="identity", use_bias=False,
                                            activity_regularizer=regularizers.l2(0.01))])
    dense.compile(optimizers.SGD(0.0), "mse")
    assert dense.evaluate(x, 0 * x, batch_size=4, verbose=0) == pytest.approx(4.90875, rel=1e-6)
    assert dense.layers[0].get_config()["activity_regularizer"]["class_name"] == "L2"


def test_lambda_returning_two_tensors_feeds_both_and_trains_like_without_it():
    def build(with_lambda):
        K.clear_session()
        a, b = layers.Input((3, 2)), layers.Input((3, 2))
        summed = layers.add([a, b])
        pooled = layers.GlobalAveragePooling1D()(summed)
        pair = layers.Lambda(lambda x: x)([summed, pooled]) if with_lambda else [summed, pooled]
        assert [tuple(t.shape) for t in pair] == [(None, 3, 2), (None, 2)]
        out = layers.Dense(2, kernel_initializer="ones")(layers.dot(pair, axes=-1))
        model = models.Model([a, b], out)
        model.compile(optimizers.SGD(0.01), "mse")
        return model
    rng = np.random.default_rng(0)
    x1, x2 = rng.random((8, 3, 2), dtype=np.float32), rng.random((8, 3, 2), dtype=np.float32)
    y = rng.random((8, 2), dtype=np.float32)
    losses = [[model.train_on_batch([x1, x2], y) for _ in range(3)] for model in (build(True), build(False))]
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)
    assert losses[0][2] < losses[0][0]


def test_lambda_output_shape_function_giving_one_shape_per_output():
    # keras-docs-zh layers/core.md: hadamard_product_sum with its output-shape function
    def hadamard_product_sum(tensors):
        out1 = tensors[0] * tensors[1]
        return [out1, K.sum(out1, axis=-1)]

    def hadamard_product_sum_output_shape(input_shapes):
        return [tuple(input_shapes[0]), tuple(input_shapes[1][:-1])]

    a, b = layers.Input((4,)), layers.Input((4,))
    x_hadamard, x_sum = layers.Lambda(hadamard_product_sum, hadamard_product_sum_output_shape)([a, b])
    assert (K.int_shape(x_hadamard), K.int_shape(x_sum)) == ((None, 4), (None,))
    model = models.Model([a, b], [x_hadamard, x_sum])
    p, q = np.arange(8.0).reshape(2, 4), np.ones((2, 4))
    product, total = model.predict([p, q], verbose=0)
    np.testing.assert_allclose(product, p)
    np.testing.assert_allclose(total, [6.0, 22.0])
