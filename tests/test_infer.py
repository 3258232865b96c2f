from support import analyze_text, found

HEAD = "graphspec: 1\ninputs:\n  x: {shape: [30, 2], dtype: int32}\n  f: {shape: [64, 64, 1]}\nlayers:\n"


def graph_of(*layers: str, outputs: str = ""):
    return analyze_text(HEAD + "".join(f"  - {layer}\n" for layer in layers) + outputs)


def test_flatten_keeps_integer_indices_for_an_embedding():
    graph = graph_of("{type: Flatten, inputs: x}", "{type: Embedding, input_dim: 1000, output_dim: 100}",
                     "{type: Conv2D, inputs: f, filters: 2, kernel_size: 3}", outputs="outputs: [embedding, conv2d]")
    assert graph.ok
    assert (str(graph["flatten"].output), graph["flatten"].output.dtype) == ("(None, 60)", "int32")
    assert (str(graph["embedding"].output), graph["embedding"].output.dtype) == ("(None, 60, 100)", "float32")
    assert graph["embedding"].weights == {"embeddings": (1000, 100)}


def test_embedding_fed_floats_is_an_error_naming_the_source():
    graph = graph_of("{type: Conv2D, inputs: f, filters: 2, kernel_size: 3}", "{type: Flatten}",
                     "{type: Embedding, input_dim: 10, output_dim: 4}", "{type: Flatten, name: ids, inputs: x}",
                     outputs="outputs: [embedding, ids]")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.line, diagnostic.layer) == ("GS500", 8, "embedding")
    assert diagnostic.message == ("Embedding looks rows up by integer index, but its input is "
                                  "(None, 7688) float32 from 'flatten'")


def test_float_layer_casts_integers_with_a_warning():
    graph = graph_of("{type: Dense, inputs: x, units: 3}", "{type: Flatten, name: g, inputs: f}",
                     outputs="outputs: [dense, g]")
    assert graph.ok and found(graph) == [("GS501", 6, 5, "dense")]
    assert graph["dense"].output.dtype == "float32"


def test_rank_error_with_a_hint_for_images():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28]}\n")
    (diagnostic,) = graph.diagnostics
    assert diagnostic.message == ("Conv2D needs an input of rank 4 (batch, height, width, channels), "
                                  "got (None, 28, 28) of rank 3")
    assert diagnostic.hint == "add a channels axis: input_shape [28, 28, 1] (grey; [28, 28, 3] for RGB)"


def test_rank_hints_are_worded_for_where_the_input_comes_from():
    """Following a hint must not make a new error: input_shape only on a Sequential first layer."""
    def hint(head, layers):
        (diagnostic,) = analyze_text(f"graphspec: 1\n{head}layers: [{layers}]\n").diagnostics
        return diagnostic.hint
    conv = "{type: Conv2D, filters: 2, kernel_size: 3}"
    assert hint("inputs: {x: {shape: [784]}}\n", conv) == ("if these are 28×28 images with 1 channel(s), use shape: "
                                                         "[28, 28, 1] on input 'x' or add a Reshape with target_shape "
                                                         "[28, 28, 1]")
    assert hint("inputs: {x: {shape: [784]}}\n", "{type: Dense, units: 784}, " + conv) == (
        "if these are 28×28 images with 1 channel(s), add a Reshape with target_shape [28, 28, 1] before this layer")
    assert hint("", "{type: Conv2D, filters: 2, kernel_size: 3, input_shape: [784]}") == (
        "if these are 28×28 images with 1 channel(s), use input_shape [28, 28, 1] or add a Reshape with "
        "target_shape [28, 28, 1]")


def test_layers_after_an_error_are_skipped_not_reported():
    graph = graph_of("{type: Conv2D, inputs: f, filters: 2, kernel_size: 70}", "{type: Flatten}", "{type: Dense, units: 2}",
                     "{type: Flatten, name: ids, inputs: x}", outputs="outputs: [dense, ids]")
    assert found(graph) == [("GS402", 6, 5, "conv2d")]
    assert [graph[n].status for n in ("conv2d", "flatten", "dense", "ids")] == ["error", "skipped", "skipped", "ok"]


def test_dense_needs_a_known_last_axis():
    graph = analyze_text("graphspec: 1\ninputs:\n  s: {shape: [null, null]}\nlayers:\n  - {type: Dense, units: 2}\n")
    assert [d.code.value for d in graph.diagnostics] == ["GS404"]


def test_unknown_sizes_propagate_as_none():
    graph = analyze_text("graphspec: 1\ninputs:\n  s: {shape: [null, 8]}\nlayers:\n  - {type: Dense, units: 2}\n"
                         "  - {type: Conv1D, filters: 4, kernel_size: 3, strides: 2}\n")
    assert graph.ok and str(graph["conv1d"].output) == "(None, None, 4)"


def test_input_count_is_checked():
    graph = graph_of("{type: Dense, inputs: [f, x], units: 2}")
    assert [(d.code.value, d.path) for d in graph.diagnostics] == [("GS306", "layers[0].inputs")]


def test_totals_and_macs():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 10, input_dim: 4}\n"
                         "  - {type: Dense, units: 2, use_bias: false, trainable: false}\n")
    assert (graph.total_params, graph.trainable_params, graph.non_trainable_params) == (70, 50, 20)
    assert graph.macs == 4 * 10 + 10 * 2


def test_stacked_recurrent_layer_after_one_that_returns_the_last_step_only():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [20, 6]}}\nlayers:\n"
                         "  - {type: LSTM, units: 8, return_sequences: true}\n  - {type: LSTM, units: 8}\n"
                         "  - {type: GRU, units: 4}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.layer) == ("GS400", "gru")
    assert diagnostic.hint == ("set return_sequences: true on 'lstm_1', so that it passes on every step "
                               "(batch, timesteps, 8), not only the last")


def test_a_layer_of_absurd_size_is_flagged():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers: [{type: Dense, units: 1000000000}]\n")
    (diagnostic,) = graph.diagnostics
    assert graph.ok and (diagnostic.code.value, diagnostic.hint) == ("GS603", "is a size mistyped?")
    assert diagnostic.message == "Dense holds 5,000,000,000 parameters, 19 GiB as float32"
