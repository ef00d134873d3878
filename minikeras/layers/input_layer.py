"""``InputLayer`` and ``Input``: where a model's data comes in (Keras 2.2.4's ``keras/engine/input_layer.py``).

``Input(shape)`` makes an ``InputLayer`` and returns its symbolic output, the
:class:`~minikeras.layers.node.KerasTensor` that the functional API calls layers on.
"""
from .. import backend
from .arguments import check_shape
from .base import Layer
from .node import KerasTensor, Node


class InputLayer(Layer):
    """Declares the input shape of a model; passes its input through unchanged.

    Keras counterpart: ``keras.layers.InputLayer``.

    Args:
        input_shape: shape of one sample, without the batch axis.
        batch_size: optional fixed batch size.
        dtype: input dtype, default ``backend.floatx()``.
        name: layer name (default ``input_layer``; ``Input()`` names it ``input_1``, ...).
        batch_input_shape: alternative to ``input_shape``/``batch_size``: the full shape.
        **kwargs: ``sparse``, ``ragged`` and ``optional`` from tf_keras configs (ignored), and the
            base :class:`Layer` arguments.
    """

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None, batch_input_shape=None,
                 **kwargs):
        kwargs.pop("sparse", None), kwargs.pop("ragged", None), kwargs.pop("optional", None)
        if input_shape is None and batch_input_shape is None:
            raise ValueError("InputLayer needs input_shape=(features, ...) or batch_input_shape.")
        super().__init__(input_shape=input_shape, batch_size=batch_size, dtype=dtype, name=name,
                         batch_input_shape=batch_input_shape, **kwargs)
        self.build_from_shape(self._batch_input_shape)
        tensor = KerasTensor(self._batch_input_shape, self.dtype, self, 0, 0, name=self.name)
        self.inbound_nodes.append(Node(self, [], [tensor], is_input=True))

    def get_config(self):
        return {"batch_input_shape": list(self._batch_input_shape), "dtype": self.dtype,
                "sparse": False, "ragged": False, "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None):  # noqa: N802 - Keras name
    """Declares a model input of ``shape`` (one sample, no batch axis).

    Keras counterpart: ``keras.Input``. It makes an :class:`InputLayer` and returns its output,
    a symbolic :class:`~minikeras.layers.node.KerasTensor` to call layers on and to give to
    ``Model(inputs, outputs)`` (or as the first element of a ``Sequential``).

    Args:
        shape: tuple, shape of one sample.
        batch_size: optional fixed batch size.
        name: optional layer name.
        dtype: optional dtype.
        batch_shape: full shape including the batch axis, instead of ``shape``.

    Returns:
        KerasTensor: shape ``(batch_size, *shape)``.

    Raises:
        ValueError: for a shape that is not a tuple of non-negative ints and Nones.

    >>> Input(shape=(784,)).shape
    (None, 784)
    """
    for argument, value in (("shape", shape), ("batch_shape", batch_shape)):
        if value is not None:
            check_shape(value, argument)     # before a name is taken
    if name is None:
        name = f"input_{backend.get_uid('input')}"  # Keras numbers inputs from 1: input_1, input_2
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       batch_input_shape=batch_shape)
    return layer.inbound_nodes[0].output_tensors[0]
