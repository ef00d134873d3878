"""Large parameters are updated in cache-sized pieces: the same numbers, bit for bit, as one whole update."""
import numpy as np
import pytest

from minikeras import optimizers
from minikeras.optimizers.pieces import PIECE, pieces

BUILT_IN = {
    "SGD": lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "RMSprop": lambda: optimizers.RMSprop(centered=True, momentum=0.5),
    "Adagrad": lambda: optimizers.Adagrad(),
    "Adadelta": lambda: optimizers.Adadelta(1.0),
    "Adam": lambda: optimizers.Adam(amsgrad=True),
    "Adamax": lambda: optimizers.Adamax(),
    "Nadam": lambda: optimizers.Nadam(),
}


def three_steps(opt, shape):
    gen = np.random.default_rng(0)
    param = gen.normal(size=shape).astype("float32")
    for _ in range(3):
        opt.apply_gradients([(gen.normal(size=shape).astype("float32"), param)])
    return param, opt.get_weights()


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_an_update_in_pieces_is_bit_for_bit_the_whole_update(name):
    shape = (PIECE // 100 + 7, 300)                                    # ~3 pieces and a ragged last one
    assert BUILT_IN[name]().elementwise
    whole = BUILT_IN[name]()
    whole.elementwise = False                                          # the plain path, for reference
    param, slots = three_steps(BUILT_IN[name](), shape)
    expected, expected_slots = three_steps(whole, shape)
    assert np.array_equal(param, expected)
    for a, b in zip(slots, expected_slots):
        assert np.array_equal(a, b)


def test_a_custom_optimizer_sees_the_whole_parameter_unless_it_says_it_is_elementwise():
    seen = []

    class Normalized(optimizers.Optimizer):                            # a formula that reads the whole norm
        def update_step(self, grad, param, slots, lr):
            seen.append(param.shape)
            param -= lr * grad / np.linalg.norm(grad)

    class NormalizedAdam(optimizers.Adam):                             # a built-in's subclass says so itself
        elementwise = False

        def update_step(self, grad, param, slots, lr):
            seen.append(param.shape)
            super().update_step(grad / np.linalg.norm(grad), param, slots, lr)

    for opt in (Normalized(), NormalizedAdam()):
        opt.apply_gradients([(np.ones((PIECE, 3), "float32"), np.zeros((PIECE, 3), "float32"))])
    assert seen == [(PIECE, 3), (PIECE, 3)]


@pytest.mark.parametrize("order, dtype", [("F", "float32"), ("C", "float64")])
def test_fortran_ordered_and_float64_parameters_are_updated_as_whole_ones(order, dtype):
    # a Fortran-ordered parameter is updated whole (a flat view of it would be a copy); float64 in pieces
    shape = (PIECE // 100 + 7, 300)
    whole = optimizers.Adam()
    whole.elementwise = False
    gen = np.random.default_rng(1)
    start, grads = gen.normal(size=shape).astype(dtype), [gen.normal(size=shape).astype(dtype) for _ in range(2)]
    params = [np.array(start, order=order), np.array(start, order=order)]
    for opt, param in zip((optimizers.Adam(), whole), params):
        for grad in grads:
            opt.apply_gradients([(grad, param)])
    assert params[0].dtype == dtype and not np.array_equal(params[0], start)   # the updates reached it
    assert np.array_equal(params[0], params[1])


def test_pieces_are_views_and_a_non_contiguous_parameter_is_updated_whole():
    param, slot = np.zeros((5, 4)), np.zeros((5, 4))
    parts = list(pieces(np.ones((5, 4)), param, {"m": slot}, size=6))
    assert [p.shape for _, p, _ in parts] == [(6,), (6,), (6,), (2,)]
    for _, p, s in parts:
        p += 1
        s["m"] -= 1
    assert (param == 1).all() and (slot == -1).all()                  # the writes reached the arrays
    strided = np.zeros((8, 6))[:, ::2]                                 # a flat view would be a copy
    [(_, whole, _)] = pieces(np.ones((8, 3)), strided, {}, size=6)
    assert whole is strided
