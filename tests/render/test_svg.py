"""What the SVG says and how it looks, exactly, drawn by the in-process Graphviz."""
import pytest

import drawing
import graphspec
from support import SPECS
from graphspec.cli import check_file
from graphspec.render import output, to_svg
from graphspec.render.style import ERROR_COLOR, LOOKS, SKIPPED_COLOR


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)


def svg_of(name: str, **options):
    graph, _ = check_file(SPECS / name)
    return drawing.parse(to_svg(graph, **options))


def test_each_node_says_name_type_arguments_shape_and_parameters():
    root = svg_of("seed_cnn.yaml")
    assert drawing.nodes(root) == {
        "n0": ["image: Input", "(None, 64, 64, 1) float32"],
        "n1": ["conv1: Conv2D", "64 × 3×3, relu", "(None, 62, 62, 64)", "640 params"],
        "n2": ["max_pooling2d: MaxPooling2D", "2×2", "(None, 31, 31, 64)", "0 params"],
        "n3": ["conv2d: Conv2D", "64 × 3×3, relu", "(None, 29, 29, 64)", "36,928 params"],
        "n4": ["max_pooling2d_1: MaxPooling2D", "2×2", "(None, 14, 14, 64)", "0 params"],
        "n5": ["flatten: Flatten", "(None, 12544)", "0 params"],
        "n6": ["dense: Dense", "64 units, relu", "(None, 64)", "802,880 params"],
        "n7": ["probs: Dense (output)", "2 units, softmax", "(None, 2)", "130 params"],
    }


def test_each_edge_says_its_tensor_and_the_title_the_totals():
    root = svg_of("seed_cnn.yaml")
    assert drawing.edges(root)["n0->n1"] == ["(None, 64, 64, 1) float32"]
    assert drawing.edges(root)["n5->n6"] == ["(None, 12544) float32"]
    assert drawing.texts(root)[:2] == ["seed_cnn", "840,578 params, 840,578 trainable"]


def test_frozen_parameters_are_marked_and_counted_apart():
    root = svg_of("fasttext_frozen_dense.yaml")
    assert drawing.nodes(root)["n1"][-1] == "6,000,000 params, frozen"
    assert drawing.texts(root)[:2] == ["fasttext_frozen_dense", "6,091,805 params, 91,805 trainable, "
                                                                "6,000,000 non-trainable"]
    assert drawing.by_title(svg_of("two_inputs.yaml"))["batch_normalization: BatchNormalization"][-1] == \
        "64 params (32 non-trainable)"


def _outline(root, node_id: str) -> str:
    return next(drawing.node_elements(root)[node_id].iter(f"{drawing.SVG}polygon")).get("stroke")


def test_inputs_outputs_and_layers_are_drawn_apart():
    root = svg_of("two_inputs.yaml")
    ids = {lines[0]: node_id for node_id, lines in drawing.nodes(root).items()}
    rounded = next(drawing.node_elements(root)[ids["image: Input"]].iter(f"{drawing.SVG}path"))
    assert rounded.get("stroke") == LOOKS["input"]["color"]
    assert _outline(root, ids["digit: Dense (output)"]) == LOOKS["output"]["color"]
    assert _outline(root, ids["hidden: Dense"]) == LOOKS["layer"]["color"]


def test_an_invalid_spec_shows_its_errors_in_red_and_greys_what_follows():
    root = svg_of("invalid/several_errors.yaml")
    nodes = drawing.nodes(root)
    assert nodes["n2"] == ["conv2d: Conv2D", "error[GS202]: unknown field 'kernal_size' for", "Conv2D"]
    assert nodes["n5"] == ["embedding: Embedding (output)", "100 × 4",
                           "error[GS500]: Embedding looks rows up by integer",
                           "index, but its input is (None, 10) float32 from", "'projected'"]
    assert nodes["n3"] == ["flatten: Flatten (output)", "not checked: an input before it failed"]
    assert _outline(root, "n2") == ERROR_COLOR
    assert {t.get("fill") for t in drawing.node_elements(root)["n2"].iter(f"{drawing.SVG}text")} == {ERROR_COLOR}
    assert _outline(root, "n3") == SKIPPED_COLOR
    assert drawing.edges(root)["n2->n3"] == []  # no tensor comes out of a broken layer
    assert drawing.texts(root)[:3] == ["model", "partial count: 310 params, 310 trainable; 4 layers not counted",
                                       "3 errors: not a valid model"]


