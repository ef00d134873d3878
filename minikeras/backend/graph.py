"""``K.placeholder``, ``K.function``, ``K.gradients``, ``K.eval`` and the learning phase.

Keras 2 code builds a graph from placeholders and evaluates it with ``K.function``. Here a
placeholder is a leaf of the autodiff tape holding a stand-in value (zeros, ``None`` axes of
length 1); the ops applied to it are recorded, and ``K.function([p], [y])(x)`` *replays* them
with ``p = x`` (:func:`minikeras.backend.autodiff.replay`). ``K.gradients(y, [p])`` returns tensors
that the replay computes by running the tape backwards.

Symbolic tensors of the functional API (``model.input``, ``layer.output``) are evaluated by an
*evaluator* that the models package registers with :func:`register_evaluator`, since the backend
cannot import it.

>>> import numpy as np
>>> x = placeholder(shape=(None, 2))
>>> f = function([x], [x * 2, gradients(np.sum(np.square(x)), [x])[0]])
>>> [a.tolist() for a in f([np.array([[1.0, 3.0]])])]
[[[2.0, 6.0]], [[2.0, 6.0]]]
"""
import numpy as np

from . import autodiff
from .config import floatx
from .variables import Variable

_LEARNING_PHASE = 0
_EVALUATORS = []


class Placeholder(autodiff.Tensor):
    """A graph input (``K.placeholder``): a tape leaf fed by :class:`Function`.

    Args:
        shape: shape with ``None`` for unknown axes.
        dtype: dtype name.
        name: label.
    """

    def __init__(self, shape, dtype, name=None):
        super().__init__(np.zeros([1 if d is None else d for d in shape], dtype=dtype), name=name)
        self.keras_shape = tuple(shape)


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """Returns a graph input of ``shape`` (or of ``ndim`` unknown axes).

    Args:
        shape: tuple, ``None`` for an unknown axis.
        ndim: number of axes, when ``shape`` is not given.
        dtype: dtype name, default :func:`floatx`.
        sparse: must be False (minikeras has no sparse tensors).
        name: optional label.

    Raises:
        ValueError: without ``shape`` and ``ndim``, or with ``sparse=True``.
    """
    if sparse:
        raise ValueError("minikeras has no sparse tensors; use K.placeholder(shape, sparse=False).")
    if shape is None:
        if ndim is None:
            raise ValueError("K.placeholder needs shape=(None, ...) or ndim.")
        shape = (None,) * int(ndim)
    return Placeholder(tuple(shape), dtype or floatx(), name=name)


def tape_gradient(loss, wrt):
    """Returns ``d sum(loss) / d wrt`` as an array (``wrt``'s shape).

    Args:
        loss: a tensor of the tape.
        wrt: a tensor that ``loss`` was computed from, or a weight array / ``K.variable`` its ops used.
    """
    if isinstance(wrt, autodiff.Tensor):
        return autodiff.gradients(loss, [wrt])[0]
    leaf = autodiff.Tensor(np.array(autodiff.value_of(wrt)))   # replay the ops with the weight as a leaf
    return autodiff.gradients(autodiff.replay([loss], {id(wrt): leaf})[0], [leaf])[0]


class SymbolicGradient:
    """What :func:`gradients` returns for a model's tensors: ``d sum(loss) / d wrt``, computed when
    a :func:`function` runs the model's layers on tape tensors.

    Args:
        loss: a functional-API tensor (``model.output``).
        wrt: a tensor of the same graph (``model.input``, ``layer.output``) or a weight array.
    """

    def __init__(self, loss, wrt):
        self.loss, self.wrt = loss, wrt
        self.shape = tuple(np.shape(wrt)) if not hasattr(wrt, "keras_history") else wrt.shape


class _Gradient:
    """The op of a ``K.gradients`` tensor: ``d sum(loss) / d wrt``, computed by the tape when replayed."""

    on_tensors = True  # autodiff.replay calls it with the replayed tensors, not their values

    def __call__(self, loss, wrt):
        grad = tape_gradient(loss, wrt)

        def no_second_order(g):
            raise NotImplementedError("minikeras's tape does not differentiate gradients (no second order).")
        parents = (loss, wrt) if isinstance(wrt, autodiff.Tensor) else (loss,)
        return autodiff.Tensor(grad, parents=parents, vjp=no_second_order, op=(self, (loss, wrt), {}))


