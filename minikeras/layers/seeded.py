"""``SeededLayer``: the random generator of a layer that draws noise (Dropout and the noise layers).

Without ``seed`` the layer draws from ``backend.rng()`` on every call (so ``utils.set_random_seed``
reproduces it). With ``seed`` it owns a generator, ``np.random.default_rng(seed)``, made at its
first draw; :attr:`SeededLayer.rng` exposes it, so that ``BackupAndRestore`` can save its state and
put it back on resuming.

>>> from minikeras.layers import Dropout
>>> layer = Dropout(0.5, seed=3)
>>> layer.rng is None        # made at the first training call
True
>>> _ = layer(np.ones((2, 4), dtype='float32'), training=True)
>>> type(layer.rng).__name__
'Generator'
"""
import numpy as np

from .. import backend
from .base import Layer


class SeededLayer(Layer):
    """A layer drawing random numbers: from ``backend.rng()``, or from its own generator when
    ``self.seed`` is set (subclasses store ``seed``)."""

    _rng = None   # the layer's own generator, made at the first draw of a seeded layer

    def _generator(self):
        """The generator to draw from now."""
        if self.seed is None:
            return backend.rng()  # asked for on every call, so a later set_seed takes effect
        if self._rng is None:
            self._rng = np.random.default_rng(self.seed)
        return self._rng

    @property
    def rng(self):
        """The layer's own ``np.random.Generator`` (a seeded layer, after its first draw), else None."""
        return self._rng

    @rng.setter
    def rng(self, generator):
        if generator is not None and not isinstance(generator, np.random.Generator):
            raise TypeError(f"{type(self).__name__}.rng must be a numpy.random.Generator or None, "
                            f"got {type(generator).__name__}.")
        self._rng = generator
