"""Tests for minikeras.losses: values and gradients against tf_keras 2.21, finite differences,
the softmax/sigmoid fusion, label checks and the name table.

Every TF_* constant below was recorded from tf_keras 2.21 (TensorFlow 2.21, CPU, float32) with
``TF_CPP_MIN_LOG_LEVEL=3 /opt/venv/bin/python`` and this snippet, for each case
``(name, fn, kwargs, y, p)`` of CASES::

    import numpy as np, tensorflow as tf, tf_keras as keras
    p = tf.constant(np.array(p, 'float32')); y = np.array(y)  # float32 unless int labels
    with tf.GradientTape() as t:
        t.watch(p); v = getattr(keras.losses, fn)(y, p, **kwargs); s = tf.reduce_sum(v)
    print(v.numpy(), t.gradient(s, p).numpy())          # value, d(sum)/d(y_pred)
"""
import numpy as np
import pytest

from minikeras import activations, losses

# ----------------------------------------------------------------------------- fixed inputs
Y_CAT = [[0., 1., 0.], [1., 0., 0.], [0., 0., 1.], [0., 1., 0.]]
P_CAT = [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [1.0, 0.0, 0.0], [0.5, 0.2, 0.1]]   # row 2: saturated, row 3: sums to 0.8
LOGITS = [[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0], [1000.0, 0.0, 0.0], [0.3, -0.2, 0.1]]
Y_SPARSE = [1, 0, 2, 1]
Y_BIN = [[0., 1.], [1., 1.], [0., 0.], [1., 0.]]
P_BIN = [[0.1, 0.8], [1.0, 0.0], [0.3, 0.6], [0.5, 0.999]]                     # row 1: both clipped
Z_BIN = [[2.0, -1.0], [50.0, -50.0], [0.0, 3.0], [-0.5, 20.0]]
Y_REG = [[1.0, -2.0, 0.5], [0.0, 3.0, 2.0]]                                    # a zero target (mape)
P_REG = [[0.5, -1.0, 1.5], [0.2, 2.0, -1.0]]                                   # negatives (msle clips)
Y_HINGE01 = [[0., 1., 1.], [1., 0., 0.]]
Y_HINGE_PM = [[-1., 1., 1.], [1., -1., -1.]]
Y_HINGE_OTHER = [[0.5, 1., 0.], [1., 0., 0.]]                                  # not all 0/1: no conversion
P_HINGE = [[0.3, -0.5, 2.0], [0.8, -1.5, 0.1]]
Y_KL = [[0.2, 0.8, 0.0], [0.5, 0.25, 0.25]]
P_KL = [[0.3, 0.7, 0.0], [0.1, 0.6, 0.3]]
Y_POI = [[1.0, 0.0, 2.0], [3.0, 1.0, 0.0]]
P_POI = [[0.5, 0.1, 2.5], [2.0, 0.0, 1.0]]
Y_COS = [[1.0, 2.0, 2.0], [0.0, 0.0, 0.0]]                                     # a zero row
P_COS = [[2.0, 1.0, 1.0], [1.0, 1.0, 1.0]]

