"""The reverse pass: walks a recorded tape from its output back to its leaves.

:mod:`~minikeras.backend.autodiff` records every operation on its ``Tensor`` s: each node
keeps its ``parents`` and its ``vjp``, the function that turns ``dL/d(node)`` into the
gradients of its parents. Backpropagation is then two steps, both here:

1. :func:`topological_order` lists the nodes so that each comes after all its parents;
2. :func:`backward` visits them in the reverse order, so a node's gradient is complete (all
   the paths through its children added up) before it is passed on to its parents:
   ``dL/d(parent) += vjp(dL/d(node))``.

This module needs nothing but those two attributes (and ``value``, for the shapes).

>>> import numpy as np
>>> from minikeras.backend.autodiff import Tensor
>>> x = Tensor(np.array([1.0, 2.0]))
>>> gradients(x * x + x, [x])[0]   # d(x^2 + x)/dx = 2x + 1
array([3., 5.])
"""
import numpy as np


def topological_order(root):
    """The tensors ``root`` depends on (itself included), each after all its parents."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:                                  # iterative depth-first search: deep tapes are fine
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if id(p) not in seen)
    return order


def backward(root, grad=None):
    """Returns ``{id(tensor): dL/d(tensor)}`` for every tensor ``root`` depends on.

    Args:
        root: the Tensor being differentiated (``L`` itself, or an output whose upstream
            gradient is ``grad``).
        grad: ``dL/d(root)``, of root's shape; default ones (``L = sum(root)``).

    Returns:
        dict keyed by ``id(tensor)``.
    """
    grads = {id(root): np.ones_like(root.value) if grad is None else np.asarray(grad)}
    for node in reversed(topological_order(root)):
        g = grads.get(id(node))
        if node.vjp is None or g is None:
            continue
        for parent, d in zip(node.parents, node.vjp(g)):
            grads[id(parent)] = d if id(parent) not in grads else grads[id(parent)] + d
    return grads


def gradients(root, wrt, grad=None):
    """Returns ``[dL/dx for x in wrt]`` (zeros for an ``x`` that ``root`` does not depend on).

    Args:
        root: a Tensor.
        wrt: list of leaf Tensors.
        grad: upstream gradient ``dL/d(root)`` (default ones).

    Returns:
        list of arrays, each of its tensor's shape.
    """
    grads = backward(root, grad)
    return [grads.get(id(x), np.zeros_like(x.value)) for x in wrt]
