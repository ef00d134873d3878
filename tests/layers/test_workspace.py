"""Workspace: a spare comes back only for the same name, shape and dtype, and only once."""
import numpy as np

from minikeras.layers.workspace import Workspace


def test_a_spare_is_returned_once_and_only_when_it_fits():
    work = Workspace()
    a = np.zeros((4, 3), np.float32)
    work.give("cols", a)
    assert work.take("dz", (4, 3), np.float32) is not a                 # another name
    assert work.take("cols", (4, 3), np.float64) is not a               # another dtype: a is dropped
    work.give("cols", a)
    assert work.take("cols", (3, 4), np.float32) is not a               # another shape
    work.give("cols", a)
    got = work.take("cols", [4, 3], np.float32)
    assert got is a and work.take("cols", (4, 3), np.float32) is not a  # taken: no longer spare
    work.give("cols", a.tolist())                                       # not an ndarray: not kept
    assert work.spares == {}