def gradients(loss, variables):
    """Returns ``[d sum(loss) / d v for v in variables]`` as tensors for :func:`function`.

    Args:
        loss: a tensor computed from placeholders, or a model's tensor (``model.output``; then
            one :class:`SymbolicGradient` per variable, for a ``K.function`` of the model's inputs); its
            elements are summed.
        variables: a tensor (placeholder, ``model.input``, ``layer.output``), a weight array
            (``layer.kernel``) or ``K.variable`` used by the ops, or a list of them.

    Returns:
        list of tensors, one per variable, each of its variable's shape.

    Raises:
        TypeError: if ``loss`` is not on the tape (e.g. a plain array).
    """
    variables = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    if hasattr(loss, "keras_history"):   # a functional-API tensor: K.function runs the model on the tape
        return [SymbolicGradient(loss, v) for v in variables]
    if not isinstance(loss, autodiff.Tensor):
        raise TypeError(f"K.gradients needs a tensor computed from K.placeholder inputs, got "
                        f"{type(loss).__name__}. For the gradient of a model's loss use model.fit; for "
                        f"arrays, see minikeras.backend.autodiff.gradients.")
    return [_Gradient()(loss, v) for v in variables]


def register_evaluator(evaluator):
    """Lets :func:`function` evaluate other symbolic tensors (the functional API's).

    Args:
        evaluator: ``evaluator(inputs, outputs)``, called once per :func:`function`; returns
            ``run(values) -> list of arrays`` (one per output), or ``NotImplemented`` when it does
            not know these tensors.
    """
    _EVALUATORS.append(evaluator)


class Function:
    """What :func:`function` returns: call it with the input arrays, get the output arrays.

    Args:
        inputs: list of placeholders (or symbolic inputs).
        outputs: list of tensors (or one tensor).
    """

    def __init__(self, inputs, outputs):
        self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self.single = not isinstance(outputs, (list, tuple))
        self.outputs = [outputs] if self.single else list(outputs)
        self.run = None   # replays the tape when every tensor is on it, else a registered evaluator's
        if not all(isinstance(t, autodiff.Tensor) for t in self.inputs + self.outputs):
            self.run = next((run for run in (evaluator(self.inputs, self.outputs) for evaluator in _EVALUATORS)
                             if run is not NotImplemented), None)
            if self.run is None:
                raise TypeError("K.function's inputs and outputs must be K.placeholder tensors and what was "
                                "computed from them (or a model's input and layer outputs).")

    def __call__(self, values):
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if len(values) != len(self.inputs):
            raise ValueError(f"This K.function takes {len(self.inputs)} input array(s), got {len(values)}.")
        if self.run is not None:
            results = self.run(values)
        else:
            feed = {id(p): autodiff.Tensor(np.asarray(v, dtype=p.dtype)) for p, v in zip(self.inputs, values)}
            results = [t.value for t in autodiff.replay(self.outputs, feed)]
        return results[0] if self.single else list(results)


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """Returns a :class:`Function` computing ``outputs`` from ``inputs`` (Keras 2's ``K.function``).

    Args:
        inputs: list of placeholders.
        outputs: list of tensors computed from them (or one tensor).
        updates: must be empty (minikeras runs no graph updates).
        name: ignored (Keras's label).
        **kwargs: ignored (Keras's session arguments).

    Raises:
        ValueError: for ``updates``.
    """
    if updates:
        raise ValueError("minikeras's K.function runs no updates; compute new values and use K.set_value.")
    return Function(inputs, outputs)


def eval(x):  # noqa: A001 - Keras's name
    """Returns the value of a variable, tensor or array as a NumPy array."""
    return np.asarray(autodiff.value_of(x))


def learning_phase():
    """Returns 0 (inference) or 1 (training), as tf_keras does in eager mode: 0 unless set."""
    return _LEARNING_PHASE


def set_learning_phase(value):
    """Sets what :func:`learning_phase` returns (layers called with ``training=None`` follow it).

    Args:
        value: 0 or 1.

    Raises:
        ValueError: for any other value.
    """
    global _LEARNING_PHASE
    if value not in (0, 1):
        raise ValueError(f"Expected learning phase to be 0 or 1, got {value!r}.")
    _LEARNING_PHASE = int(value)


def in_train_phase(x, alt, training=None):
    """Returns ``x`` when training, else ``alt`` (callables are called); ``training=None`` reads
    :func:`learning_phase`.

    Args:
        x: what to return in training.
        alt: what to return otherwise.
        training: True/False/1/0, or None for the learning phase.
    """
    chosen = x if (learning_phase() if training is None else training) else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt, training=None):
    """Returns ``x`` outside training, else ``alt`` (the mirror of :func:`in_train_phase`).

    Args:
        x: what to return at inference.
        alt: what to return in training.
        training: True/False/1/0, or None for the learning phase.
    """
    return in_train_phase(alt, x, training=training)


def zeros(shape, dtype=None, name=None):
    """A :class:`Variable` of zeros."""
    return Variable(np.zeros(shape), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):
    """A :class:`Variable` of ones."""
    return Variable(np.ones(shape), dtype=dtype, name=name)

