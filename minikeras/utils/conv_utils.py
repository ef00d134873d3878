"""Convolution arithmetic (Keras ``keras.utils.conv_utils``): argument checks and output/input lengths.

The convolution layers use their own checks (:mod:`minikeras.layers.conv_utils`, with messages that
name the layer); this module is the public Keras 2 one, for code that imports it.

Lengths along one axis, for input length ``n``, kernel ``k`` (dilated: ``k' = k + (k-1)(d-1)``),
stride ``s``::

    valid   ceil((n - k' + 1) / s)      same, causal   ceil(n / s)      full   ceil((n + k' - 1) / s)

>>> conv_output_length(32, 5, 'valid', 2), conv_input_length(14, 5, 'valid', 2), deconv_length(32, 2, 5, 'valid', None)
(14, 31, 67)
"""
import numpy as np

from .. import backend

#: The paddings these functions know.
PADDINGS = ("valid", "same", "causal", "full")


def normalize_tuple(value, n, name):
    """Returns ``value`` as a tuple of ``n`` ints (an int is repeated).

    Args:
        value: an int, or a sequence of ``n`` ints.
        n (int): the length wanted.
        name (str): the argument's name, for the error message.

    Raises:
        ValueError: for anything else.

    >>> normalize_tuple(3, 2, 'kernel_size'), normalize_tuple([3, 4], 2, 'strides')
    ((3, 3), (3, 4))
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    message = f"The `{name}` argument must be a tuple of {n} integers. Received: {value!r}"
    try:
        values = tuple(value)
    except TypeError:
        raise ValueError(message) from None
    if len(values) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise ValueError(message)
    return tuple(int(v) for v in values)


def normalize_padding(value):
    """Returns ``value`` lower-cased: ``'valid'``, ``'same'`` or ``'causal'``.

    Raises:
        ValueError: for any other padding.
    """
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ("valid", "same", "causal"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same' (or 'causal', only for "
                         f"`Conv1D`). Received: {value!r}")
    return padding


def normalize_data_format(value):
    """Returns ``value`` lower-cased (``None``: ``K.image_data_format()``).

    Raises:
        ValueError: unless it is ``'channels_first'`` or ``'channels_last'``.
    """
    return backend.normalize_data_format(value)


def convert_kernel(kernel):
    """Flips a convolution kernel along its spatial axes (Theano's convolution <-> TensorFlow's correlation).

    Args:
        kernel: array shaped ``spatial axes + (input channels, filters)``.

    Raises:
        ValueError: for a kernel of fewer than 3 or more than 5 axes.

    >>> convert_kernel(np.arange(4.0).reshape(2, 1, 1, 2))[:, 0, 0, 0]
    array([2., 0.])
    """
    kernel = np.asarray(kernel)
    if not 3 <= kernel.ndim <= 5:
        raise ValueError(f"Invalid kernel shape: {kernel.shape}; a kernel has 3 to 5 axes.")
    return np.flip(kernel, axis=tuple(range(kernel.ndim - 2))).copy()


def _dilated(filter_size, dilation):
    return filter_size + (filter_size - 1) * (dilation - 1)


def conv_output_length(input_length, filter_size, padding, stride, dilation=1):
    """The output length of a convolution along one axis (None stays None).

    Args:
        input_length: int or None.
        filter_size (int): kernel size.
        padding (str): ``'valid'``, ``'same'``, ``'causal'`` or ``'full'``.
        stride (int): stride.
        dilation (int): dilation rate.

    Raises:
        AssertionError: for another padding (as Keras).
    """
    assert padding in PADDINGS, f"padding must be one of {PADDINGS}, got {padding!r}"
    if input_length is None:
        return None
    k = _dilated(filter_size, dilation)
    length = {"valid": input_length - k + 1, "full": input_length + k - 1}.get(padding, input_length)
    return (length + stride - 1) // stride


def conv_input_length(output_length, filter_size, padding, stride):
    """The input length a convolution needs to give ``output_length`` (None stays None).

    Args:
        output_length: int or None.
        filter_size (int): kernel size.
        padding (str): ``'valid'``, ``'same'`` or ``'full'``.
        stride (int): stride.

    Raises:
        AssertionError: for another padding.
    """
    assert padding in ("valid", "same", "full"), f"padding must be 'valid', 'same' or 'full', got {padding!r}"
    if output_length is None:
        return None
    pad = {"same": filter_size // 2, "valid": 0, "full": filter_size - 1}[padding]
    return (output_length - 1) * stride - 2 * pad + filter_size


def deconv_length(dim_size, stride_size, kernel_size, padding, output_padding, dilation=1):
    """The output length of a transposed convolution along one axis (None stays None).

    Args:
        dim_size: input length, int or None.
        stride_size (int): stride.
        kernel_size (int): kernel size.
        padding (str): ``'valid'``, ``'same'`` or ``'full'``.
        output_padding: None (the largest length that fits) or the extra length on one side.
        dilation (int): dilation rate.

    Raises:
        AssertionError: for another padding.
    """
    assert padding in ("valid", "same", "full"), f"padding must be 'valid', 'same' or 'full', got {padding!r}"
    if dim_size is None:
        return None
    k = _dilated(kernel_size, dilation)
    if output_padding is None:
        extra = {"valid": max(k - stride_size, 0), "full": -(stride_size + k - 2), "same": 0}[padding]
        return dim_size * stride_size + extra
    pad = {"same": k // 2, "valid": 0, "full": k - 1}[padding]
    return (dim_size - 1) * stride_size + k - 2 * pad + output_padding