def test_the_title_says_no_count_when_no_layer_checked():
    assert drawing.texts(svg_of("invalid/unknown_type.yaml"))[:3] == [
        "model", "params unknown: no layer checked", "1 error: not a valid model"]


def test_characters_special_to_records_are_drawn_as_written():
    nodes = drawing.nodes(svg_of("invalid/cycle.yaml"))
    assert nodes["n1"] == ["a: Dense", "8 units", "error[GS302]: the layers form a cycle: a -> b ->", "c -> a"]


def test_a_problem_of_no_layer_is_in_the_title():
    texts = drawing.texts(svg_of("invalid/wrong_version.json"))
    assert texts[:5] == ["model", "5 params, 5 trainable", "1 error: not a valid model",
                         "error[GS200]: graphspec: 3 is not a format", "version this tool reads"]


def test_expand_draws_an_embedding_as_a_row_gather():
    plain = svg_of("fasttext_two_tables.yaml")
    expanded = svg_of("fasttext_two_tables.yaml", expand="pretrained,popular")
    assert len(drawing.nodes(expanded)) == len(drawing.nodes(plain)) + 3
    nodes = drawing.nodes(expanded)
    assert nodes["n1_0"] == ["gather rows of embeddings", "embeddings (20000, 300)",
                             "≡ one_hot(x, input_dim) @ embeddings"]
    assert nodes["n2_0"] == ["ids outside [0, 2000) → 0"]
    assert nodes["n2_1"] == ["gather rows of embeddings", "embeddings (2000, 32)",
                             "≡ one_hot(x, input_dim) @ embeddings"]
    assert nodes["n1"] == ["pretrained: Embedding", "20,000 × 300, frozen", "(None, 40, 300)",
                           "6,000,000 params, frozen"]
    edges = drawing.edges(expanded)
    assert edges["n0->n1_0"] == edges["n0->n2_0"] == []  # tokens feeds both tables: its box says the tensor
    assert nodes["n0"] == ["tokens: Input", "(None, 40) int32"]
    assert edges["n1_0->n1"] == []  # the gather's result is the layer's output
    assert edges["n1->n3"] == ["(None, 40, 300) float32"]


def test_expand_draws_conv_and_dense_as_their_operations():
    nodes = drawing.nodes(svg_of("seed_cnn.yaml", expand=["conv1", "probs"]))
    assert [nodes[f"n1_{i}"] for i in range(4)] == [
        ["sliding 3×3 windows, padding valid"], ["× kernel, summed over each window", "kernel (3, 3, 1, 64)"],
        ["+ bias", "bias (64,)"], ["relu"]]
    assert [nodes[f"n7_{i}"] for i in range(3)] == [["x @ kernel", "kernel (64, 2)"], ["+ bias", "bias (2,)"],
                                                    ["softmax"]]
    assert "n3_0" not in nodes  # conv2d was not asked for


def test_a_model_name_ending_in_a_backslash_is_a_valid_graph_id():
    from graphspec.render import to_dot
    graph = graphspec.check(graphspec.loads("graphspec: 1\nname: 'abc\\'\ninputs: {x: {shape: [4]}}\n"
                                            "layers: [{type: Dense, units: 3}]\n"))
    assert to_dot(graph).source.startswith('digraph "abc\\\\" {')
    assert "<svg" in to_svg(graph)


def test_text_is_measured_in_a_font_as_wide_as_the_one_it_is_shown_in():
    """Graphviz sized boxes for Helvetica while Linux draws DejaVu Sans, wider: text ran past its boxes."""
    from graphspec.render import style
    root = svg_of("mobilenet_block.yaml")
    assert {t.get("font-family") for t in root.iter(f"{drawing.SVG}text")} == {
        "Verdana,DejaVu Sans,Bitstream Vera Sans,sans-serif"}
    assert style.FONT == "Verdana"  # Graphviz has Verdana's widths, as wide as DejaVu Sans's
    assert float(root.get("width").removesuffix("pt")) == 420  # Helvetica's widths gave 365: too narrow


def test_long_notes_of_operations_are_wrapped():
    nodes = drawing.by_title(svg_of("two_inputs.yaml", expand="batch_normalization"))
    assert nodes["(x − moving_mean) / √(moving_variance + 0.001)"] == [
        "(x − moving_mean) / √(moving_variance + 0.001)", "moving_mean (16,)", "moving_variance (16,)",
        "at inference; training uses the batch's", "statistics and updates these"]
