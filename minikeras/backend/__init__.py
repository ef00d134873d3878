"""The ``K`` functions that callback, metric and loss code uses, on NumPy arrays.

Keras code written for ``import keras.backend as K`` calls ``K.mean``, ``K.epsilon``,
``K.get_value(model.optimizer.lr)`` and friends. Here every tensor is a NumPy array, so
these are thin, documented wrappers; the few pieces of real state (the fuzz factor, the
name counters, the random generator, :class:`Variable`) also live here.

On the autodiff tape's tensors (:mod:`~minikeras.backend.autodiff`) the same functions are
recorded, each with the gradient written in :mod:`~minikeras.backend.vjps`: that is how custom
layers, custom losses and ``Lambda`` layers are differentiated. ``K.placeholder``,
``K.function`` and ``K.gradients`` (:mod:`~minikeras.backend.graph`) replay that record.

>>> import minikeras.backend as K
>>> float(K.mean(K.square(K.constant([1.0, 2.0]))))
2.5
"""
from . import missing_ops
from .array_ops import (
    arange, batch_dot, count_params, cumprod, cumsum, eye, identity, is_keras_tensor, is_sparse, logsumexp,
    print_tensor, repeat, reverse, spatial_2d_padding, temporal_padding, to_dense)
from .config import (
    backend, clear_session, epsilon, floatx, get_uid, image_data_format, normalize_data_format, reset_uids, rng,
    set_epsilon, set_floatx, set_image_data_format, set_seed)
from .graph import (
    Function, Placeholder, SymbolicGradient, eval, function, gradients, in_test_phase, in_train_phase,
    learning_phase, ones, placeholder, register_evaluator, set_learning_phase, tape_gradient, zeros)
from .nn import (
    bias_add, binary_crossentropy, categorical_crossentropy, elu, gather, hard_sigmoid, relu, sigmoid, softmax,
    softplus, softsign, sparse_categorical_crossentropy)
from .ops import (  # noqa: A004 - Keras's names shadow builtins on purpose
    abs, all, any, argmax, argmin, batch_flatten, cast, cast_to_floatx, clip, concatenate, constant, cos, dot,
    dtype, equal, exp, expand_dims, flatten, greater, greater_equal, in_top_k, int_shape, l2_normalize, less,
    less_equal, log, max, maximum, mean, min, minimum, ndim, not_equal, one_hot, ones_like, permute_dimensions, pow,
    prod, repeat_elements, reshape, round, shape, sign, sin, sqrt, square, squeeze, stack, std, stop_gradient, sum,
    switch, tanh, tile, transpose, var, zeros_like)
from .random_ops import (
    random_binomial, random_normal, random_normal_variable, random_uniform, random_uniform_variable, truncated_normal)
from .variables import (
    Variable, batch_get_value, batch_set_value, get_value, set_value, update, update_add, update_sub, variable)


def __getattr__(name):
    """A Keras 2 ``K`` function minikeras lacks (``K.conv2d``, ``K.rnn``, ...) is a function that
    says so when called, with what to use instead (:mod:`.missing_ops`)."""
    if name in missing_ops.MISSING:
        return missing_ops.MISSING[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