CASES = {  # key: (tf_keras function name, kwargs, y_true, y_pred)
    "cce": ("categorical_crossentropy", {}, Y_CAT, P_CAT),
    "cce_ls0.1": ("categorical_crossentropy", {"label_smoothing": 0.1}, Y_CAT, P_CAT),
    "cce_logits": ("categorical_crossentropy", {"from_logits": True}, Y_CAT, LOGITS),
    "cce_logits_ls0.1": ("categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, Y_CAT, LOGITS),
    "scce": ("sparse_categorical_crossentropy", {}, Y_SPARSE, P_CAT),
    "scce_col": ("sparse_categorical_crossentropy", {}, [[1], [0], [2], [1]], P_CAT),
    "scce_float": ("sparse_categorical_crossentropy", {}, [1.0, 0.0, 2.0, 1.0], P_CAT),
    "scce_logits": ("sparse_categorical_crossentropy", {"from_logits": True}, Y_SPARSE, LOGITS),
    "bce": ("binary_crossentropy", {}, Y_BIN, P_BIN),
    "bce_ls0.2": ("binary_crossentropy", {"label_smoothing": 0.2}, Y_BIN, P_BIN),
    "bce_logits": ("binary_crossentropy", {"from_logits": True}, Y_BIN, Z_BIN),
    "bce_logits_ls0.2": ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, Y_BIN, Z_BIN),
    "mean_squared_error": ("mean_squared_error", {}, Y_REG, P_REG),
    "mean_absolute_error": ("mean_absolute_error", {}, Y_REG, P_REG),
    "mean_absolute_percentage_error": ("mean_absolute_percentage_error", {}, Y_REG, P_REG),
    "mean_squared_logarithmic_error": ("mean_squared_logarithmic_error", {}, Y_REG, P_REG),
    "log_cosh": ("log_cosh", {}, Y_REG, P_REG),
    "huber": ("huber", {}, Y_REG, P_REG),
    "hinge_01": ("hinge", {}, Y_HINGE01, P_HINGE),
    "hinge_pm": ("hinge", {}, Y_HINGE_PM, P_HINGE),
    "hinge_other": ("hinge", {}, Y_HINGE_OTHER, P_HINGE),
    "squared_hinge_01": ("squared_hinge", {}, Y_HINGE01, P_HINGE),
    "squared_hinge_pm": ("squared_hinge", {}, Y_HINGE_PM, P_HINGE),
    "squared_hinge_other": ("squared_hinge", {}, Y_HINGE_OTHER, P_HINGE),
    "categorical_hinge": ("categorical_hinge", {}, Y_CAT, LOGITS),
    "categorical_hinge_tie": ("categorical_hinge", {}, [[0., 1., 0., 0.]], [[0.5, 0.2, 0.5, 0.1]]),
    "kld": ("kl_divergence", {}, Y_KL, P_KL),
    "poisson": ("poisson", {}, Y_POI, P_POI),
    "cosine_similarity": ("cosine_similarity", {}, Y_COS, P_COS),
}

