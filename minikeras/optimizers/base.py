"""``Optimizer``: what every optimizer shares (Keras ``keras.optimizers.Optimizer``).

An optimizer owns a learning rate (a :class:`~minikeras.backend.Variable`, so callbacks can
change it in place), a step counter ``iterations`` and, per parameter, *slots*: arrays such as
Adam's moving averages ``m`` and ``v``. One call of :meth:`Optimizer.apply_gradients` is one
training step::

    clip the gradients -> lr_t = lr / (1 + decay * iterations) -> update every parameter
    in place with its slots (the subclass's formula) -> iterations += 1

Subclasses only say which slots they need (:meth:`Optimizer.slot_names`) and write the
formula for one parameter (:meth:`Optimizer.update_step`); Adam also writes tf_keras's formula
for an embedding's gradient, which holds only the rows looked up (:meth:`Optimizer.sparse_update_step`).

Every built-in optimizer's formula works number by number (``elementwise = True``), so a large
parameter is updated in pieces of ``pieces.PIECE`` numbers: each of the formula's dozen or so NumPy
passes then reads a piece that is still in the CPU cache, instead of streaming a whole embedding
matrix through memory once per pass (see :mod:`.pieces`).
"""

import numpy as np

from .. import backend
from ..backend.indexed_slices import IndexedSlices
from .arguments import DefaultFloat, _optional_positive, check_number
from .clipping import clip_gradients
from .pieces import pieces

# Config keys written by tf_keras that have no effect here; ``from_config`` drops them.
_IGNORED_CONFIG_KEYS = ("is_legacy_optimizer", "jit_compile", "ema_momentum", "ema_overwrite_frequency")


