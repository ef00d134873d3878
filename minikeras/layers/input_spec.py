"""``InputSpec``: what a layer promises to accept, checked each time it is called.

A custom layer from the Keras guides writes ``self.input_spec = InputSpec(ndim=3)`` in its
``__init__`` or ``build``; from then on a call with an input of another rank, or with another
size on a fixed axis, fails at once with tf_keras's message instead of deep inside ``call``.

>>> spec = InputSpec(ndim=3, axes={-1: 4})
>>> spec
InputSpec(ndim=3, axes={-1: 4})
>>> check_input(spec, (None, 5, 4), 'my_layer')            # fits: nothing happens
>>> check_input(spec, (None, 4), 'my_layer')
Traceback (most recent call last):
...
ValueError: Input 0 of layer "my_layer" is incompatible with the layer: expected ndim=3, found ndim=2. ...
"""


class InputSpec:
    """The rank, axis sizes and dtype a layer's input must have (Keras ``keras.layers.InputSpec``).

    Args:
        dtype: expected dtype name, or None for any.
        shape: the full expected shape (None for an axis of any size), or None.
        ndim: the exact rank (batch axis included), or None.
        max_ndim: the largest rank allowed, or None.
        min_ndim: the smallest rank allowed, or None.
        axes: ``{axis: size}`` for axes of a fixed size (negative axes count from the end).
        allow_last_axis_squeeze: accepted, as in tf_keras (a rank one off with a last axis of 1).
        name: optional name of the input.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(axis): size for axis, size in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name

    def __repr__(self):
        fields = [f"{key}={value}" for key, value in (
            ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim), ("max_ndim", self.max_ndim),
            ("min_ndim", self.min_ndim), ("axes", self.axes or None)) if value is not None]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self):
        """The spec's arguments as a dict."""
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        """The spec of :meth:`get_config`'s dict."""
        return cls(**config)


def check_input(specs, shapes, layer_name):
    """Raises a ValueError (tf_keras's wording) if an input shape breaks its spec.

    Args:
        specs: an :class:`InputSpec`, a list of them (one per input), or None.
        shapes: the input shape, or a list of shapes (batch axis included).
        layer_name: for the message.
    """
    if specs is None:
        return
    specs = specs if isinstance(specs, (list, tuple)) else [specs]
    shapes = shapes if shapes and isinstance(shapes[0], (list, tuple)) else [shapes]
    for index, (spec, shape) in enumerate(zip(specs, shapes)):
        if spec is None:
            continue
        rank = len(shape)
        if spec.ndim is not None and rank != spec.ndim:
            _refuse(index, layer_name, f"expected ndim={spec.ndim}, found ndim={rank}", shape)
        if spec.max_ndim is not None and rank > spec.max_ndim:
            _refuse(index, layer_name, f"expected max_ndim={spec.max_ndim}, found ndim={rank}", shape)
        if spec.min_ndim is not None and rank < spec.min_ndim:
            _refuse(index, layer_name, f"expected min_ndim={spec.min_ndim}, found ndim={rank}", shape)
        fixed = spec.axes if spec.shape is None else \
            {**spec.axes, **{axis: size for axis, size in enumerate(spec.shape) if size is not None}}
        for axis, size in fixed.items():
            got = shape[axis] if -rank <= axis < rank else None
            if size is not None and got is not None and got != size:
                raise ValueError(f'Input {index} of layer "{layer_name}" is incompatible with the layer: expected '
                                 f'axis {axis} of input shape to have value {size}, but received input with shape '
                                 f'{tuple(shape)}')


def _refuse(index, layer_name, expected, shape):
    raise ValueError(f'Input {index} of layer "{layer_name}" is incompatible with the layer: {expected}. Full shape '
                     f'received: {tuple(shape)}')
