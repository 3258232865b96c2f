from support import analyze_text, found

HEAD = "graphspec: 1\ninputs:\n  x: {shape: [8]}\nlayers:\n"


def test_auto_names_follow_keras_and_skip_taken_names():
    graph = analyze_text(HEAD + "  - {type: Dense, units: 4, name: dense_1}\n  - {type: Dense, units: 4}\n"
                         "  - {type: Dense, units: 4}\n  - {type: MaxPool1D, inputs: x}\n" .replace(
                             "MaxPool1D, inputs: x", "Dense, units: 2"))
    assert graph.layer_names() == ["dense_1", "dense", "dense_2", "dense_3"]


def test_sequential_wiring_and_default_output():
    graph = analyze_text(HEAD + "  - {type: Dense, units: 4}\n  - {type: Dense, units: 2}\n")
    assert graph.outputs == ["dense_1"] and graph["dense_1"].sources == ["dense"]
    assert graph["dense"].sources == ["x"]


def test_unknown_reference_suggests_the_closest_name():
    graph = analyze_text(HEAD + "  - {type: Dense, name: hidden, units: 4}\n  - {type: Dense, units: 2, inputs: hiden}\n")
    assert found(graph) == [("GS301", 6, 37, "dense")]
    assert graph.diagnostics[0].hint == "did you mean 'hidden'?"


def test_cycle_is_reported_once_and_its_dependants_skipped():
    graph = analyze_text(HEAD + "  - {type: Dense, name: a, units: 8, inputs: b}\n"
                         "  - {type: Dense, name: b, units: 8, inputs: a}\n  - {type: Dense, name: c, units: 1}\n"
                         "  - {type: Dense, name: d, units: 1, inputs: x}\noutputs: [c, d]\n")
    assert found(graph) == [("GS302", 5, 5, "a")]
    assert graph.diagnostics[0].message == "the layers form a cycle: a -> b -> a"
    assert [graph[n].status for n in "abcd"] == ["error", "error", "skipped", "ok"]


def test_self_loop_is_a_cycle():
    graph = analyze_text(HEAD + "  - {type: Dense, name: a, units: 8, inputs: [x, a]}\n")
    assert [d.code.value for d in graph.diagnostics] == ["GS302"]


def test_unused_input_is_an_error_and_dead_layer_a_warning():
    graph = analyze_text("graphspec: 1\ninputs:\n  x: {shape: [8]}\n  y: {shape: [2]}\nlayers:\n"
                         "  - {type: Dense, name: dead, units: 4, inputs: x}\n  - {type: Dense, name: out, units: 2, inputs: x}\n")
    assert found(graph) == [("GS303", 4, 3, "y"), ("GS304", 6, 5, "dead")]
    assert [d.severity.value for d in graph.diagnostics] == ["error", "warning"]


def test_missing_input_and_misplaced_shorthand():
    assert found(analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 2}\n")) == [("GS305", 3, 5, "dense")]
    graph = analyze_text(HEAD + "  - {type: Dense, units: 2, input_dim: 8}\n")
    assert [(d.code.value, d.path) for d in graph.diagnostics] == [("GS206", "layers[0].input_dim")]
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 2, input_dim: 8}\n  - {type: Dense, units: 2, input_dim: 2}\n")
    assert [(d.code.value, d.path) for d in graph.diagnostics] == [("GS206", "layers[1].input_dim")]


def test_several_inputs_need_explicit_wiring():
    graph = analyze_text("graphspec: 1\ninputs:\n  a: {shape: [2]}\n  b: {shape: [2]}\nlayers:\n"
                         "  - {type: Dense, units: 2}\n")
    assert [d.code.value for d in graph.diagnostics] == ["GS305"]
    assert graph.diagnostics[0].hint == "add inputs: a"


def test_unknown_output_name():
    graph = analyze_text(HEAD + "  - {type: Dense, units: 2}\noutputs: [dense, dens]\n")
    assert [(d.code.value, d.path) for d in graph.diagnostics] == [("GS301", "outputs[1]")]