class Optimizer:
    """Base class: learning rate, legacy ``lr``/``decay``, clipping, slots, saving.

    Args:
        name: the optimizer's name; ``None`` means the class name (``'Adam'``).
        learning_rate: a float >= 0, stored in a float32 Variable.
        lr: Keras 2's name for ``learning_rate`` (give one of them, not both).
        decay: Keras 2's learning-rate decay: update number ``t`` (``t = iterations``, from 0)
            uses ``lr / (1 + decay * t)``, as ``tf_keras.optimizers.legacy``.
        clipnorm: if set, each gradient ``g`` becomes ``g * clipnorm / max(||g||, clipnorm)``.
        clipvalue: if set, each gradient is clipped elementwise to ``[-clipvalue, clipvalue]``.
        global_clipnorm: if set, all gradients are scaled by ``c / max(global_norm, c)``,
            ``global_norm = sqrt(sum ||g_i||^2)``. Cannot be combined with ``clipnorm``.

    Clipping order: the norm clip (``global_clipnorm`` or ``clipnorm``) first, then
    ``clipvalue``, as Keras 2.2.4. (tf_keras's current optimizers apply only one: clipnorm,
    else global_clipnorm, else clipvalue; its legacy ones apply clipvalue first. The results
    differ only when a norm clip and ``clipvalue`` are both set.)

    Attributes:
        iterations: int, the number of ``apply_gradients`` calls so far.
        elementwise: class attribute, True when :meth:`update_step` treats each number on its
            own (all of Keras's optimizers), so that large parameters can be updated in cache-sized
            pieces. A subclass whose formula looks at a whole parameter (a norm, say) must set it to
            False, also when it subclasses a built-in optimizer.
        learning_rate, lr: the same float32 :class:`~minikeras.backend.Variable`.

    >>> import minikeras.backend as K
    >>> from minikeras.optimizers import SGD
    >>> opt = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)   # the Keras 2 guide's line
    >>> opt.lr is opt.learning_rate
    True
    >>> K.set_value(opt.lr, 0.5); opt.learning_rate = opt.lr * 0.5; K.get_value(opt.lr)
    np.float32(0.25)

    Raises:
        ValueError: for a negative learning rate or clip, both ``lr`` and ``learning_rate``,
            or both ``clipnorm`` and ``global_clipnorm``.
    """

    elementwise = False

    def __init__(self, name=None, learning_rate=DefaultFloat(0.001), lr=None, decay=0.0,
                 clipnorm=None, clipvalue=None, global_clipnorm=None):
        if lr is not None:
            if not isinstance(learning_rate, DefaultFloat):
                raise ValueError(f"Got both `learning_rate={learning_rate!r}` and `lr={lr!r}`; "
                                 "`lr` is the Keras 2 name of `learning_rate`: pass only one.")
            learning_rate = lr
        if name is not None and not isinstance(name, str):
            raise TypeError(f"`name` must be a string, got {name!r}.")
        self.name = name or type(self).__name__
        self._learning_rate = backend.Variable(check_number("learning_rate", learning_rate),
                                               dtype="float32", name="learning_rate")
        self.decay = check_number("decay", decay)
        self.clipnorm = _optional_positive("clipnorm", clipnorm)
        self.clipvalue = _optional_positive("clipvalue", clipvalue)
        self.global_clipnorm = _optional_positive("global_clipnorm", global_clipnorm)
        if self.clipnorm is not None and self.global_clipnorm is not None:
            raise ValueError("Set at most one of `clipnorm` (per gradient) and `global_clipnorm` (all "
                             f"gradients together); got clipnorm={clipnorm}, global_clipnorm={global_clipnorm}.")
        self.iterations = 0  # number of apply_gradients calls so far
        self._slots = None  # after build: one {slot name: array} dict per parameter, in list order
        self._built_slot_names = ()

    # ------------------------------------------------------------------ learning rate
    @property
    def learning_rate(self):
        """The learning rate Variable (``K.get_value``/``K.set_value`` work on it)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate.assign(check_number("learning_rate", value))

    lr = learning_rate  # Keras 2's name: the same property, hence the same Variable

    def decayed_learning_rate(self):
        """Returns the float32 rate of the next update, ``lr / (1 + decay * iterations)``
        (tf_keras legacy's ``_decayed_lr``)."""
        rate = self._learning_rate.numpy()
        return rate / np.float32(1.0 + self.decay * self.iterations) if self.decay else rate

    # ------------------------------------------------------------------ to override
    def slot_names(self):
        """Returns the names of the per-parameter slots, in saving order (none here)."""
        return ()

    def initial_slot_value(self, slot_name):
        """Returns the value a new slot is filled with (0; Adagrad overrides)."""
        return 0.0

    def update_step(self, grad, param, slots, lr):
        """Updates ``param`` in place from ``grad`` and its ``slots`` dict; ``lr`` is float32.

        The step number of this update is ``self.iterations + 1``.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement update_step.")

    # ------------------------------------------------------------------ the training step
    def build(self, var_list):
        """Creates the slots of every parameter (the first ``apply_gradients`` does this).

        Args:
            var_list: the list of parameter arrays, in the order gradients will come.

        Raises:
            ValueError: if already built for a list of a different length or shapes.
        """
        shapes = [np.shape(p) for p in var_list]
        if self._slots is None:
            self._built_slot_names = tuple(self.slot_names())
            self._slots = [{name: np.full(shape, self.initial_slot_value(name), dtype=np.asarray(p).dtype)
                            for name in self._built_slot_names} for shape, p in zip(shapes, var_list)]
            self._shapes = shapes
        elif shapes != self._shapes:
            raise ValueError(f"{self.name} was built for parameters of shapes {self._shapes} but got "
                             f"{shapes}; use one optimizer per model (create a new one for another).")

    def apply_gradients(self, grads_and_vars):
        """Performs one training step: updates each parameter array in place.

        Args:
            grads_and_vars: list of ``(gradient, parameter)`` float32 NumPy arrays, always the
                same parameters in the same order. A ``None`` gradient leaves its parameter alone;
                an ``IndexedSlices`` gradient goes to :meth:`sparse_update_step`.

        Returns:
            int: ``iterations`` after the step.

        Raises:
            TypeError: if a parameter is not a float NumPy array.
            ValueError: if shapes differ from the first call, or a gradient's shape differs.
        """
        pairs = list(grads_and_vars)
        if not pairs:
            return self.iterations
        params = [p for _, p in pairs]
        for p in params:
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"apply_gradients updates float NumPy arrays in place; got {type(p).__name__}.")
        grads = [None if g is None else g.astype(p.dtype) if isinstance(g, IndexedSlices)   # an embedding's rows
                 else np.asarray(g, dtype=p.dtype) for g, p in pairs]
        for g, p in zip(grads, params):
            if g is not None and g.shape != p.shape:
                raise ValueError(f"Gradient of shape {g.shape} for a parameter of shape {p.shape}.")
        self.build(params)
        grads = self.clip_gradients(grads)
        lr = self.decayed_learning_rate()
        for grad, param, slots in zip(grads, params, self._slots):
            if isinstance(grad, IndexedSlices):
                self.sparse_update_step(grad, param, slots, lr)
            elif grad is not None:
                for grad_piece, param_piece, slots_piece in self.pieces(grad, param, slots):
                    self.update_step(grad_piece, param_piece, slots_piece, lr)
        self.iterations += 1
        return self.iterations

    def pieces(self, grad, param, slots):
        """The pieces an update runs on: cache-sized views when :attr:`elementwise` (see
        :mod:`.pieces`), else the whole ``(grad, param, slots)``."""
        return pieces(grad, param, slots) if self.elementwise else [(grad, param, slots)]

    def sparse_update_step(self, grad, param, slots, lr):
        """The update for an :class:`~minikeras.backend.indexed_slices.IndexedSlices` gradient (an
        embedding's rows). Here the gradient is filled in with zeros and :meth:`update_step` runs;
        Adam overrides this with tf_keras's formula for such gradients."""
        dense = grad.to_dense(param.dtype)
        for grad_piece, param_piece, slots_piece in self.pieces(dense, param, slots):
            self.update_step(grad_piece, param_piece, slots_piece, lr)

    def clip_gradients(self, grads):
        """Returns the gradients after ``global_clipnorm``/``clipnorm``, then ``clipvalue``
        (:func:`.clipping.clip_gradients`; the input arrays are never modified)."""
        return clip_gradients(grads, self.clipnorm, self.clipvalue, self.global_clipnorm)

    # ------------------------------------------------------------------ state
    def get_weights(self):
        """Returns ``[iterations (int64), *slots]`` as copies.

        Slot order: slot-major, as Keras 2 and ``tf_keras.optimizers.legacy``: every
        parameter's first slot (in parameter order), then every parameter's second slot, ...;
        slot names in :meth:`slot_names` order. Before the first step only ``[iterations]``.
        """
        weights = [np.array(self.iterations, dtype=np.int64)]
        for name in self._built_slot_names:
            weights.extend(slots[name].copy() for slots in self._slots or [])
        return weights

    variables = get_weights

    def set_weights(self, weights):
        """Restores the state saved by :meth:`get_weights` (values copied into the slots).

        Args:
            weights: list in :meth:`get_weights` order.

        Raises:
            ValueError: for a wrong count or shape; call :meth:`build` (or one
                ``apply_gradients``) first when restoring slots into a fresh optimizer.
        """
        weights = list(weights)
        targets = [slots[name] for name in self._built_slot_names for slots in self._slots or []]
        if len(weights) != 1 + len(targets):
            hint = "" if self._slots is not None else " (not built yet: call build(params) first)"
            raise ValueError(f"{self.name}.set_weights expected {1 + len(targets)} arrays "
                             f"[iterations, *slots]{hint}, got {len(weights)}.")
        count = np.asarray(weights[0])
        if count.shape != () or count != np.floor(count) or count < 0:
            raise ValueError(f"The first weight must be the iterations count (an integer >= 0), got {count!r}.")
        for i, (target, value) in enumerate(zip(targets, weights[1:]), start=1):
            if np.shape(value) != target.shape:
                raise ValueError(f"Weight {i} of {self.name} has shape {target.shape}, got {np.shape(value)}.")
        for target, value in zip(targets, weights[1:]):
            target[...] = value
        self.iterations = int(count)

    # ------------------------------------------------------------------ config
    def get_config(self):
        """Returns the constructor arguments: ``name``, ``learning_rate`` (shortest float that
        gives the same float32), the clips, ``decay`` only when nonzero; subclasses add theirs."""
        config = {"name": self.name, "learning_rate": float(str(self._learning_rate.numpy())),
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config):
        """Creates an optimizer from :meth:`get_config` output, or from a tf_keras / Keras 2
        config (``lr`` accepted; tf_keras-only keys with default values dropped).

        Raises:
            ValueError: for settings minikeras does not implement (``weight_decay``, ``use_ema``,
                a learning-rate schedule dict).
        """
        config = {k: v for k, v in config.items() if k not in _IGNORED_CONFIG_KEYS}
        if config.pop("weight_decay", None):
            raise ValueError("`weight_decay` (AdamW-style) is not implemented in minikeras; remove it.")
        if config.pop("use_ema", False):
            raise ValueError("`use_ema=True` is not implemented in minikeras; remove it.")
        if isinstance(config.get("learning_rate"), dict):
            raise ValueError("Learning-rate schedule objects are not supported; use a float learning_rate "
                             "and a LearningRateScheduler callback.")
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} learning_rate={str(self._learning_rate.numpy())}>"
