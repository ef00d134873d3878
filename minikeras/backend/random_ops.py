"""Keras 2's random ``K`` functions: arrays (and variables) of random numbers.

Unseeded, they draw from ``backend.rng()`` (so ``utils.set_random_seed`` makes them repeat);
with ``seed=`` each call gives the same numbers. The draws are those of the matching
initializers (``RandomUniform``, ``RandomNormal``, ``TruncatedNormal``).

>>> random_uniform((2, 3), seed=1).shape
(2, 3)
>>> bool((random_binomial((1000,), p=0.0, seed=0) == 0).all())
True
"""
import numpy as np

from .config import floatx, rng
from .variables import variable


def _initializers():
    from .. import initializers   # the initializers use the backend: look them up when called
    return initializers


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniform numbers in ``[minval, maxval)``.

    Args:
        shape: the array's shape.
        minval, maxval: the range.
        dtype: a float dtype; None is ``floatx()``.
        seed: an int for the same numbers on every call; None draws from ``backend.rng()``.

    Returns:
        numpy.ndarray of ``shape``.
    """
    return _initializers().RandomUniform(minval, maxval, seed)(shape, dtype or floatx())


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal numbers with ``mean`` and ``stddev``.

    Args:
        shape: the array's shape.
        mean, stddev: of the distribution.
        dtype: a float dtype; None is ``floatx()``.
        seed: an int for the same numbers on every call; None draws from ``backend.rng()``.

    Returns:
        numpy.ndarray of ``shape``.
    """
    return _initializers().RandomNormal(mean, stddev, seed)(shape, dtype or floatx())


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal numbers, re-drawn where they fall more than two ``stddev`` from ``mean``.

    Args:
        shape: the array's shape.
        mean, stddev: of the distribution before truncation.
        dtype: a float dtype; None is ``floatx()``.
        seed: an int for the same numbers on every call; None draws from ``backend.rng()``.

    Returns:
        numpy.ndarray of ``shape``.
    """
    return _initializers().TruncatedNormal(mean, stddev, seed)(shape, dtype or floatx())


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """1 with probability ``p``, else 0.

    Args:
        shape: the array's shape.
        p: the probability of a 1.
        dtype: the dtype; None is ``floatx()``.
        seed: an int for the same numbers on every call; None draws from ``backend.rng()``.

    Returns:
        numpy.ndarray of ``shape``.
    """
    generator = rng() if seed is None else np.random.default_rng(seed)
    return (generator.random(tuple(shape)) < p).astype(dtype or floatx())


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A :class:`~minikeras.backend.Variable` of uniform numbers in ``[low, high)`` (arguments as
    :func:`random_uniform`, plus the variable's ``name``)."""
    return variable(random_uniform(shape, low, high, dtype, seed), dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A :class:`~minikeras.backend.Variable` of normal numbers with ``mean`` and std ``scale``
    (arguments as :func:`random_normal`, plus the variable's ``name``)."""
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype=dtype, name=name)
