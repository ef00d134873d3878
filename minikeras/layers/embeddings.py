"""``Embedding``: turns integer ids into dense vectors (Keras ``keras.layers.Embedding``).

Forward is a row lookup, ``out[b, t] = E[ids[b, t]]``. Backward is its transpose: every row
of ``E`` receives the sum of the output gradients at the positions that looked it up.
Rows that were not looked up get zero, which is why Keras calls this gradient *sparse*: it is an
:class:`~minikeras.backend.indexed_slices.IndexedSlices` (the rows looked up and their sums), which
Adam applies as tf_keras does and every other reader sees as the full array.
"""
import numpy as np

from .. import backend as K, initializers, regularizers
from ..backend.indexed_slices import IndexedSlices
from .base import Layer


class Embedding(Layer):
    """Maps ids ``0 .. input_dim-1`` to rows of a trainable ``(input_dim, output_dim)`` matrix.

    Args:
        input_dim: vocabulary size (largest id + 1).
        output_dim: size of each vector.
        embeddings_initializer: ``'uniform'`` = ``RandomUniform(-0.05, 0.05)``.
        embeddings_regularizer: optional penalty on the matrix.
        activity_regularizer: must be None (not supported).
        embeddings_constraint: must be None (not supported).
        mask_zero: id 0 is padding: :meth:`compute_mask` returns ``ids != 0`` for the layers after
            (the row of id 0 is still looked up).
        input_length: length of the sequences, when constant (needed before ``Flatten``).
        **kwargs: :class:`~minikeras.layers.Layer` arguments.

    Raises:
        ValueError: for non-positive sizes, a constraint, or (when called) an id outside ``[0, input_dim)``.

    >>> layer = Embedding(10, 3, embeddings_initializer='ones')
    >>> layer(np.array([[1, 2, 0]])).shape
    (1, 3, 3)
    """

    _CACHE = Layer._CACHE + ("_ids",)

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 activity_regularizer=None, embeddings_constraint=None, mask_zero=False, input_length=None,
                 **kwargs):
        for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise ValueError(f"Embedding {argument} must be a positive int, got {value!r}.")
        for argument, value in (("activity_regularizer", activity_regularizer),
                                ("embeddings_constraint", embeddings_constraint)):
            if value is not None:
                raise ValueError(f"minikeras has no {argument} for Embedding; got {value!r}. Leave it None.")
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)  # tf_keras: batch_input_shape (None, input_length)
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.mask_zero = bool(mask_zero)
        self.input_length = input_length

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_mask(self, inputs, mask=None):
        """``ids != 0`` (B, T) with ``mask_zero=True``, else None."""
        return np.asarray(inputs) != 0 if self.mask_zero else None

    def call(self, inputs, training=False):
        ids = K.stop_gradient(inputs).astype(np.intp)                  # (B, T); floats truncate, as tf_keras casts
        bad = (ids < 0) | (ids >= self.input_dim)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{self.name}: ids[{','.join(map(str, where))}] = {ids[where]} is not in "
                             f"[0, {self.input_dim}); make input_dim larger than the largest id.")
        self._ids = ids
        return self.embeddings[ids]                                    # (B, T, output_dim)

    def backward(self, grad_output, input_grad=True):
        ids = self._ids.reshape(-1)                                    # (B*T,)
        g = grad_output.reshape(-1, self.output_dim)                   # (B*T, output_dim)
        # The gradient is zero but in the rows looked up, and rows looked up several times add up
        # (np.add.at). Sorted, each row comes once: a copy when looked up once, else the sum of its run.
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]                                        # (B*T,)
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])[:ids.size]  # first of each run
        counts = np.diff(np.r_[starts, ids.size])                      # how often each row was looked up
        values = np.empty((len(starts), self.output_dim), self.embeddings.dtype)  # (rows, output_dim)
        once = counts == 1
        values[once] = g[order[starts[once]]]                          # rows looked up once: a copy
        if not once.all():                                             # repeated rows: the sum of each run
            look_ups = order[np.repeat(~once, counts)]                 # their look-ups, run by run
            run_starts = np.r_[0, np.cumsum(counts[~once])[:-1]]
            values[~once] = np.add.reduceat(g[look_ups], run_starts, axis=0)
        grad = IndexedSlices(values, sorted_ids[starts], self.embeddings.shape)  # as np.asarray: (input_dim, output_dim)
        self.grads = [grad] if self.trainable else []
        self._add_regularization_grads()
        return None                                                    # ids are not differentiable

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim, "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": None, "embeddings_constraint": None,
            "mask_zero": self.mask_zero, "input_length": self.input_length,
        })
        return config