# Recorded from tf_keras 2.21 (see the module docstring): (per-sample value, flattened gradient).
TF = {
    "cce": ([0.693147182, 0.510825574, 16.1180954, 1.38629436],
            [0.99999994, -0.99999994, 0.99999994, -0.666666627, 1, 1, 0, 0, 0, 1.25, -3.75, 1.25]),
    "cce_ls0.1": ([0.740717709, 0.593655825, 15.5808258, 1.3788563],
                  [0.833333313, -0.866666555, 0.888888896, -0.555555463, 0.888889015, 0.666666746, 0, 0, 0,
                   1.18333316, -3.41666651, 0.916666508]),
    "cce_logits": ([0.46436879, 4.06588411, 1000, 1.38593936],
                   [0.231223896, -0.371468306, 0.14024438, -0.982852161, 0.0466126241, 0.936239541, 1, 0, -1,
                    0.412326664, -0.749911189, 0.337584496]),
    "cce_logits_ls0.1": ([0.547702134, 3.89921737, 966.666626, 1.35927284],
                         [0.197890565, -0.304801643, 0.106911048, -0.916185498, 0.013279289, 0.902906179,
                          0.966666639, -0.0333333351, -0.933333337, 0.378993332, -0.683244586, 0.304251164]),
    "scce": ([0.693147182, 0.510825574, 16.1180954, 1.38629436],
             [1, -0.99999994, 0.99999994, -0.666666627, 0.99999994, 0.99999994, 0, 0, 0, 1.25000012, -3.75, 1.25]),
    "scce_col": ([0.693147182, 0.510825574, 16.1180954, 1.38629436],
                 [1, -0.99999994, 0.99999994, -0.666666627, 0.99999994, 0.99999994, 0, 0, 0, 1.25000012, -3.75,
                  1.25]),
    "scce_float": ([0.693147182, 0.510825574, 16.1180954, 1.38629436],
                   [1, -0.99999994, 0.99999994, -0.666666627, 0.99999994, 0.99999994, 0, 0, 0, 1.25000012,
                    -3.75, 1.25]),
    "scce_logits": ([0.46436879, 4.06588411, 1000, 1.38593936],
                    [0.231223896, -0.371468306, 0.14024438, -0.982852161, 0.0466126241, 0.936239541, 1, 0, -1,
                     0.412326664, -0.749911189, 0.337584496]),
    "bce": ([0.164251894, 7.71247435, 0.636482716, 3.80040741],
            [0.555555522, -0.62499994, 0, 0, 0.714285612, 1.24999988, -0.999999702, 499.956421]),
    "bce_ls0.2": ([0.343427777, 7.7078886, 0.658574283, 3.45507431],
                  [4.47034836e-07, -0.312500149, 0, 0, 0.476190388, 1.04166651, -0.799999833, 449.910706]),
    "bce_logits": ([1.72009492, 25, 1.87086725, 10.4870386],
                   [0.440398544, -0.365529299, -9.64374884e-23, -0.5, 0.25, 0.476287067, -0.311229646, 0.5]),
    "bce_logits_ls0.2": ([1.57009482, 25, 1.72086728, 9.46203804],
                         [0.390398532, -0.315529287, 0.0499999821, -0.450000018, 0.200000003, 0.426287055,
                          -0.261229694, 0.449999988]),
    "mean_squared_error": ([0.75, 3.34666657],
                           [-0.333333343, 0.666666687, 0.666666687, 0.13333334, -0.666666687, -2]),
    "mean_absolute_error": ([0.833333313, 1.39999998],
                            [-0.333333343, 0.333333343, 0.333333343, 0.333333343, -0.333333343, -0.333333343]),
    "mean_absolute_percentage_error": ([100, 66666732],
                                       [-33.3333321, 16.666666, 66.6666641, 333333312, -11.1111107, -16.666666]),
    "mean_squared_logarithmic_error": ([0.114567935, 0.440983623],
                                       [-0.127858713, 0, 0.136220172, 0.101289712, -0.0639293492, 0]),
    "log_cosh": ([0.329225332, 0.920992553],
                 [-0.154039055, 0.253864735, 0.253864735, 0.0657917857, -0.253864735, -0.331684917]),
    "huber": ([0.375, 1.00666666],
              [-0.166666672, 0.333333343, 0.333333343, 0.0666666701, -0.333333343, -0.333333343]),
    "hinge_01": ([0.933333337, 0.433333308], [0.333333343, -0.333333343, 0, -0.333333343, 0, 0.333333343]),
    "hinge_pm": ([0.933333337, 0.433333308], [0.333333343, -0.333333343, 0, -0.333333343, 0, 0.333333343]),
    "hinge_other": ([1.11666667, 0.733333349], [-0.166666672, -0.333333343, 0, -0.333333343, 0, 0]),
    "squared_hinge_01": ([1.31333327, 0.416666657], [0.866666675, -1, 0, -0.133333325, 0, 0.733333349]),
    "squared_hinge_pm": ([1.31333327, 0.416666657], [0.866666675, -1, 0, -0.133333325, 0, 0.733333349]),
    "squared_hinge_other": ([1.32416666, 0.680000007], [-0.283333361, -1, 0, -0.133333325, 0, 0]),
    "categorical_hinge": ([0, 5, 1001, 1.5], [1, -1, 0, -1, 0, 1, 1, 0, -1, 1, -1, 0]),
    "categorical_hinge_tie": ([1.29999995], [0.5, -1, 0.5, 0]),
    "kld": ([0.0257321149, 0.540271401], [-0.666666746, -1.14285719, 0, -5, -0.416666657, -0.833333313]),
    "poisson": ([0.653521836, 5.6795516],
                [-0.333333164, 0.333333343, 0.0666666627, -0.166666657, -3333333.25, 0.333333343]),
    "cosine_similarity": ([-0.816496611, 0], [0.136082739, -0.136082783, -0.136082783, 0, 0, 0]),
}


def _arrays(y, p):
    y = np.array(y) if isinstance(y[0], int) else np.array(y, dtype="float32")
    return y, np.array(p, dtype="float32")


