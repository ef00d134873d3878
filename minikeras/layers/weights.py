"""A layer's weights: how they are created, penalised, constrained, read and written.

:class:`WeightsMixin` is half of :class:`~minikeras.layers.Layer` (the other half, in
``base.py``, is naming, building, ``call`` and ``backward``). A layer keeps its weights in one
list of ``(name, array, trainable)`` triples, in creation order, which is the order Keras uses
everywhere: in ``get_weights()``, in ``summary()`` and in saved files. The arrays are updated in
place by the optimizer, so a reference taken once (``layer.kernel``) stays valid.

>>> from minikeras.layers import Dense
>>> layer = Dense(2, kernel_regularizer='l2', name='dense')
>>> _ = layer.build_from_shape((None, 3))
>>> layer.weight_names, layer.count_params()
(['dense/kernel:0', 'dense/bias:0'], 8)
"""
import numpy as np

from .. import constraints, initializers, regularizers
from ..backend import autodiff
from .arguments import as_shape


class WeightsMixin:
    """Weight storage for a layer: ``add_weight``, the weight lists, penalties and constraints.

    The layer's ``__init__`` creates the three lists this mixin reads: ``_weights``
    (``(name, array, trainable)``), ``_regularizers`` and ``_constraints`` (``(index, function)``).
    """

    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                   constraint=None):
        """Creates, stores and returns a weight array (Keras 2's signature and defaults).

        Args:
            name: short name, e.g. ``'kernel'``; the full Keras name is ``<layer>/<name>:0``.
                None gives ``'Variable'``, as tf_keras does (a saved file needs distinct names).
            shape: tuple of ints; None is a scalar ``()``.
            dtype: the array's float dtype; None is the layer's ``dtype`` (``'float32'``).
            initializer: an initializer object (callable ``init(shape, dtype)``) or its name;
                None is ``'glorot_uniform'``, as in Keras.
            regularizer: optional penalty (a name, an object with ``__call__`` and ``gradient``, or a
                function ``f(w)`` written with ``K`` ops, differentiated by the tape).
            trainable: whether the optimizer updates it; None is True.
            constraint: optional function ``w -> w`` applied after each optimizer update.

        Returns:
            numpy.ndarray: the weight, which the optimizer later updates in place.

        Raises:
            TypeError: for a ``dtype`` that is not a float type (the third positional argument is
                ``dtype``, as in Keras: pass ``initializer=`` by name).
            ValueError: for a shape that is not a tuple of non-negative ints, or an initializer
                that returns an array of another shape.
        """
        name = "Variable" if name is None else name
        shape = _weight_shape(shape, self.name, name)
        try:
            dtype = np.dtype(self.dtype if dtype is None else dtype)
        except TypeError:
            dtype = None
        if dtype is not None and dtype.kind in "iub":
            raise TypeError(f"add_weight({name!r}) of layer {self.name!r}: minikeras has no integer or boolean "
                            f"weights (dtype {dtype.name}); keep counters as float32 weights (trainable=False) or "
                            f"as plain Python attributes.")
        if dtype is None or dtype.kind != "f":
            raise TypeError(f"add_weight({name!r}) of layer {self.name!r}: dtype must be a float type such as "
                            f"'float32'. The third positional argument is dtype, as in Keras; pass the "
                            f"initializer by name: add_weight({name!r}, shape, initializer=...).")
        initializer = initializers.get("glorot_uniform" if initializer is None else initializer)
        value = np.asarray(initializer(shape, dtype=dtype), dtype=dtype)
        if value.shape != shape:
            raise ValueError(f"Initializer for {self.name}/{name} returned shape {value.shape}, expected {shape}.")
        value = value if value.flags.c_contiguous else value.copy(order="C")   # (ascontiguousarray makes () (1,))
        self._weights.append((name, value, True if trainable is None else bool(trainable)))
        if regularizer is not None:
            self._regularizers.append((len(self._weights) - 1, regularizers.get(regularizer)))
        if constraint is not None:
            self._constraints.append((len(self._weights) - 1, constraints.get(constraint)))
        return value

    # ------------------------------------------------------------------ the weight lists
    def adopt_weights(self, inner, keep_inner_name):
        """Lists ``inner``'s weight arrays (the same objects) as this layer's, under Keras's nested names.

        ``keep_inner_name=True`` gives ``lstm/lstm_cell/kernel:0`` (RNN, Bidirectional);
        False gives ``time_distributed/kernel:0`` (TimeDistributed). The inner layer still computes
        its gradients (regularization included), which the owner passes on.

        Args:
            inner: the built layer whose weights this layer shows as its own.
            keep_inner_name: keep the inner layer's name in the weight names.
        """
        trainable = {id(w) for w in inner.trainable_weights}
        for full_name, w in zip(inner.weight_names, inner.weights):
            name = full_name[:-2] if keep_inner_name else full_name[:-2].split("/", 1)[1]
            self._weights.append((name, w, id(w) in trainable))

    @property
    def weights(self):
        """All weight arrays, in creation order (``kernel`` then ``bias`` for Dense)."""
        return [w for _, w, _ in self._weights]

    @property
    def trainable_weights(self):
        """The weights the optimizer updates (none when ``trainable`` is False); a weight of an inner
        layer (an RNN's cell, a wrapper's layer) only while that layer is trainable too."""
        if not self.trainable:
            return []
        weights = [w for _, w, t in self._weights if t]
        inner = self.inner_layers()
        if inner:
            held = {id(w) for layer in inner for w in layer.weights}
            live = {id(w) for layer in inner for w in layer.trainable_weights}
            weights = [w for w in weights if id(w) not in held or id(w) in live]
        return weights

    @property
    def non_trainable_weights(self):
        """The other weights: created with ``trainable=False``, or all of them when the layer is frozen."""
        trainable = {id(w) for w in self.trainable_weights}
        return [w for _, w, _ in self._weights if id(w) not in trainable]

    @property
    def weight_names(self):
        """Keras's full weight names, e.g. ``['dense/kernel:0', 'dense/bias:0']``."""
        return [f"{self.name}/{n}:0" for n, _, _ in self._weights]

    def get_weights(self):
        """Returns copies of the weights as a list of NumPy arrays."""
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        """Copies ``weights`` into the layer's arrays (in place, so optimizer slots stay valid).

        Args:
            weights: one array per weight, in the order of :attr:`weights`.

        Raises:
            ValueError: if the count or a shape differs from the layer's weights.
        """
        weights = list(weights)
        if len(weights) != len(self._weights):
            raise ValueError(f"Layer {self.name!r} expects {len(self._weights)} weights "
                             f"({self.weight_names}), but set_weights received {len(weights)}.")
        for (name, current, _), new in zip(self._weights, weights):
            new = np.asarray(new)
            if new.shape != current.shape:
                raise ValueError(f"Weight {self.name}/{name} has shape {current.shape}, but set_weights "
                                 f"received an array of shape {new.shape}.")
            current[...] = new

    def count_params(self):
        """Returns the number of scalars in all weights."""
        return int(sum(w.size for w in self.weights))

    # ------------------------------------------------------------------ penalties and constraints
    def inner_layers(self):
        """The layers this one holds and lists the weights of (an RNN's cell, a wrapper's layer); none here."""
        return []

    def penalized_weights(self, inner=True):
        """``[(weight, regularizer), ...]``: this layer's, then (with ``inner``) its inner layers'."""
        own = [(self._weights[i][1], reg) for i, reg in self._regularizers]
        return own + [pair for layer in self.inner_layers() for pair in layer.penalized_weights()] if inner else own

    def regularization_loss(self):
        """Returns the sum of the weight penalties, inner layers' included (0.0 without regularizers)."""
        return sum(float(reg(w)) for w, reg in self.penalized_weights())

    def _add_regularization_grads(self, inner=False):
        """Adds ``d penalty / d weight`` to the stored gradients (trainable weights only); a
        layer's ``backward`` calls it after filling ``self.grads``. The tape's backward asks for the
        inner layers' penalties too (``inner``): their own backward, which adds them, never ran."""
        pairs = self.penalized_weights(inner)
        if not pairs:  # the usual case: nothing to do on the per-batch path
            return
        trainable_index = {id(w): k for k, w in enumerate(self.trainable_weights)}
        for w, reg in pairs:
            k = trainable_index.get(id(w))
            if k is not None:
                self.grads[k] = self.grads[k] + penalty_gradient(reg, w).astype(self.dtype)

    def apply_constraints(self):
        """Projects the trainable weights through their constraints (called after each optimizer update)."""
        if not self._constraints or not self.trainable:  # the usual case: nothing to do
            return
        for i, constraint in self._constraints:
            name, w, trainable = self._weights[i]
            if trainable:
                w[...] = constraint(w)


