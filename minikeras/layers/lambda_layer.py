"""``Lambda``: a layer made of a function (Keras ``keras.layers.Lambda``), trained through the tape.

Saving never stores code: the model file records the function's *name*, and loading needs
``custom_objects={'name': function}`` (tf_keras stores the function's bytecode instead; minikeras
deliberately does not load code from files).
"""
import numpy as np

from ..utils import generic_utils
from .base import Layer


class Lambda(Layer):
    """Wraps ``function(inputs, **arguments)`` as a layer; its gradient comes from the autodiff tape.

    Args:
        function: a function of the input array(s), written with ``K`` ops or NumPy functions.
        output_shape: the output shape without the batch axis (tuple), or a function of the
            input shape (batch axis included); default: found by calling ``function`` on zeros.
        mask: None, or a function ``(inputs, mask) -> mask``.
        arguments: optional dict of keyword arguments passed to ``function``.
        **kwargs: :class:`Layer` arguments.

    Raises:
        TypeError: if ``function`` is not callable.

    >>> from minikeras import backend as K
    >>> Lambda(lambda x, k: K.square(x) * k, arguments={'k': 2.0})(np.array([[3.0]]))
    array([[18.]])
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise TypeError(f"Lambda needs a function, got {function!r}.")
        super().__init__(**kwargs)
        self.function = function
        self.output_shape_arg = output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})

    def call(self, inputs, mask=None):
        return self.function(inputs, **self.arguments)

    def compute_mask(self, inputs, mask=None):
        """Returns ``mask(inputs, mask)`` if a mask function was given, else the mask unchanged."""
        return self.mask(inputs, mask) if callable(self.mask) else mask

    def compute_output_shape(self, input_shape):
        if callable(self.output_shape_arg):
            shape = self.output_shape_arg(input_shape)
            if isinstance(shape, list) and shape and isinstance(shape[0], (tuple, list)):   # several outputs
                return [tuple(one) for one in shape]
            return tuple(shape)
        if self.output_shape_arg is not None:
            return (input_shape[0],) + tuple(self.output_shape_arg)
        several = isinstance(input_shape, list) and bool(input_shape) and isinstance(input_shape[0], tuple)
        shapes = input_shape if several else [input_shape]
        zeros = [np.zeros([1 if d is None else d for d in shape], dtype=self.dtype) for shape in shapes]
        outputs = self.function(zeros if several else zeros[0], **self.arguments)
        batch = shapes[0][0]
        if isinstance(outputs, (list, tuple)):     # a function returning several tensors: one shape each
            return [(batch,) + tuple(np.shape(output))[1:] for output in outputs]
        return (batch,) + tuple(np.shape(outputs))[1:]

    def get_config(self):
        config = super().get_config()
        name = getattr(self.function, "__name__", type(self.function).__name__)
        config.update({"function": name, "function_type": "function",
                       "module": getattr(self.function, "__module__", None),
                       "output_shape": None if callable(self.output_shape_arg) else self.output_shape_arg,
                       "output_shape_type": "raw", "output_shape_module": None, "arguments": self.arguments})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the layer; its function is looked up by name in ``custom_objects``.

        Raises:
            ValueError: if the function is not in ``custom_objects`` (or a ``custom_object_scope``).
        """
        config = dict(config)
        custom = {**generic_utils.get_custom_objects(), **(custom_objects or {})}
        saved = config.pop("function")
        name = saved if isinstance(saved, str) else config.get("name")
        for key in ("function_type", "module", "output_shape_type", "output_shape_module"):
            config.pop(key, None)
        if name not in custom:
            stored = "its name" if isinstance(saved, str) else "Python bytecode (tf_keras)"
            raise ValueError(f"Lambda layer {config.get('name')!r} needs its function {name!r}: the file stores "
                             f"{stored}, and minikeras never loads code from files. Pass the function: "
                             f"load_model(path, custom_objects={{{name!r}: your_function}}).")
        output_shape = config.pop("output_shape", None)
        return cls(custom[name], output_shape=output_shape, **config)
