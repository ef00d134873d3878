"""Adam (and AMSGrad): three updates checked against the formula (float64) and tf_keras 2.21 (float32)."""
import numpy as np
import pytest

from minikeras.optimizers import Adam
from tests.optimizers.common import GRADS, P0, run


def reference(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    """Kingma & Ba's Algorithm 1 with the "epsilon hat" form used by Keras:
    w -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + eps)."""
    lr = float(np.float32(learning_rate))
    w, m, v, vmax, history = P0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g ** 2
        vmax = np.maximum(vmax, v)
        w = w - lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(vmax if amsgrad else v) + epsilon)
        history.append(w)
    return np.array(history)


CASES = [{}, dict(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=0.1),
         dict(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=0.1, amsgrad=True)]
IDS = ["default", "non_default", "amsgrad"]

# Recorded from tf_keras 2.21 (TF_CPP_MIN_LOG_LEVEL=3 /opt/venv/bin/python), for each case:
#   w = tf.Variable(P0.astype('float32')); opt = tf_keras.optimizers.Adam(**case)
#   for g in GRADS: opt.apply_gradients([(tf.constant(g, 'float32'), w)]); print(w.numpy())
TF_KERAS = [
    [[0.49900004, -0.999, 1.9990001], [0.4980679, -0.9987337, 1.9991935], [0.49827424, -0.9991231, 1.9993303]],
    [[0.49759746, -0.99612576, 1.9951316], [0.4952466, -0.99526, 1.9966496], [0.49644464, -0.997765, 1.9976676]],
    [[0.49759746, -0.99612576, 1.9951316], [0.4952466, -0.99526, 1.9966496], [0.49644464, -0.997765, 1.997636]],
]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_three_steps_match_the_formula(case):
    np.testing.assert_allclose(run(Adam(**case), "float64") - P0, reference(**case) - P0, rtol=1e-6)


@pytest.mark.parametrize("case, expected", list(zip(CASES, TF_KERAS)), ids=IDS)
def test_three_steps_match_tf_keras(case, expected):
    np.testing.assert_allclose(run(Adam(**case), "float32"), expected, rtol=0, atol=3e-7)


def test_first_step_by_hand():
    # element 0, lr=0.01, beta_1=0.8, beta_2=0.9, eps=0.1, g=0.1: m = 0.02, v = 0.001,
    # alpha = 0.01 * sqrt(1 - 0.9) / (1 - 0.8) = 0.015811388
    # w = 0.5 - alpha * 0.02 / (sqrt(0.001) + 0.1) = 0.5 - 0.00031622777 / 0.13162278 = 0.49759746
    # (bias-correcting v before adding eps would give 0.5 - 0.01 * 0.1 / (0.1 + 0.1) = 0.495)
    w = run(Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=0.1), "float64")
    assert w[0, 0] == pytest.approx(0.49759746, abs=1e-8)


def test_amsgrad_uses_the_running_maximum():
    # element 2 has g = 0.3, -0.4, 0.01: v falls at step 3 (0.02410 -> 0.02170), so only
    # the third update differs from plain Adam; vhat keeps 0.0241
    plain = run(Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=0.1), "float64")
    opt = Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=0.1, amsgrad=True)
    ams = run(opt, "float64")
    np.testing.assert_array_equal(plain[:2], ams[:2])
    assert ams[2, 2] != pytest.approx(plain[2, 2], abs=1e-6)
    iterations, m, v, vhat = opt.get_weights()
    assert v[2] == pytest.approx(0.02170, abs=1e-5) and vhat[2] == pytest.approx(0.0241, abs=1e-6)


def test_defaults_slots_and_config():
    opt = Adam()
    assert (float(opt.learning_rate), opt.beta_1, opt.beta_2, opt.epsilon, opt.amsgrad) == \
        (pytest.approx(0.001), 0.9, 0.999, 1e-7, False)
    assert opt.slot_names() == ("m", "v") and Adam(amsgrad=True).slot_names() == ("m", "v", "vhat")
    assert opt.get_config() == {"name": "Adam", "learning_rate": 0.001, "clipnorm": None, "global_clipnorm": None,
                                "clipvalue": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
                                "amsgrad": False}


@pytest.mark.parametrize("kwargs, word", [(dict(beta_1=1.0), "beta_1"), (dict(beta_1=-0.1), "beta_1"),
                                          (dict(beta_2=1.5), "beta_2"), (dict(epsilon=-1.0), "epsilon"),
                                          (dict(learning_rate=-0.001), "learning_rate")])
def test_bad_values_raise(kwargs, word):
    with pytest.raises(ValueError, match=word):
        Adam(**kwargs)


def test_amsgrad_must_be_bool():
    with pytest.raises(TypeError, match="amsgrad"):
        Adam(amsgrad="true")