# ----------------------------------------------------------------------------- against tf_keras
@pytest.mark.parametrize("case", sorted(CASES))
def test_value_matches_tf_keras(case):
    name, kwargs, y, p = CASES[case]
    y, p = _arrays(y, p)
    value = getattr(losses, name)(y, p, **kwargs)
    assert value.dtype == np.float32 and value.shape == p.shape[:-1]
    np.testing.assert_allclose(value, TF[case][0], rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradient_matches_tf_keras_autodiff(case):
    """Includes the clipped entries (gradient 0) and kinks that finite differences cannot check."""
    name, kwargs, y, p = CASES[case]
    y, p = _arrays(y, p)
    grad = losses.gradient(getattr(losses, name))(y, p, **kwargs)
    assert grad.dtype == np.float32 and grad.shape == p.shape
    np.testing.assert_allclose(grad.ravel(), TF[case][1], rtol=2e-6, atol=1e-6)


def test_saturated_probabilities_are_clipped():
    # tf_keras 2.21 standalone calls on probability arrays (recorded, see KERAS_BEHAVIOUR.md 5.3):
    # cce([[0,1]], [[1,0]]) = scce([1], [[1,0]]) = 16.118095; bce([[0]], [[1]]) = 15.333239;
    # bce([[1]], [[0]]) = 15.424949.
    np.testing.assert_allclose(losses.categorical_crossentropy([[0., 1.]], [[1., 0.]]), [16.118095], rtol=1e-6)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([1], [[1., 0.]]), [16.118095], rtol=1e-6)
    np.testing.assert_allclose(losses.binary_crossentropy([[0.]], [[1.]]), [15.333239], rtol=1e-6)
    np.testing.assert_allclose(losses.binary_crossentropy([[1.]], [[0.]]), [15.424949], rtol=1e-6)


# ----------------------------------------------------------------------------- finite differences
def _smooth_inputs(name, rng):
    """float64 inputs away from clips, kinks and ties for each loss."""
    shape = (4, 3)
    if name in ("categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence"):
        p = rng.uniform(0.2, 0.9, shape)                 # renormalised rows stay inside [eps, 1-eps]
        y = rng.uniform(0.0, 1.0, shape)                 # soft labels exercise the general formula
        return (rng.integers(0, 3, 4) if name.startswith("sparse") else y), p
    if name == "binary_crossentropy":
        return rng.uniform(0, 1, shape), rng.uniform(0.05, 0.95, shape)
    if name in ("mean_squared_logarithmic_error", "poisson"):
        return rng.uniform(0, 3, shape), rng.uniform(0.5, 3, shape)
    if name == "mean_absolute_percentage_error":
        y = rng.uniform(1, 3, shape) * rng.choice([-1, 1], shape)
        return y, y + rng.uniform(0.2, 1, shape) * rng.choice([-1, 1], shape)
    if name in ("hinge", "squared_hinge"):
        y = rng.choice([0.0, 1.0], shape)
        p = rng.uniform(0.2, 0.8, shape) * rng.choice([-1, 1], shape)  # 1 - y'p stays away from 0
        return y, p
    if name == "categorical_hinge":
        return np.eye(3)[[0, 1, 2, 0]], np.array([[0.3, 1.0, -1.], [2., 0.1, 1.5], [-1., 0.5, 0.6], [3., 2.5, 0.]])
    y = rng.normal(size=shape)                           # mse, mae, log_cosh, huber, cosine
    e = rng.choice([0.3, 0.6, 1.5, 2.5], shape) * rng.choice([-1, 1], shape)  # |e| away from 0 and delta=1
    return y, y + e


