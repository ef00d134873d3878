"""The Graphs tab: the Keras JSON (conceptual graph) and the layer GraphDef (op graph)."""
import json

import numpy as np
import pytest

from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential
from minikeras.tensorboard import graph


def _model():
    return Sequential([Dense(5, activation="relu", input_dim=4, name="d1"), Dropout(0.5, name="drop"),
                       Dense(3, activation="softmax", name="d2")])


def test_model_json_has_keras_layout():
    config = json.loads(graph.model_json(_model()))
    assert config["class_name"] == "Sequential"
    assert [layer["config"]["name"] for layer in config["config"]["layers"]][-3:] == ["d1", "drop", "d2"]


class _NoJson:
    def get_config(self):
        return {"name": "m", "layers": [], "shape": (np.int64(3), None)}


def test_model_json_without_to_json_uses_get_config():
    assert json.loads(graph.model_json(_NoJson())) == {
        "class_name": "_NoJson", "config": {"name": "m", "layers": [], "shape": [3, None]}, "backend": "numpy"}


# The conceptual graph TensorBoard 2.21 builds from tf_keras 2.21's JSON of
# Sequential([Dense(5, relu, input_dim=4, name='d1'), Dense(3, softmax, name='d2')])
# (keras_util.keras_model_to_graph_def(json.loads(<the 'keras' summary>)): node name, inputs, keras_class).
TK_CONCEPTUAL = [("sequential/d1_input", [], b"InputLayer"), ("sequential/d1", ["sequential/d1_input"], b"Dense"),
                 ("sequential/d2", ["sequential/d1"], b"Dense")]


def test_conceptual_graph_has_tf_keras_layer_nodes():
    keras_util = pytest.importorskip("tensorboard.plugins.graph.keras_util")
    model = Sequential([Dense(5, activation="relu", input_dim=4, name="d1"),
                        Dense(3, activation="softmax", name="d2")], name="sequential")
    nodes = keras_util.keras_model_to_graph_def(json.loads(graph.model_json(model))).node
    ours = {n.name: (list(n.input), n.attr["keras_class"].s) for n in nodes}
    # the Dense layers are identical; tf_keras's config also lists the implicit InputLayer 'd1_input'
    assert ours["sequential/d2"] == (["sequential/d1"], b"Dense")
    assert ours["sequential/d1"][1] == b"Dense"
    assert set(ours) - {"sequential/d1_input"} == {name for name, _, _ in TK_CONCEPTUAL} - {"sequential/d1_input"}


def test_op_graph_nodes_inputs_and_shapes():
    graph_pb2 = pytest.importorskip("tensorboard.compat.proto.graph_pb2")
    g = graph_pb2.GraphDef.FromString(graph.layer_graph_def(_model()))
    nodes = {n.name: n for n in g.node}
    assert list(nodes) == ["input", "d1/kernel", "d1/bias", "d1/Dense", "drop/Dropout", "d2/kernel", "d2/bias",
                           "d2/Dense"]
    assert list(nodes["d1/Dense"].input) == ["input", "d1/kernel", "d1/bias"]
    assert list(nodes["drop/Dropout"].input) == ["d1/Dense"]
    assert list(nodes["d2/Dense"].input) == ["drop/Dropout", "d2/kernel", "d2/bias"]
    assert nodes["input"].op == "Placeholder" and nodes["d1/kernel"].op == "VariableV2"
    assert [d.size for d in nodes["input"].attr["shape"].shape.dim] == [-1, 4]
    assert [d.size for d in nodes["d1/kernel"].attr["shape"].shape.dim] == [4, 5]
    assert [d.size for d in nodes["d2/Dense"].attr["_output_shapes"].list.shape[0].dim] == [-1, 3]


def test_op_graph_of_a_two_input_two_output_model_follows_the_calls():
    from minikeras import layers
    from minikeras.models import Model
    graph_pb2 = pytest.importorskip("tensorboard.compat.proto.graph_pb2")
    a, b = layers.Input((3,), name="a"), layers.Input((3,), name="b")
    summed = layers.add([a, b], name="sum")
    shared = layers.Dense(2, name="shared")
    out1, out2 = shared(summed), layers.Dense(1, name="other")(shared(a))
    g = graph_pb2.GraphDef.FromString(graph.layer_graph_def(Model([a, b], [out1, out2])))
    nodes = {n.name: n for n in g.node}
    assert nodes["a"].op == "Placeholder" and nodes["b"].op == "Placeholder"
    assert list(nodes["sum/Add"].input) == ["a", "b"]
    assert list(nodes["shared/Dense"].input) == ["sum/Add", "a", "shared/kernel", "shared/bias"]
    assert list(nodes["other/Dense"].input) == ["shared/Dense", "other/kernel", "other/bias"]
    assert [d.size for d in nodes["other/Dense"].attr["_output_shapes"].list.shape[0].dim] == [-1, 1]
