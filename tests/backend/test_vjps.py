"""Every rule of the autodiff tape, checked against central finite differences (float64)."""
import numpy as np
import pytest

from minikeras import backend as K
from minikeras.backend import autodiff, vjps
from tests.gradcheck import numeric_grad

R = np.random.default_rng(0)


def _a(*shape, low=-2.0, high=2.0):
    return R.uniform(low, high, shape)


def _pos(*shape):
    return R.uniform(0.5, 2.0, shape)


# rule -> (function of the inputs, inputs). Inputs avoid kinks (ties, |x| = 0, clip bounds).
CASES = {
    vjps.add: (lambda a, b: a + b, [_a(3, 4), _a(4)]),
    vjps.subtract: (lambda a, b: a - b, [_a(3, 1), _a(3, 4)]),
    vjps.multiply: (lambda a, b: a * b, [_a(2, 3), _a(1, 3)]),
    vjps.divide: (lambda a, b: a / b, [_a(2, 3), _pos(3)]),
    vjps.negative: (lambda a: -a, [_a(3)]),
    vjps.power: (lambda a, b: a ** b, [_pos(2, 3), _a(2, 3)]),
    vjps.maximum: (lambda a, b: np.maximum(a, b), [_a(4, 3), _a(3)]),
    vjps.minimum: (lambda a, b: K.minimum(a, b), [_a(4, 3), _a(4, 3)]),
    vjps.logaddexp: (lambda a, b: np.logaddexp(a, b), [_a(3), _a(3)]),
    vjps.square: (lambda a: K.square(a), [_a(2, 3)]),
    vjps.sqrt: (lambda a: K.sqrt(a), [_pos(2, 3)]),
    vjps.exp: (lambda a: K.exp(a), [_a(2, 3)]),
    vjps.expm1: (lambda a: np.expm1(a), [_a(3)]),
    vjps.log: (lambda a: K.log(a), [_pos(3)]),
    vjps.log1p: (lambda a: np.log1p(a), [_pos(3)]),
    vjps.tanh: (lambda a: K.tanh(a), [_a(2, 3)]),
    vjps.sin: (lambda a: K.sin(a), [_a(3)]),
    vjps.cos: (lambda a: K.cos(a), [_a(3)]),
    vjps.absolute: (lambda a: K.abs(a), [_pos(3) * np.array([1, -1, 1])]),
    vjps.reciprocal: (lambda a: np.reciprocal(a), [_pos(3)]),
    vjps.sigmoid: (lambda a: K.sigmoid(a), [_a(2, 3)]),
    vjps.softmax: (lambda a: K.softmax(a), [_a(2, 4)]),
    vjps.relu: (lambda a: K.relu(a, alpha=0.1, max_value=1.5), [np.array([-1.3, -0.2, 0.4, 0.9, 1.8])]),
    vjps.softplus: (lambda a: K.softplus(a), [_a(3)]),
    vjps.softsign: (lambda a: K.softsign(a), [_a(3)]),
    vjps.elu: (lambda a: K.elu(a, 0.7), [np.array([-1.0, -0.1, 0.3, 2.0])]),
    vjps.hard_sigmoid: (lambda a: K.hard_sigmoid(a), [np.array([-3.0, -1.0, 0.5, 2.0, 3.0])]),
    vjps.clip: (lambda a: K.clip(a, -1.0, 1.0), [np.array([-1.5, -0.5, 0.2, 0.8, 1.7])]),
    vjps.where: (lambda a, b: K.switch(a.value > 0, a, b), [_a(5), _a(5)]),
    vjps.matmul: (lambda a, b: a @ b, [_a(2, 3, 4), _a(4, 5)]),
    vjps.dot: (lambda a, b: K.dot(a, b), [_a(2, 3, 4), _a(6, 4, 5)]),
    vjps.sum_: (lambda a: K.sum(a, axis=1), [_a(2, 3, 4)]),
    vjps.mean: (lambda a: K.mean(a, axis=(0, 2), keepdims=True), [_a(2, 3, 4)]),
    vjps.max_: (lambda a: K.max(a, axis=-1), [_a(3, 4)]),
    vjps.min_: (lambda a: K.min(a), [_a(3, 4)]),
    vjps.prod: (lambda a: K.prod(a, axis=0), [_pos(3, 2)]),
    vjps.var: (lambda a: K.var(a, axis=-1), [_a(3, 4)]),
    vjps.std: (lambda a: K.std(a, axis=0, keepdims=True), [_a(3, 4)]),
    vjps.reshape: (lambda a: K.reshape(a, (4, 3)), [_a(2, 6)]),
    vjps.ravel: (lambda a: np.ravel(a), [_a(2, 3)]),
    vjps.transpose: (lambda a: np.transpose(a, (2, 0, 1)), [_a(2, 3, 4)]),
    vjps.swapaxes: (lambda a: np.swapaxes(a, 0, 2), [_a(2, 3, 4)]),
    vjps.expand_dims: (lambda a: K.expand_dims(a, 1), [_a(2, 3)]),
    vjps.squeeze: (lambda a: K.squeeze(a, 1), [_a(2, 1, 3)]),
    vjps.broadcast_to: (lambda a: np.broadcast_to(a, (4, 3)), [_a(3)]),
    vjps.concatenate: (lambda a, b: K.concatenate([a, b], axis=-1), [_a(2, 3), _a(2, 2)]),
    vjps.stack: (lambda a, b: K.stack([a, b], axis=1), [_a(2, 3), _a(2, 3)]),
    vjps.getitem: (lambda a: a[[0, 2, 0], 1:], [_a(3, 4)]),
    vjps.take: (lambda a: K.gather(a, np.array([2, 0, 2])), [_a(3, 4)]),
    vjps.astype: (lambda a: K.cast(a, "float64"), [_a(3)]),
    vjps.copy: (lambda a: np.copy(a), [_a(3)]),
    vjps.moveaxis: (lambda a: np.moveaxis(a, 0, -1), [_a(2, 3, 4)]),
    vjps.pad: (lambda a: np.pad(a, ((0, 0), (1, 2))), [_a(2, 3)]),
    vjps.repeat: (lambda a: np.repeat(a, 2, axis=1), [_a(2, 3)]),
    vjps.tile: (lambda a: np.tile(a, (2, 1, 3)), [_a(2, 3)]),
    vjps.einsum: (lambda a, b: np.einsum("bij,jk->bik", a, b), [_a(2, 3, 4), _a(4, 5)]),
    vjps.tensordot: (lambda a, b: np.tensordot(a, b, axes=([1, 2], [0, 1])), [_a(2, 3, 4), _a(3, 4, 5)]),
    vjps.cumsum: (lambda a: K.cumsum(a, axis=1) * np.reshape(np.cumsum(a), (2, 3, 4)), [_a(2, 3, 4)]),
    vjps.flip: (lambda a: K.reverse(a, axes=(0, 2)) * np.flip(a), [_a(2, 3, 4)]),
}


