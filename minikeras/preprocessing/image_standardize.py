"""The standardization half of ``ImageDataGenerator``: ``rescale``, centring, normalization, ZCA, and ``fit``.

Applied to every image after its random transform, in this order (as Keras):
``preprocessing_function`` -> ``* rescale`` -> minus the image's mean -> divided by its std ->
minus the dataset's per-channel mean -> divided by its per-channel std -> ZCA whitening.
The dataset statistics come from :meth:`Standardization.fit`.
"""
import warnings

import numpy as np


class Standardization:
    """Mixin of :class:`~minikeras.preprocessing.image.ImageDataGenerator` (it holds the settings)."""

    def _normalize(self, x, sample_axes):
        """Rescale, centre and normalize ``x`` (a copy); ``sample_axes`` are one image's axes."""
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - np.mean(x, axis=sample_axes, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, axis=sample_axes, keepdims=True) + 1e-6)
        for flag, stat, what in ((self.featurewise_center, self.mean, "featurewise_center"),
                                 (self.featurewise_std_normalization, self.std, "featurewise_std_normalization"),
                                 (self.zca_whitening, self.principal_components, "zca_whitening")):
            if flag and stat is None:
                warnings.warn(f"This ImageDataGenerator specifies `{what}`, but it hasn't been fit on any training "
                              f"data. Fit it first by calling `.fit(numpy_data)`.")
        if self.featurewise_center and self.mean is not None:
            x = x - self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x = x / (self.std + 1e-6)
        if self.zca_whitening and self.principal_components is not None:
            flat = x.reshape(-1, self.principal_components.shape[0])
            x = (flat @ self.principal_components).reshape(x.shape)
        return x

    def standardize_batch(self, x):
        """:meth:`standardize` for a batch, each image with its own sample statistics.

        Args:
            x: images ``(n, h, w, c)`` (``(n, c, h, w)`` for channels_first).

        Returns:
            np.ndarray of the same shape.
        """
        if self.preprocessing_function:
            x = np.stack([self.preprocessing_function(image) for image in x])
        return self._normalize(np.asarray(x, dtype=float), (1, 2, 3))

    def standardize(self, x):
        """Rescales, centres and normalizes ``x`` as configured (statistics over all of ``x``).

        Args:
            x: one image (or a batch, treated as one sample as Keras does).

        Returns:
            np.ndarray of the same shape.
        """
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        return self._normalize(np.asarray(x, dtype=float), None)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the statistics of ``featurewise_*`` and ``zca_whitening`` from images ``x``.

        Args:
            x: images ``(n, h, w, c)`` (or ``(n, c, h, w)``).
            augment: fit on randomly transformed copies.
            rounds: how many transformed copies of ``x`` with ``augment``.
            seed: seed of the transforms.

        Raises:
            ValueError: unless ``x`` has rank 4.
        """
        x = np.array(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}")
        first = self.data_format == "channels_first"
        if self.rescale:
            x *= self.rescale
        if augment:
            rng = np.random if seed is None else np.random.RandomState(seed)
            x = x.transpose(0, 2, 3, 1) if first else x
            x = np.concatenate([self.apply_transform_batch(x, [self.draw_transform(x.shape[1:], rng) for _ in x])
                                for _ in range(rounds)])
            x = x.transpose(0, 3, 1, 2) if first else x
        axes, shape = ((0, 2, 3), (-1, 1, 1)) if first else ((0, 1, 2), (1, 1, -1))   # per channel
        if self.featurewise_center:
            self.mean = np.mean(x, axis=axes).reshape(shape)
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=axes).reshape(shape)
            x = x / (self.std + 1e-6)
        if self.zca_whitening:
            flat = x.reshape(len(x), -1)
            u, s, _ = np.linalg.svd(flat.T @ flat / len(x))
            self.principal_components = (u * (1.0 / np.sqrt(s[None] + self.zca_epsilon))) @ u.T


__all__ = ["Standardization"]