FD_CASES = [(n, {}) for n in (
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "log_cosh", "huber", "poisson", "cosine_similarity", "hinge",
    "squared_hinge", "categorical_hinge", "kl_divergence", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_crossentropy")] + [
    ("categorical_crossentropy", {"label_smoothing": 0.1}), ("categorical_crossentropy", {"from_logits": True}),
    ("sparse_categorical_crossentropy", {"from_logits": True}), ("binary_crossentropy", {"from_logits": True}),
    ("binary_crossentropy", {"label_smoothing": 0.2}), ("huber", {"delta": 0.5})]


def _numeric_gradient(f, p, h=1e-6):
    g = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        g[i] = (np.sum(f(up)) - np.sum(f(down))) / (2 * h)
    return g


@pytest.mark.parametrize("name,kwargs", FD_CASES, ids=[f"{n}{k or ''}" for n, k in FD_CASES])
def test_gradient_matches_finite_differences(name, kwargs):
    rng = np.random.default_rng(7)
    y, p = _smooth_inputs(name, rng)
    if kwargs.get("from_logits"):
        p = rng.normal(scale=3, size=p.shape)
    if name == "huber" and kwargs:
        p = y + rng.choice([0.2, 0.8], p.shape) * rng.choice([-1, 1], p.shape)
    fn = getattr(losses, name)
    numeric = _numeric_gradient(lambda q: fn(y, q, **kwargs), p)
    analytic = losses.gradient(fn)(y, p, **kwargs)
    assert analytic.dtype == np.float64 and analytic.shape == p.shape
    assert np.abs(analytic).max() > 1e-3                # not trivially zero
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_gradient_sums_over_broadcast_labels():
    y, p = np.array([[1., 2., 3.], [0., 1., -1.]]), np.array([[0.5], [2.0]])
    grad = losses.gradient(losses.mse)(y, p)
    assert grad.shape == (2, 1)
    np.testing.assert_allclose(grad, _numeric_gradient(lambda q: losses.mse(y, q), p), rtol=1e-6)


# ----------------------------------------------------------------------------- fusion
def test_fused_pairs_and_non_pairs():
    assert losses.fused(losses.categorical_crossentropy, activations.softmax) is not None
    assert losses.fused(losses.sparse_categorical_crossentropy, activations.softmax) is not None
    assert losses.fused(losses.binary_crossentropy, activations.sigmoid) is not None
    assert losses.fused(losses.bce, "sigmoid") is not None
    assert losses.fused(losses.categorical_crossentropy, activations.sigmoid) is None
    assert losses.fused(losses.binary_crossentropy, activations.softmax) is None
    assert losses.fused(losses.mse, activations.softmax) is None
    assert losses.fused(losses.categorical_crossentropy, activations.relu) is None
    assert losses.fused(losses.categorical_crossentropy, None) is None

    def softmax(x):  # a user's own function of the same name is not Keras's softmax
        return activations.softmax(x)
    assert losses.fused(losses.categorical_crossentropy, softmax) is None


# tf_keras 2.21, recorded: Dense(2, softmax) with kernel [[1000, 0]], zero bias, x = 1, y = class 1:
# model.evaluate -> loss 1000.0 and metrics categorical_crossentropy/crossentropy 1000.0 (and the same
# with Dense + Activation('softmax')); one SGD(1.0) step moves the kernel to [[999, 1]], i.e.
# d loss / d logits = [1, -1]. Same for sparse_categorical_crossentropy with label 1. Dense(1, sigmoid)
# with kernel [[50]], y = 0: loss 50.0, kernel after the step [[49]] (gradient 1). Snippet:
#   m = keras.Sequential([keras.layers.Dense(2, activation='softmax', input_shape=(1,))])
#   m.layers[0].set_weights([np.array([[1000., 0.]], 'float32'), np.zeros(2, 'float32')])
#   m.compile(keras.optimizers.SGD(1.0), 'categorical_crossentropy', metrics=['categorical_crossentropy'])
#   m.evaluate(np.ones((2, 1)), np.array([[0., 1.]] * 2), return_dict=True)
TF_SATURATED_LOSS = {"categorical_crossentropy": 1000.0, "sparse_categorical_crossentropy": 1000.0,
                     "binary_crossentropy": 50.0}
TF_SATURATED_GRAD = {"categorical_crossentropy": [1.0, -1.0], "sparse_categorical_crossentropy": [1.0, -1.0],
                     "binary_crossentropy": [1.0]}
SATURATED = {  # loss name: (activation, y_true, logits)
    "categorical_crossentropy": (activations.softmax, np.array([[0., 1.]], "float32"), [[1000., 0.]]),
    "sparse_categorical_crossentropy": (activations.softmax, np.array([1]), [[1000., 0.]]),
    "binary_crossentropy": (activations.sigmoid, np.array([[0.]], "float32"), [[50.]]),
}


@pytest.mark.parametrize("name", sorted(SATURATED))
def test_fused_saturated_matches_tf_keras(name):
    activation, y, z = SATURATED[name]
    z = np.array(z, "float32")
    value_fn, grad_fn = losses.fused(getattr(losses, name), activation)
    value = value_fn(y, z)
    assert value.dtype == np.float32 and value.shape == (1,)
    np.testing.assert_allclose(value, [TF_SATURATED_LOSS[name]], rtol=1e-7)
    np.testing.assert_allclose(grad_fn(y, z).ravel(), TF_SATURATED_GRAD[name], atol=1e-7)
    # ... whereas the probability path clips: 16.118 / 15.333 and a zero gradient.
    probs = activation(z)
    assert getattr(losses, name)(y, probs)[0] < 16.2
    assert np.all(losses.gradient(getattr(losses, name))(y, probs) == 0)


@pytest.mark.parametrize("name", sorted(SATURATED))
def test_fused_equals_unfused_and_finite_differences_for_moderate_logits(name):
    activation, _, _ = SATURATED[name]
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4))
    y = rng.integers(0, 4, 5) if name.startswith("sparse") else (
        np.eye(4)[rng.integers(0, 4, 5)] if name.startswith("categorical") else rng.integers(0, 2, (5, 4)) * 1.0)
    value_fn, grad_fn = losses.fused(getattr(losses, name), activation)
    np.testing.assert_allclose(value_fn(y, z), getattr(losses, name)(y, activation(z)), rtol=1e-6)
    np.testing.assert_allclose(grad_fn(y, z), _numeric_gradient(lambda q: value_fn(y, q), z), rtol=1e-5, atol=1e-8)