def _check(fn, inputs, rtol=1e-5, atol=1e-7):
    inputs = [np.array(x, dtype=np.float64) for x in inputs]
    weights = R.normal(size=np.shape(fn(*[autodiff.Tensor(x) for x in inputs]).value))

    def loss():
        out = fn(*[autodiff.Tensor(x) for x in inputs])
        return float(np.sum(out.value * weights))

    leaves = [autodiff.Tensor(x) for x in inputs]
    out = fn(*leaves)
    tape = autodiff.gradients(out, leaves, grad=weights)
    for x, g in zip(inputs, tape):
        assert g.shape == x.shape
        np.testing.assert_allclose(g, numeric_grad(loss, x), rtol=rtol, atol=atol)


@pytest.mark.parametrize("rule", list(CASES), ids=lambda r: r.__name__)
def test_vjp_matches_finite_differences(rule):
    fn, inputs = CASES[rule]
    _check(fn, inputs)


def test_every_rule_has_a_finite_difference_case():
    rules = set(vjps.RULES.values()) | {vjps.sigmoid, vjps.softmax, vjps.relu, vjps.softplus, vjps.softsign,
                                        vjps.elu, vjps.hard_sigmoid, vjps.getitem, vjps.astype}
    assert rules - set(CASES) == set()


@pytest.mark.parametrize("shapes", [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)), ((2, 3, 4), (4,))])
def test_dot_and_matmul_every_rank(shapes):
    a, b = (_a(*s) for s in shapes)
    _check(lambda x, y: K.dot(x, y), [a, b])
    _check(lambda x, y: x @ y, [a, b])


def test_basic_slicing_and_boolean_mask():
    x = _a(3, 4)
    _check(lambda a: a[1:, ::2], [x])
    _check(lambda a: a[..., None, 0], [x])
    _check(lambda a: a[x > 0], [x])


def test_crossentropies_of_the_backend():
    t = np.eye(3)[[0, 2]]
    p = _pos(2, 3)
    _check(lambda y: K.categorical_crossentropy(t, y), [p])
    _check(lambda y: K.categorical_crossentropy(t, y, from_logits=True), [_a(2, 3)])
    _check(lambda y: K.binary_crossentropy(t, y), [R.uniform(0.1, 0.9, (2, 3))])
    _check(lambda y: K.binary_crossentropy(t, y, from_logits=True), [_a(2, 3)])
    _check(lambda y: K.sparse_categorical_crossentropy(np.array([1, 0]), y), [p])


def test_kinks_follow_tensorflow():
    x = autodiff.Tensor(np.array([0.0, 0.0, 1.0]))
    assert autodiff.gradients(K.abs(x), [x])[0].tolist() == [0.0, 0.0, 1.0]
    assert autodiff.gradients(K.relu(x), [x])[0].tolist() == [0.0, 0.0, 1.0]
    assert autodiff.gradients(K.sigmoid(x), [x])[0][0] == pytest.approx(0.25)
    assert autodiff.gradients(K.softplus(x), [x])[0][0] == pytest.approx(0.5)
    a, b = autodiff.Tensor(np.array([1.0])), autodiff.Tensor(np.array([1.0]))
    assert [g.tolist() for g in autodiff.gradients(K.maximum(a, b), [a, b])] == [[1.0], [0.0]]


def test_einsum_with_an_index_summed_in_one_operand_and_repeat_of_whole_array():
    _check(lambda a, b: np.einsum("ij,k->i", a, b), [_a(2, 3), _a(4)])
    _check(lambda a: np.repeat(a, [1, 3]), [_a(2)])
    _check(lambda a: np.tensordot(a, a, axes=1), [_a(3, 3)])


def test_k_shape_ops_and_stop_gradient():
    x = _a(2, 3)
    _check(lambda a: K.permute_dimensions(a, (1, 0)), [x])
    _check(lambda a: K.repeat_elements(a, 2, axis=0), [x])
    _check(lambda a: K.tile(a, (1, 2)), [x])
    leaf = autodiff.Tensor(x)
    grad = autodiff.gradients(np.sum(leaf * K.stop_gradient(leaf)), [leaf])[0]
    np.testing.assert_allclose(grad, x)                       # d/dx (x * const(x)) = x
    assert K.shape(leaf) == (2, 3)