def _sparse_and_dense_steps(opt_args, shape, steps=3, order="C"):
    """The same updates given as IndexedSlices and as zero-filled arrays, from one start."""
    from minikeras.backend.indexed_slices import IndexedSlices
    gen = np.random.default_rng(4)
    start = np.array(gen.normal(size=shape).astype("float32"), order=order)
    sparse, dense = start.copy(order=order), start.copy(order=order)
    sparse_opt, dense_opt = Adam(**opt_args), Adam(**opt_args)
    for _ in range(steps):
        rows = np.unique(gen.integers(0, shape[0], shape[0] // 3))
        values = gen.normal(size=(len(rows),) + shape[1:]).astype("float32")
        full = np.zeros(shape, "float32")
        full[rows] = values
        sparse_opt.apply_gradients([(IndexedSlices(values, rows, shape), sparse)])
        dense_opt.apply_gradients([(full, dense)])
    return start, sparse, dense, sparse_opt, dense_opt


@pytest.mark.parametrize("opt_args", [{}, {"amsgrad": True}, {"clipnorm": 0.1}, {"clipvalue": 0.05},
                                      {"global_clipnorm": 0.1}], ids=["default", "amsgrad", "clipnorm",
                                                                     "clipvalue", "global_clipnorm"])
@pytest.mark.parametrize("shape, order", [((900, 100), "C"), ((900, 100), "F"), ((50, 4), "C")],
                         ids=["3-blocks", "fortran-order", "one-block"])
def test_an_embeddings_rows_update_as_the_zero_filled_gradient(opt_args, shape, order):
    # tf_keras's formula for IndexedSlices (decay everywhere, add at the rows) is the dense one up
    # to rounding; (900, 100) runs in blocks of 327 rows, and the moments must agree as well
    start, sparse, dense, sparse_opt, dense_opt = _sparse_and_dense_steps(opt_args, shape, order=order)
    assert not np.allclose(sparse, start, rtol=0, atol=1e-6)           # the updates happened
    np.testing.assert_allclose(sparse, dense, rtol=1e-6, atol=1e-7)
    for a, b in zip(sparse_opt.get_weights()[1:], dense_opt.get_weights()[1:]):   # m = m - m*c + g*c against
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6 * np.abs(b).max())  # m + (g - m)*c: rounding


@pytest.mark.parametrize("amsgrad", [False, True])
def test_an_embeddings_rows_update_as_tf_keras_applies_indexed_slices(amsgrad):
    # 3000 rows of 16 run in 2 blocks of 2048 rows
    tk = pytest.importorskip("tf_keras", reason="tf_keras (real Keras 2) is not installed")
    import tensorflow as tf
    from minikeras.backend.indexed_slices import IndexedSlices
    gen = np.random.default_rng(5)
    start = gen.normal(size=(3000, 16)).astype("float32")
    ours, theirs = start.copy(), tf.Variable(start)
    opt, tf_opt = Adam(amsgrad=amsgrad), tk.optimizers.Adam(amsgrad=amsgrad)
    for _ in range(4):
        rows = np.unique(gen.integers(0, 3000, 1000))
        values = gen.normal(size=(len(rows), 16)).astype("float32")
        opt.apply_gradients([(IndexedSlices(values, rows, start.shape), ours)])
        tf_opt.apply_gradients([(tf.IndexedSlices(tf.constant(values), tf.constant(rows), start.shape), theirs)])
    assert not np.allclose(ours, start, rtol=0, atol=1e-4)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-6, atol=1e-6)   # float32: alpha is rounded apart


@pytest.mark.parametrize("make", ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "own-formula-Adam"])
def test_other_optimizers_fill_in_the_rows_and_update_as_before(make):
    from minikeras import optimizers
    from minikeras.backend.indexed_slices import IndexedSlices

    class DecayingAdam(Adam):                                          # its own update_step: used for rows too
        def update_step(self, grad, param, slots, lr):
            super().update_step(grad, param, slots, lr)
            param *= 0.9

    def new():
        if make == "own-formula-Adam":
            return DecayingAdam()
        return optimizers.SGD(0.1, momentum=0.9) if make == "SGD" else getattr(optimizers, make)()
    gen = np.random.default_rng(6)
    a, b = np.ones((10, 4), "float32"), np.ones((10, 4), "float32")
    sparse_opt, dense_opt = new(), new()                               # one optimizer per series: momentum carries
    for _ in range(3):
        rows, values = np.array([0, 5, 7]), gen.normal(size=(3, 4)).astype("float32")
        full = np.zeros((10, 4), "float32")
        full[rows] = values
        sparse_opt.apply_gradients([(IndexedSlices(values, rows, (10, 4)), a)])
        dense_opt.apply_gradients([(full, b)])
    assert np.array_equal(a, b) and not np.array_equal(a, np.ones((10, 4)))
