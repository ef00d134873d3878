"""Work arrays a layer recycles from one training step to the next.

A training step of a convnet allocates a few very large temporary arrays — the im2col matrix
of Keras's mnist_cnn's second layer is 85 MB at batch 128 — and asking the OS for fresh memory
every step costs more than filling it: each new page is mapped and zeroed on first touch. A
:class:`Workspace` keeps last step's array and hands it back when the same shape is asked for.
"""
import numpy as np


class Workspace:
    """Work arrays a layer recycles between training steps, one spare per name.

    Allocating a fresh 85 MB im2col matrix every batch costs more than filling it (the OS maps
    and zeroes new pages); taking last step's array back is free. Only arrays the user never
    sees live here: a layer's outputs and returned gradients are always fresh. A cached array
    (the im2col matrix, kept from ``call`` for ``backward``) is given back at the end of
    ``backward``, so a shared layer's second call, made before the first call's backward, gets
    an array of its own. The spares live as long as the layer: one step's work arrays, kept.

    >>> work = Workspace()
    >>> a = work.take("cols", (2, 3), np.float32)
    >>> work.give("cols", a)
    >>> work.take("cols", (2, 3), np.float32) is a, work.take("cols", (2, 3), np.float32) is a
    (True, False)
    """

    def __init__(self):
        self.spares = {}

    def take(self, name, shape, dtype):
        """Returns the spare array ``name`` if it has this shape and dtype, else a new empty one."""
        spare = self.spares.pop(name, None)
        if spare is not None and spare.shape == tuple(shape) and spare.dtype == dtype:
            return spare
        return np.empty(shape, dtype)

    def give(self, name, array):
        """Keeps ``array`` (no longer needed by its caller) as the spare ``name`` (tape tensors are not kept)."""
        if isinstance(array, np.ndarray):
            self.spares[name] = array
