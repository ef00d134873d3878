"""The graph of a functional model: its nodes in order, run forwards and then backwards.

``Model(inputs, outputs)`` walks from each output tensor back through the nodes that made it
(:mod:`minikeras.layers.node`) down to the inputs. That walk gives

* the **execution order**: a node runs after every node that feeds it (a depth-first post-order);
* ``model.layers`` in **Keras's order**: by decreasing depth (distance to the outputs), ties in
  the order the walk first met the layers (tf_keras's ``_map_graph_network``).

Forward runs the nodes in execution order, keeping each tensor's value in a dict. Backward runs
them in reverse: each node receives the gradient of its outputs and hands each input its share.
A tensor that feeds several nodes receives the **sum** of their gradients, and a layer called
several times (shared) gets the **sum** of its weight gradients over its calls. Before a shared
layer's backward, the graph puts back the cache of that very call (``Layer.cache_state``).
"""
import numpy as np

from ..layers import node as node_module


class Graph:
    """The nodes between ``inputs`` and ``outputs``.

    Args:
        inputs: list of KerasTensors made by ``Input``.
        outputs: list of KerasTensors computed from them.

    Raises:
        ValueError: if an output cannot be computed from the inputs (Keras's "Graph disconnected"),
            or two layers share a name.
    """

    def __init__(self, inputs, outputs):
        self.inputs, self.outputs = list(inputs), list(outputs)
        for t in self.inputs:
            if not t.node.is_input:
                raise ValueError(f"Model inputs must come from `Input` (an InputLayer); {t.name} was made by "
                                 f"layer {t.keras_history[0].name!r}.")
        order, first_seen = [], {}
        done = set()

        def visit(tensor, in_progress):
            node = tensor.node
            layer = node.layer
            first_seen.setdefault(layer, len(first_seen))
            if id(node) in done:
                return
            if id(node) in in_progress:
                raise ValueError(f"The graph has a cycle at layer {layer.name!r}.")
            in_progress.add(id(node))
            for t in node.input_tensors:
                visit(t, in_progress)
            in_progress.discard(id(node))
            done.add(id(node))
            order.append(node)

        for t in self.outputs:
            visit(t, set())
        input_ids = {id(t) for t in self.inputs}
        for node in order:
            if node.is_input and id(node.output_tensors[0]) not in input_ids:
                raise ValueError(f"Graph disconnected: cannot obtain value for tensor {node.output_tensors[0].name} "
                                 f"at layer {node.layer.name!r}. The following previous layers were accessed "
                                 f"without issue: {[n.layer.name for n in order if not n.is_input]}. Give it "
                                 f"to Model(inputs=...) too.")
        for t in self.inputs:
            first_seen.setdefault(t.node.layer, len(first_seen))
            if t.node not in order:
                order.insert(0, t.node)
        self.nodes = [n for n in order if not n.is_input]
        self.all_nodes = order
        self.layers = _layers_by_depth(order, first_seen)
        names = [layer.name for layer in self.layers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f'The name "{name}" is used {names.count(name)} times in the model. All layer '
                                 f'names should be unique.')
        calls = {}
        for n in self.nodes:
            calls[n.layer] = calls.get(n.layer, 0) + 1
        self.shared = {layer for layer, c in calls.items() if c > 1}
        self.consumers = {}  # id(tensor) -> number of nodes that read it
        for n in self.nodes:
            for t in n.input_tensors:
                self.consumers[id(t)] = self.consumers.get(id(t), 0) + 1
        self.node_caches = {}
        self.values = {}
        self.output_masks = [None] * len(self.outputs)

        # what each node needs at run time, worked out once (the per-batch loops stay short)
        self._steps = [_Step(n, n.layer in self.shared, any(not t.node.is_input for t in n.input_tensors))
                       for n in self.nodes]
        self._weighted = [layer for layer in self.layers if layer.weights]

    # ------------------------------------------------------------------ forward
    def forward(self, xs, training):
        """Runs every node on the input arrays ``xs`` (one per input); returns the output arrays."""
        values = {id(t): x for t, x in zip(self.inputs, xs)}
        masks = {}
        for step in self._steps:
            layer = step.layer
            x = values[step.in_ids[0]] if step.single_input else [values[i] for i in step.in_ids]
            mask = None
            if masks:
                mask = masks.get(step.in_ids[0]) if step.single_input else [masks.get(i) for i in step.in_ids]
            if mask is not None and step.accepts_mask and "mask" not in step.kwargs:
                out = layer(x, training=training, mask=mask, **step.kwargs)
            else:
                out = layer(x, training=training, **step.kwargs)
            if step.single_output:
                values[step.out_ids[0]] = out
            else:
                values.update(zip(step.out_ids, out))
            out_mask = layer.compute_mask(x, mask)
            out_masks = [out_mask] if step.single_output else list(out_mask or [None] * len(step.out_ids))
            masks.update((i, m) for i, m in zip(step.out_ids, out_masks) if m is not None)
            if step.shared:
                self.node_caches[id(step.node)] = layer.cache_state()
        self.values = values
        self.output_masks = [masks.get(id(t)) for t in self.outputs]  # what the loss and metrics apply
        return [values[id(t)] for t in self.outputs]

    # ------------------------------------------------------------------ backward
    def backward(self, output_grads, from_logits=(), input_grad=False):
        """Backpropagates ``output_grads`` (one per output; None = no gradient) through the graph.

        Args:
            output_grads: list of arrays ``dL/d(output)``.
            from_logits: indices of outputs whose gradient is ``dL/d(logits)`` (fused loss):
                their layer runs ``backward_from_logits`` instead of ``backward``.
            input_grad: whether to return ``dL/d(inputs)`` (when the model is used as a layer).

        Returns:
            list: ``dL/d(input)`` per input (None where nothing flows), if ``input_grad``.
        """
        grads = {}
        for t, g in zip(self.outputs, output_grads):
            if g is not None:
                grads[id(t)] = grads[id(t)] + g if id(t) in grads else g
        logits_nodes = {id(self.outputs[i].keras_history[0].inbound_nodes[self.outputs[i].keras_history[1]])
                        for i in from_logits}
        summed, reached = {}, set()
        for step in reversed(self._steps):
            layer = step.layer
            if step.single_output:
                g = grads.pop(step.out_ids[0], None)                      # dL/d(output of this call)
                if g is None:
                    continue
            else:
                g = [grads.pop(i, None) for i in step.out_ids]
                if all(d is None for d in g):
                    continue
                g = [np.zeros_like(self.values[i]) if d is None else d for i, d in zip(step.out_ids, g)]
            if step.shared:                                               # this call's cache, not the last one
                layer.restore_cache_state(self.node_caches[id(step.node)])
            need = input_grad or step.needs_input_grad
            reached.add(layer)
            if id(step.node) in logits_nodes:
                d_in = layer.backward_from_logits(g, need)
            else:
                d_in = layer.backward(g, input_grad=need)
            if layer in summed:                                           # a shared layer: sum over its calls
                summed[layer] = [a + b for a, b in zip(summed[layer], layer.grads)]
            elif step.shared:
                summed[layer] = list(layer.grads)
            if need:
                for i, d in zip(step.in_ids, [d_in] if step.single_input else d_in):
                    if d is not None:                                     # a tensor read twice: sum
                        grads[i] = grads[i] + d if i in grads else d
        if len(reached) < len(self._weighted):
            for layer in self._weighted:  # a layer no gradient reached (e.g. feeding an output with no loss)
                if layer not in reached:
                    layer.grads = [np.zeros_like(w) for w in layer.trainable_weights]
        for layer, g in summed.items():
            layer.grads = g
        return [grads.get(id(t)) for t in self.inputs] if input_grad else None

    def release(self):
        """Forgets the last forward pass (values and the shared layers' saved caches)."""
        self.values, self.node_caches = {}, {}

    # ------------------------------------------------------------------ node numbering in configs
    def node_index(self, node):
        """The index Keras writes for ``node`` in this model's config (calls outside the model skipped)."""
        kept = [n for n in node.layer.inbound_nodes if n in self.all_nodes or n is node.layer.inbound_nodes[0]
                and getattr(node.layer, "is_graph_model", False)]
        return kept.index(node)

    def tensor_ref(self, tensor):
        """``[layer_name, node_index, tensor_index]`` for ``tensor`` in this model's config."""
        layer, _, tensor_index = tensor.keras_history
        return [layer.name, self.node_index(tensor.node), tensor_index]


def _layers_by_depth(order, first_seen):
    """tf_keras's layer order: by decreasing depth, ties by first appearance in the walk."""
    node_depth, layer_depth = {}, {}
    for node in reversed(order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = depth
        node_depth[id(node)] = depth
        for t in node.input_tensors:
            parent = t.node
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))


class _Step:
    """One node, as forward and backward use it (ids of its tensors, flags)."""

    __slots__ = ("node", "layer", "in_ids", "out_ids", "single_input", "single_output", "kwargs", "shared",
                 "needs_input_grad", "accepts_mask")

    def __init__(self, node, shared, needs_input_grad):
        self.node, self.layer = node, node.layer
        self.in_ids = [id(t) for t in node.input_tensors]
        self.out_ids = [id(t) for t in node.output_tensors]
        self.single_input, self.single_output = node.single_input, node.single_output
        self.kwargs = dict(node.kwargs)
        self.shared, self.needs_input_grad = shared, needs_input_grad
        self.accepts_mask = node_module.call_accepts_mask(node.layer)
