"""plot_model: the layer graph, the matplotlib drawing (always available), Keras's pydot route, and errors."""
import sys
import types

import numpy as np
import pytest

from minikeras.layers import Dense, Dropout
from minikeras.models import Sequential
from minikeras.utils import plot_model, vis_utils
from minikeras.utils.vis_utils import Node, layer_graph, node_label, ranks


@pytest.fixture
def model():
    return Sequential([Dense(8, input_dim=5, activation="relu", name="hidden"), Dropout(0.5, name="drop"),
                       Dense(2, activation="softmax", name="out")])


@pytest.fixture
def no_graphviz(monkeypatch):
    monkeypatch.setattr(vis_utils, "graphviz_available", lambda: False)


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")   # IHDR width, height


def test_layer_graph_is_the_chain_with_its_input(model):
    nodes = layer_graph(model)
    assert [(n.name, n.class_name, n.inbound) for n in nodes] == [
        ("hidden_input", "InputLayer", []), ("hidden", "Dense", ["hidden_input"]), ("drop", "Dropout", ["hidden"]),
        ("out", "Dense", ["drop"])]
    assert nodes[3].input_shape == (None, 8) and nodes[3].output_shape == (None, 2)
    assert node_label(nodes[1], show_shapes=True, show_layer_activations=True, show_trainable=True) == [
        "hidden: Dense (relu) [trainable]", "input: (None, 5)", "output: (None, 8)"]
    assert node_label(nodes[2], show_layer_names=False) == ["Dropout"]
    unbuilt = layer_graph(Sequential([Dense(3, name="d")]))
    assert [(n.name, n.inbound) for n in unbuilt] == [("d", [])]
    assert node_label(unbuilt[0], show_shapes=True)[1:] == ["input: ?", "output: ?"]


def test_ranks_of_a_graph():
    diamond = [Node("in", "InputLayer", None, None, [], None), Node("a", "Dense", None, None, ["in"], None),
               Node("b", "Dense", None, None, ["in"], None), Node("c", "Add", None, None, ["a", "b"], None),
               Node("d", "Dense", None, None, ["c", "in"], None)]
    assert ranks(diamond) == [0, 1, 1, 2, 3]


def test_matplotlib_picture_without_graphviz(model, tmp_path, no_graphviz):
    pytest.importorskip("matplotlib")
    plain, shapes = tmp_path / "plain.png", tmp_path / "shapes.png"
    plot_model(model, to_file=plain)
    plot_model(model, to_file=shapes, show_shapes=True, dpi=192)
    (w1, h1), (w2, h2) = png_size(plain), png_size(shapes)
    assert h1 > w1 and h2 > 2 * h1 - 10                           # top to bottom; taller boxes, twice the dpi
    plot_model(model, to_file=tmp_path / "wide.png", rankdir="LR")
    w3, h3 = png_size(tmp_path / "wide.png")
    assert w3 > h3                                                 # left to right
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.png", "shapes.png", "wide.png"]   # no temp files
    assert (tmp_path / "m.svg").exists() is False
    plot_model(model, to_file=tmp_path / "m.svg")
    assert b"<svg" in (tmp_path / "m.svg").read_bytes()[:500]


def test_a_graph_of_layers_is_drawn(model, tmp_path, no_graphviz, monkeypatch):
    pytest.importorskip("matplotlib")
    diamond = [Node("in", "InputLayer", None, None, [], None), Node("a", "Dense", None, None, ["in"], None),
               Node("b", "Dense", None, None, ["in"], None), Node("c", "Add", None, None, ["a", "b"], None)]
    chain = [node._replace(inbound=[diamond[i - 1].name] if i else []) for i, node in enumerate(diamond)]
    sizes = []
    for name, nodes in (("dag.png", diamond), ("chain.png", chain)):
        monkeypatch.setattr(vis_utils, "layer_graph", lambda m, nodes=nodes: nodes)
        plot_model(model, to_file=tmp_path / name)
        sizes.append(png_size(tmp_path / name))
    (dag_w, dag_h), (chain_w, chain_h) = sizes
    assert dag_w > 1.5 * chain_w and dag_h < chain_h               # a and b side by side: 3 ranks, not 4


def test_keras_route_through_pydot(model, tmp_path, monkeypatch):
    calls = {"nodes": [], "edges": []}
    fake = types.ModuleType("pydot")

    class Dot:
        def __init__(self, **kwargs):
            calls["graph"] = kwargs

        def set_node_defaults(self, **kwargs):
            calls["defaults"] = kwargs

        def add_node(self, node):
            calls["nodes"].append(node)

        def add_edge(self, edge):
            calls["edges"].append(edge)

        def write(self, path, format):
            calls["format"] = format
            open(path, "wb").write(b"drawn by graphviz")

    fake.Dot, fake.Node, fake.Edge = Dot, lambda name, label: (name, label), lambda a, b: (a, b)
    monkeypatch.setitem(sys.modules, "pydot", fake)
    monkeypatch.setattr(vis_utils.shutil, "which", lambda program: "/usr/bin/dot")
    plot_model(model, to_file=tmp_path / "g.png", show_shapes=True, rankdir="LR", dpi=50)
    assert calls["graph"]["rankdir"] == "LR" and calls["graph"]["dpi"] == 50 and calls["format"] == "png"
    assert [label for _, label in calls["nodes"]][1] == "{hidden: Dense|input: (None, 5)|output: (None, 8)}"
    assert len(calls["edges"]) == 3 and (tmp_path / "g.png").read_bytes() == b"drawn by graphviz"


def test_errors_before_any_file(model, tmp_path, no_graphviz, monkeypatch):
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(model, to_file=tmp_path / "x.png", rankdir="BT")
    with pytest.raises(ValueError, match="no layers"):
        plot_model(Sequential(), to_file=tmp_path / "x.png")
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="to_file"):
        plot_model(model, to_file=tmp_path / "file" / "x.png")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="pip install pydot.*pip install matplotlib"):
        plot_model(model, to_file=tmp_path / "x.png")
    assert not list(tmp_path.glob("*.png"))
    assert np.isfinite(model.count_params())
