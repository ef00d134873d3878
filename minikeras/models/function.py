"""``K.function`` on the functional API's tensors: Keras's FAQ recipe for a layer's output.

>>> from minikeras import backend as K
>>> from minikeras.layers import Dense
>>> from minikeras.models import Sequential
>>> model = Sequential([Dense(3, input_shape=(2,), kernel_initializer='ones'), Dense(1)])
>>> get_first = K.function([model.layers[0].input], [model.layers[0].output])
>>> get_first([np.array([[1.0, 2.0]])])[0].tolist()
[[3.0, 3.0, 3.0]]

The backend cannot import the models package, so this module registers :func:`evaluator` with
:func:`minikeras.backend.register_evaluator`. For each ``K.function`` it builds, once, the
``Model(inputs, outputs)`` of the layers between the given inputs and the requested outputs
(as tf_keras 2.21 does); calling the function runs that sub-model on the arrays.

Keras 2 code often adds the learning phase to the inputs, ``K.function([model.input,
K.learning_phase()], [...])``, then calls ``f([x, 0])`` (inference) or ``f([x, 1])`` (training:
Dropout active). ``K.learning_phase()`` is the int 0 here (as in tf_keras, which refuses it in
``K.function``; Keras 2.2.4 accepted it, and so does minikeras). Without it, the phase set by
``K.set_learning_phase`` applies.

``K.gradients(model.output, [model.input])`` (or a layer's output, or a weight array) works too:
the function then runs the layers on tensors of the autodiff tape and walks it back.
"""
import numpy as np

from .. import backend
from ..backend import autodiff
from ..layers.node import KerasTensor
from .model import Model


def evaluator(inputs, outputs):
    """Returns ``run(values) -> list of arrays`` computing ``outputs`` from ``inputs``, or
    ``NotImplemented`` when they are not functional-API tensors.

    Args:
        inputs: ``Input`` tensors (``model.input``, ``model.layers[0].input``), and at most one
            learning phase (the int that ``K.learning_phase()`` returns).
        outputs: tensors computed from those inputs (``model.layers[3].output``), or what
            ``K.gradients(model.output, [model.input])`` returned for them.

    Returns:
        a function of the input values (arrays, and 0/1 for the learning phase), or ``NotImplemented``.

    Raises:
        ValueError: if an output cannot be computed from the inputs, or the inputs hold several
            learning phases.
    """
    tensors = [t for t in inputs if isinstance(t, KerasTensor)]
    phases = [i for i, t in enumerate(inputs) if not isinstance(t, KerasTensor)]
    if not tensors or not all(isinstance(t, (KerasTensor, backend.SymbolicGradient)) for t in outputs) or not all(
            type(inputs[i]) is int for i in phases):
        return NotImplemented
    if len(phases) > 1:
        raise ValueError(f"K.function's inputs hold {len(phases)} learning phases; give K.learning_phase() once.")
    grads = [t for t in outputs if isinstance(t, backend.SymbolicGradient)]
    needed = [t for t in outputs if isinstance(t, KerasTensor)] + [g.loss for g in grads] + [
        g.wrt for g in grads if isinstance(g.wrt, KerasTensor)]
    wanted = list({id(t): t for t in needed if all(t is not i for i in tensors)}.values())
    model = Model(tensors, wanted) if wanted else None

    def run(values):
        training = (values[phases[0]] if phases else backend.learning_phase()) in (1, True)
        xs = [np.asarray(v, dtype=t.dtype) for t, v in zip(inputs, values) if isinstance(t, KerasTensor)]
        if grads:   # run the layers on the tape, to walk it back
            xs = [autodiff.Tensor(x) for x in xs]
        results = model(xs, training=training) if model else []
        by_id = dict(zip(map(id, tensors), xs))
        by_id.update(zip(map(id, wanted), [results] if len(wanted) == 1 else results))
        return [backend.tape_gradient(by_id[id(t.loss)], by_id.get(id(t.wrt), t.wrt))
                if isinstance(t, backend.SymbolicGradient) else autodiff.value_of(by_id[id(t)]) for t in outputs]

    return run
