"""The reverse pass (minikeras.backend.backprop): order, fan-out sums, untouched leaves, deep tapes."""
import numpy as np

from minikeras.backend import backprop
from minikeras.backend.autodiff import Tensor


def test_topological_order_puts_every_node_after_its_parents():
    x = Tensor(np.array([1.0, 2.0]))
    a = x * 2.0
    b = np.exp(x)
    y = np.sum(a * b)
    order = backprop.topological_order(y)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(order) == 5                                # x, a, b, a*b, y: each once
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    assert order[-1] is y


def test_a_node_used_twice_gets_both_paths_gradients():
    # y = sum(x*x + sin(x)): x fans out three times; dy/dx = 2x + cos(x)
    x = Tensor(np.array([0.5, -1.0, 2.0]))
    y = np.sum(x * x + np.sin(x))
    grad = backprop.gradients(y, [x])[0]
    np.testing.assert_allclose(grad, 2 * x.value + np.cos(x.value), rtol=1e-12)


def test_upstream_gradient_and_unused_leaf():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    unused = Tensor(np.ones(3))
    y = x * 3.0
    upstream = np.array([[1.0, 0.0], [2.0, -1.0]])
    gx, gu = backprop.gradients(y, [x, unused], grad=upstream)
    np.testing.assert_array_equal(gx, 3.0 * upstream)
    np.testing.assert_array_equal(gu, np.zeros(3))


def test_a_tape_deeper_than_the_recursion_limit():
    x = Tensor(np.array([1.0]))
    y = x
    for _ in range(5000):                                 # more nodes than Python's default recursion limit
        y = y * 1.0001
    grad = backprop.gradients(y, [x])[0]
    np.testing.assert_allclose(grad, [1.0001 ** 5000], rtol=1e-9)