def penalty_gradient(reg, x):
    """``d reg(x) / dx``: the regularizer's own ``gradient``, or the tape's for a plain function.

    Args:
        reg: a regularizer object or a function of one array written with ``K`` ops.
        x: the penalised array.

    Returns:
        numpy.ndarray shaped like ``x``.

    >>> from minikeras import regularizers
    >>> penalty_gradient(regularizers.l2(0.5), np.array([1., -2.])).tolist()
    [1.0, -2.0]
    """
    if callable(getattr(reg, "gradient", None)):
        return reg.gradient(x)
    leaf = autodiff.Tensor(np.asarray(x))
    return autodiff.gradients(reg(leaf), [leaf])[0]


def _weight_shape(shape, layer_name, weight_name):
    """``shape`` as a tuple of non-negative ints (None is a scalar); a ValueError names the weight."""
    dims = () if shape is None else as_shape(shape, unknown_sizes=False)
    if dims is None:
        hint = (" An input axis of unknown size (None) cannot size a weight: give the layer's input a known "
                "last axis, e.g. Input(shape=(timesteps, features))." if as_shape(shape) is not None else "")
        raise ValueError(f"add_weight({weight_name!r}) of layer {layer_name!r}: shape must be a tuple of "
                         f"non-negative ints, got {shape!r}.{hint}")
    return dims
