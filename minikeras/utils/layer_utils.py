"""Layer helpers (Keras ``keras.utils.layer_utils``): ``count_params``, ``print_summary``,
``get_source_inputs`` and the ``Dense`` kernel reordering for a convnet whose ``data_format`` changes.

>>> count_params([np.zeros((3, 2)), np.zeros(2)])
8
"""
import numpy as np


def count_params(weights):
    """Returns the number of values in ``weights`` (each array counted once, even if listed twice).

    Args:
        weights: an iterable of arrays.

    Returns:
        int
    """
    unique = {id(w): w for w in weights}.values()
    return int(sum(np.prod(np.shape(w)) for w in unique))


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Prints ``model.summary()``'s table.

    Args:
        model: a model.
        line_length, positions, print_fn: as :meth:`Model.summary`.
    """
    model.summary(line_length=line_length, positions=positions, print_fn=print_fn)


def get_source_inputs(tensor, layer=None, node_index=None):
    """Returns the input tensors (from ``Input(...)``) that the Keras tensor ``tensor`` was computed from.

    Args:
        tensor: a Keras tensor (the output of a layer called on ``Input`` tensors).
        layer, node_index: accepted for Keras 2's signature; the tensor's own history is followed.

    Returns:
        list of Keras tensors, each once, in the order they are first reached.

    >>> from minikeras.layers import Dense, Input, concatenate
    >>> a, b = Input((2,), name='a'), Input((3,), name='b')
    >>> [t.name for t in get_source_inputs(Dense(1)(concatenate([a, b])))]
    ['a', 'b']
    """
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        node = t.node
        if node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            continue
        stack.extend(reversed(node.input_tensors))
    return found


def convert_dense_weights_data_format(dense, previous_feature_map_shape, target_data_format="channels_first"):
    """Reorders the rows of ``dense``'s kernel for a ``Flatten`` whose feature map changes data format.

    Args:
        dense: the ``Dense`` layer after the ``Flatten``.
        previous_feature_map_shape: the feature map before the ``Flatten``, 3 ints, in the *target*
            format's order as Keras reads it: ``(c, h, w)`` when converting to channels_first,
            ``(h, w, c)`` when converting to channels_last.
        target_data_format: ``'channels_first'`` or ``'channels_last'``.

    Raises:
        ValueError: for another ``target_data_format``.

    >>> from minikeras.layers import Dense
    >>> dense = Dense(1, kernel_initializer='zeros'); dense.build((None, 4))
    >>> dense.set_weights([np.arange(4.0).reshape(4, 1), np.zeros(1)])
    >>> convert_dense_weights_data_format(dense, (2, 1, 2))   # rows (h, w, c) -> (c, h, w)
    >>> dense.get_weights()[0].ravel().tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    if target_data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"target_data_format must be 'channels_first' or 'channels_last', got {target_data_format!r}.")
    kernel, bias = dense.get_weights()
    units = kernel.shape[1]
    if target_data_format == "channels_first":
        c, h, w = previous_feature_map_shape
        kernel = kernel.reshape(h, w, c, units).transpose(2, 0, 1, 3)     # rows (h, w, c) -> (c, h, w)
    else:
        h, w, c = previous_feature_map_shape
        kernel = kernel.reshape(c, h, w, units).transpose(1, 2, 0, 3)     # rows (c, h, w) -> (h, w, c)
    dense.set_weights([kernel.reshape(-1, units), bias])


def convert_all_kernels_in_model(model):
    """Not available: it flipped convolution kernels between Theano and TensorFlow (tf_keras removed it).

    Args:
        model: the model Keras would convert.

    Raises:
        NotImplementedError: always.
    """
    raise NotImplementedError("minikeras has no convert_all_kernels_in_model (it converted Theano kernels; tf_keras "
                              "removed it). Use utils.conv_utils.convert_kernel on each kernel if you need the flip.")