def test_fused_categorical_gradient_is_softmax_times_label_sum_minus_labels():
    y, z = np.array([[0.2, 0.3, 0.1]]), np.array([[1.0, -1.0, 0.5]])
    _, grad_fn = losses.fused(losses.categorical_crossentropy, activations.softmax)
    np.testing.assert_allclose(grad_fn(y, z), activations.softmax(z) * 0.6 - y, rtol=1e-12)


# ----------------------------------------------------------------------------- labels and shapes
@pytest.mark.parametrize("labels,bad", [([1, 0, 3, 1], 3), ([1, -1, 2, 1], -1), ([[1], [0], [7.0], [1]], 7)])
def test_sparse_labels_out_of_range(labels, bad):
    # tf_keras 2.21 raises InvalidArgumentError "Received a label value of 3 which is outside the
    # valid range of [0, 3)" (recorded); minikeras raises ValueError naming y_true and the range.
    with pytest.raises(ValueError, match=rf"y_true.*label {bad}\b.*\[0, 3\)"):
        losses.sparse_categorical_crossentropy(labels, np.array(P_CAT, "float32"))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        losses.gradient(losses.sparse_categorical_crossentropy)(labels, np.array(P_CAT, "float32"))


def test_sparse_labels_bad_shape_and_one_hot_hint():
    with pytest.raises(ValueError, match="y_true.*shape"):
        losses.sparse_categorical_crossentropy(np.array(Y_CAT), np.array(P_CAT))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.categorical_crossentropy(np.array(Y_SPARSE), np.array(P_CAT))


def test_rank_of_labels_matched_as_in_compile():
    # tf_keras's compile expands (batch,) labels to (batch, 1) before the loss (match_dtype_and_rank);
    # a bare tf_keras call would broadcast to (3, 3) and give [1.667, 0.667, 4.667] (recorded).
    np.testing.assert_allclose(losses.mse([1., 2., 3.], [[1.], [2.], [4.]]), [0., 0., 1.])
    assert losses.gradient(losses.mse)([1., 2., 3.], [[1.], [2.], [4.]]).shape == (3, 1)
    with pytest.raises(ValueError, match="does not fit"):
        losses.mse(np.zeros((2, 3)), np.zeros((2, 4)))


def test_dtypes():
    assert losses.mse([[1, 2]], [[1, 3]]).dtype == np.float32          # ints and lists -> floatx
    assert losses.mse(np.zeros((1, 2)), np.ones((1, 2))).dtype == np.float64  # float64 kept, as tf does
    assert losses.gradient(losses.mse)([[1, 2]], [[1, 3]]).dtype == np.float32


# ----------------------------------------------------------------------------- names
# Recorded from tf_keras 2.21: tf_keras.losses.get(name).__name__ for each name (cosine_proximity is
# refused there, but it is Keras 2's name and tf_keras.metrics accepts it).
TF_LOSS_NAMES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error", "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error", "kld": "kl_divergence", "KLD": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence", "logcosh": "log_cosh", "log_cosh": "log_cosh",
    "bce": "binary_crossentropy", "BCE": "binary_crossentropy", "huber": "huber", "huber_loss": "huber",
    "hinge": "hinge", "squared_hinge": "squared_hinge", "categorical_hinge": "categorical_hinge",
    "poisson": "poisson", "cosine_similarity": "cosine_similarity",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "binary_crossentropy": "binary_crossentropy",
}


