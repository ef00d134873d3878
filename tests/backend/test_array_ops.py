"""K functions of minikeras/backend/array_ops.py and random_ops.py, and the K functions minikeras lacks."""
import numpy as np
import pytest

import minikeras.backend as K
from minikeras.backend import autodiff
from tests.gradcheck import numeric_grad

R = np.random.default_rng(0)


def test_batch_dot_shapes_of_the_keras_docs_and_values():
    # Keras 2's docstring: x (32, 20, 1), y (32, 30, 20), axes=(1, 2) -> (32, 1, 30)
    x, y = R.normal(size=(32, 20, 1)), R.normal(size=(32, 30, 20))
    out = K.batch_dot(x, y, axes=(1, 2))
    assert out.shape == (32, 1, 30)
    np.testing.assert_allclose(out, np.einsum("bdi,bjd->bij", x, y), rtol=1e-12)
    a, b = R.normal(size=(4, 5)), R.normal(size=(4, 5))
    np.testing.assert_allclose(K.batch_dot(a, b, axes=1), np.sum(a * b, axis=1, keepdims=True), rtol=1e-12)
    m, n = R.normal(size=(3, 2, 4)), R.normal(size=(3, 4, 6))
    np.testing.assert_allclose(K.batch_dot(m, n), m @ n, rtol=1e-12)            # default: a batched product
    with pytest.raises(ValueError, match="differ in size"):
        K.batch_dot(m, n, axes=(2, 2))


@pytest.mark.parametrize("fn,shapes", [
    (lambda x, y: K.batch_dot(x, y, axes=(1, 2)), [(3, 4, 2), (3, 5, 4)]),
    (lambda x: K.logsumexp(x, axis=1), [(3, 4)]),
    (lambda x: K.repeat(x, 3) * K.arange(3, dtype="float64")[None, :, None], [(2, 4)]),
    (lambda x: K.reverse(K.cumsum(x, axis=1), axes=[0]), [(2, 3)]),
    (lambda x: K.temporal_padding(x, (1, 2)) + K.identity(K.spatial_2d_padding(x[..., None], ((1, 2), (0, 0)))[..., 0]),
     [(2, 3, 4)]),
])
def test_gradients_through_the_tape_match_finite_differences(fn, shapes):
    inputs = [R.normal(size=s) for s in shapes]
    weights = R.normal(size=np.shape(fn(*inputs)))
    leaves = [autodiff.Tensor(v) for v in inputs]
    grads = autodiff.gradients(fn(*leaves), leaves, grad=weights)
    for value, grad in zip(inputs, grads):
        np.testing.assert_allclose(grad, numeric_grad(lambda: float(np.sum(fn(*inputs) * weights)), value),
                                   rtol=1e-6, atol=1e-8)


def test_small_functions():
    assert K.eye(3).dtype == np.float32 and K.eye(3).trace() == 3.0 and K.eye((2, 3)).shape == (2, 3)
    assert K.arange(2, 8, 3).tolist() == [2, 5] and K.arange(3).dtype == np.int32
    assert K.count_params(np.zeros((3, 4))) == 12
    assert K.cumprod(np.array([1.0, 2.0, 3.0])).tolist() == [1.0, 2.0, 6.0]
    assert K.logsumexp(np.array([1000.0, 1000.0])) == pytest.approx(1000.0 + np.log(2.0))
    np.testing.assert_array_equal(K.logsumexp(np.array([[-np.inf, -np.inf], [0.0, 0.0]]), axis=1),
                                  [-np.inf, np.log(2.0)])                    # a fully masked row, as TensorFlow
    assert not K.is_sparse(np.ones(2)) and K.to_dense(np.ones(2)).tolist() == [1.0, 1.0]
    from minikeras.layers import Input
    assert K.is_keras_tensor(Input((3,))) and not K.is_keras_tensor(np.ones(3))


def test_print_tensor_prints_and_returns(capsys):
    x = np.array([1.0, 2.0])
    assert K.print_tensor(x, message="x =") is x
    assert capsys.readouterr().out.strip() == "x = [1. 2.]"


def test_random_functions_are_seeded_and_follow_their_distribution():
    u = K.random_uniform((20000,), minval=-1.0, maxval=3.0, seed=1)
    assert u.dtype == np.float32 and u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.05
    assert np.array_equal(u, K.random_uniform((20000,), minval=-1.0, maxval=3.0, seed=1))
    n = K.random_normal((20000,), mean=2.0, stddev=0.5, seed=2)
    assert abs(n.mean() - 2.0) < 0.02 and abs(n.std() - 0.5) < 0.02
    t = K.truncated_normal((20000,), stddev=1.0, seed=3)
    assert np.abs(t).max() <= 2.0
    b = K.random_binomial((20000,), p=0.3, seed=4)
    assert set(np.unique(b)) == {0.0, 1.0} and abs(b.mean() - 0.3) < 0.02
    K.set_seed(5)
    first = K.random_normal((3,))
    K.set_seed(5)
    np.testing.assert_array_equal(first, K.random_normal((3,)))
    v = K.random_uniform_variable((2, 2), 0.0, 1.0, seed=6)
    assert isinstance(v, K.Variable) and K.get_value(v).shape == (2, 2)
    assert K.get_value(K.random_normal_variable((4,), 0.0, 1.0, seed=7)).shape == (4,)


@pytest.mark.parametrize("name,advice", [("conv2d", "Conv2D"), ("rnn", "LSTM"), ("ctc_batch_cost", "CTC"),
                                         ("get_session", "session")])
def test_a_keras_function_minikeras_lacks_says_so(name, advice):
    fn = getattr(K, name)
    with pytest.raises(NotImplementedError, match=rf"minikeras has no keras.backend.{name};.*{advice}"):
        fn(None)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_function'"):
        K.no_such_function