def test_an_input_named_as_an_output_is_told_apart_from_an_unknown_name():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers: [{type: Dense, units: 3}]\noutputs: [x]\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.message, diagnostic.hint) == (
        "GS301", "'x' is an input; outputs are layers", "name the layer whose result you want, e.g. dense")


def test_shorthand_beside_an_inputs_block_and_a_layer_reading_an_unknown_name():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers:\n"
                         "  - {type: Dense, units: 2, input_shape: [4]}\n  - {type: Dense, units: 2, inputs: dense_1x}\n")
    shorthand, unknown = graph.diagnostics
    assert (shorthand.message, shorthand.hint) == (
        "input_shape is the Sequential shorthand, but the `inputs:` block declares the inputs",
        "remove it, and give the shape in the `inputs:` block")
    assert unknown.hint == "did you mean 'dense'?"  # not the reading layer itself, dense_1


def test_empty_inputs_and_outputs_lists_are_errors():
    """Left out, inputs means the previous layer and outputs the last; an empty list is a slip, not that."""
    graph = analyze_text(HEAD + "  - {type: Dense, units: 4}\n  - {type: Dense, units: 2, inputs: []}\noutputs: []\n")
    assert [(d.code.value, d.line, d.column, d.layer, d.message, d.hint) for d in graph.diagnostics] == [
        ("GS204", 6, 37, "dense_1", "inputs: [] names no input",
         "name the layer or input it reads, or leave inputs out to read the previous layer"),
        ("GS204", 7, 10, None, "outputs: [] names no output",
         "name the layers whose results the model returns, or leave outputs out for the last layer (dense_1)")]
    assert graph.outputs == [] and graph["dense_1"].status == "error"
    assert [d.to_dict()["node_kind"] for d in graph.diagnostics] == ["layer", None]  # outputs: is about no node


def test_input_dim_beside_input_shape():
    """Keras 3 takes input_dim and refuses input_shape beside it: a disagreement is an error, a repetition a warning."""
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_dim: 4, input_shape: [5]}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.line, diagnostic.column, diagnostic.severity.value) == (
        "GS209", 3, 29, "error")
    assert diagnostic.message == ("input_dim: 4 says the input is (None, 4), input_shape: [5] says (None, 5); "
                                  "Keras 3 refuses the two together")
    assert diagnostic.hint == ("keep the one you mean: Keras 3 takes input_dim and rejects input_shape as an "
                               "unrecognized argument")
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_dim: 4, input_shape: [4]}\n"
                         "  - {type: Dense, units: 3, name: dead, inputs: dense}\n  - {type: Dense, units: 1, inputs: dense}\n")
    assert found(graph) == [("GS207", 3, 29, "dense"), ("GS304", 4, 5, "dead")]  # a warning stops no other check
    assert graph.ok and graph.diagnostics[0].message == ("input_dim: 4 and input_shape: [4] say the same twice, and "
                                                         "Keras 3 refuses the two together")


def test_a_diagnostic_about_an_input_calls_it_an_input():
    graph = analyze_text("graphspec: 1\ninputs:\n  x: {shape: [8]}\n  meta: {shape: [4]}\n  y: {shape: 3}\n"
                         "layers: [{type: Dense, units: 2, inputs: x}]\n")
    assert [(d.code.value, d.layer, d.node_kind) for d in graph.diagnostics] == [
        ("GS303", "meta", "input"), ("GS303", "y", "input"), ("GS205", "y", "input")]
    assert graph.diagnostics[0].format() == ("spec.yaml:4:3: error[GS303]: input 'meta': this input feeds no output\n"
                                             "    hint: wire it into a layer with inputs:, or remove it")
    assert graph.diagnostics[2].format().startswith("spec.yaml:5:14: error[GS205]: input 'y': a shape must be a list")
