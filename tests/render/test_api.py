"""graphspec.render and the Jupyter view of a checked graph."""
import pytest

import drawing
import graphspec
from support import SPECS
from graphspec.render import output, to_svg


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)


def test_render_writes_the_file_and_returns_its_path(tmp_path):
    graph = graphspec.check(SPECS / "mnist_mlp.json")
    written = graphspec.render(graph, tmp_path / "mlp.svg")
    assert written == tmp_path / "mlp.svg"
    assert drawing.texts(drawing.parse(written.read_bytes()))[:2] == ["mnist_mlp", "101,770 params, 101,770 trainable"]


def test_a_checked_graph_shows_itself_as_svg_in_jupyter():
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    assert drawing.nodes(drawing.parse(graph._repr_svg_()))["n7"] == ["probs: Dense (output)", "2 units, softmax",
                                                                      "(None, 2)", "130 params"]


def test_bad_options_are_value_errors_that_say_what_is_allowed(tmp_path):
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    with pytest.raises(ValueError, match=r"^rankdir must be one of TB, LR, BT, RL, got 'XY'$"):
        graphspec.render(graph, tmp_path / "m.svg", rankdir="XY")
    with pytest.raises(ValueError) as error:
        graphspec.render(graph, tmp_path / "m.svg", expand=["conv1", "dens"])
    assert str(error.value) == ("no layer named 'dens' to expand (did you mean 'dense'?); the layers are: conv1, "
                                "max_pooling2d, conv2d, max_pooling2d_1, flatten, dense, probs")
    assert list(tmp_path.iterdir()) == []


def test_expand_true_expands_every_layer_that_checked():
    graph = graphspec.analyze(graphspec.load(SPECS / "invalid" / "several_errors.yaml"))
    nodes = drawing.nodes(drawing.parse(to_svg(graph, expand=True)))
    assert sorted(n for n in nodes if "_" in n) == ["n4_0", "n4_1"]  # only 'projected' is sound: matmul, + bias