@pytest.mark.parametrize("alias,canonical", sorted(TF_LOSS_NAMES.items()))
def test_aliases(alias, canonical):
    fn = losses.get(alias)
    assert fn is getattr(losses, canonical) and losses.serialize(fn) == canonical
    assert getattr(losses, alias) is fn


def test_cosine_proximity_is_keras2_name_for_the_loss():
    assert losses.get("cosine_proximity") is losses.cosine_similarity


def test_get_errors_and_callables():
    with pytest.raises(ValueError, match="Unknown loss 'mean_square_error'.*mean_squared_error"):
        losses.get("mean_square_error")
    with pytest.raises(TypeError, match="loss must be"):
        losses.get(3)

    def my_loss(y_true, y_pred):
        return np.mean(np.abs(y_pred - y_true), axis=-1)
    assert losses.get(my_loss) is my_loss
    y_true, y_pred = np.array([[0.0, 1.0]]), np.array([[0.5, 3.0]])
    np.testing.assert_allclose(losses.gradient(my_loss)(y_true, y_pred), [[0.5, 0.5]])  # from the tape
    my_loss.gradient = lambda y_true, y_pred: np.sign(y_pred - y_true) / y_pred.shape[-1]
    assert losses.gradient(my_loss) is my_loss.gradient
    assert losses.serialize(my_loss) == "my_loss"


def test_every_table_entry_has_a_gradient():
    for name, fn in losses.LOSSES.items():
        assert callable(losses.gradient(fn)), name


# ----------------------------------------------------------------------------- live check
def test_live_against_tf_keras():
    tf_keras = pytest.importorskip("tf_keras")
    for case, (name, kwargs, y, p) in CASES.items():
        y, p = _arrays(y, p)
        expected = getattr(tf_keras.losses, name)(y, p, **kwargs).numpy()
        np.testing.assert_allclose(getattr(losses, name)(y, p, **kwargs), expected, rtol=2e-6, atol=1e-6,
                                   err_msg=case)


def test_custom_k_op_loss_trains_as_the_built_in_one(tmp_path):
    """A loss written with K ops is differentiated by the tape: same training as the built-in mse."""
    from minikeras import backend as K
    from minikeras import layers, models, optimizers

    def my_mse(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    class MyMSE(losses.Loss):
        def call(self, y_true, y_pred):
            return K.mean(K.square(y_pred - y_true), axis=-1)

    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    histories = []
    for loss in ["mse", my_mse, MyMSE()]:
        K.set_seed(0)
        model = models.Sequential([layers.Dense(2, input_shape=(3,))])
        model.compile(optimizers.SGD(0.1), loss)
        histories.append(model.fit(x, 2 * x[:, :2], epochs=3, verbose=0, shuffle=False).history["loss"])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-6)
    np.testing.assert_allclose(histories[2], histories[0], rtol=1e-6)
    model.save(tmp_path / "m.h5")
    loaded = models.load_model(tmp_path / "m.h5", custom_objects={"MyMSE": MyMSE})
    assert isinstance(loaded.loss, MyMSE)
    assert MyMSE()(np.zeros((2, 1)), np.array([[1.0], [3.0]])) == pytest.approx(5.0)


@pytest.mark.parametrize("name", ["mse", "categorical_crossentropy", "binary_crossentropy", "huber", "kld",
                                  "cosine_similarity", "categorical_hinge"])
def test_custom_loss_built_from_a_built_in_one_has_its_gradient(name):
    fn = losses.get(name)
    rng = np.random.default_rng(0)
    y_true = np.eye(3, dtype="float32")[[0, 2, 1, 1]]
    y_pred = rng.uniform(0.1, 0.9, (4, 3)).astype("float32")

    def doubled(t, p):
        return 2 * fn(t, p)

    np.testing.assert_allclose(losses.gradient(doubled)(y_true, y_pred), 2 * fn.gradient(y_true, y_pred), rtol=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "mean_squared_error", "categorical_crossentropy"])
def test_symbolic_tensors_are_refused_by_name(name):
    from minikeras.layers import Dense, Input
    inputs = Input(shape=(4,))
    outputs = Dense(4, activation="sigmoid")(inputs)
    with pytest.raises(TypeError, match=rf"minikeras has no symbolic losses: {name}\(\) was called on symbolic"):
        losses.get(name)(inputs, outputs)
