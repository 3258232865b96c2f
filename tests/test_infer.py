import re

import pytest

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


def test_a_named_size_where_an_image_is_wanted_gets_the_rank_error_and_no_image_guess():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [A]}\n")
    (diagnostic,) = graph.diagnostics
    assert diagnostic.message == ("Conv2D needs an input of rank 4 (batch, height, width, channels), "
                                  "got (None, A) of rank 2")
    assert diagnostic.hint == "the input needs 3 axes after the batch: (batch, height, width, channels)"


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



@pytest.mark.parametrize("layer, shape, output, values, gib", [
    ("{type: RepeatVector, n: 10000000000}", [8], "(None, 10000000000, 8)", "80,000,000,000", "298"),
    ("{type: ZeroPadding2D, padding: 100000}", [8, 8, 3], "(None, 200008, 200008, 3)", "120,009,600,192", "447"),
    ("{type: UpSampling2D, size: 100000}", [8, 8, 3], "(None, 800000, 800000, 3)", "1,920,000,000,000", "7,153"),
])
def test_an_output_of_absurd_size_per_sample_is_flagged(layer, shape, output, values, gib):
    graph = analyze_text(f"graphspec: 1\ninputs: {{x: {{shape: {shape}}}}}\nlayers: [{layer}]\n")
    (diagnostic,) = graph.diagnostics
    assert graph.ok and (diagnostic.code.value, diagnostic.line, diagnostic.column) == ("GS607", 3, 10)
    kind = layer.split(",")[0].removeprefix("{type: ")
    assert diagnostic.message == f"{kind} outputs {output} float32, {values} values ({gib} GiB) per sample"
    assert diagnostic.hint == "is a size mistyped? Running it needs that much memory for each sample"


def test_an_output_of_two_to_the_31_values_is_not_flagged():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [1]}}\nlayers: [{type: RepeatVector, n: 2147483648}]\n")
    assert graph.ok and graph.diagnostics == []

def warnings_of(text: str) -> list[tuple]:
    graph = analyze_text(text)
    assert graph.ok, [d.format() for d in graph.diagnostics]
    return [(d.code.value, d.layer) for d in graph.diagnostics]


def test_a_softmax_over_one_value_is_flagged_for_any_layer_with_that_activation():
    text = ("graphspec: 1\ninputs: {x: {shape: [8, 8, 3]}, v: {shape: [4]}}\nlayers:\n"
            "  - {type: Conv2D, name: c, inputs: x, filters: 1, kernel_size: 3, activation: softmax}\n"
            "  - {type: Dense, name: d, inputs: v, units: 1, activation: log_softmax}\n"
            "  - {type: Dense, name: e, inputs: v, units: 1}\n  - {type: Activation, name: a, activation: softmax}\n"
            "  - {type: Dense, name: two, inputs: v, units: 2, activation: softmax}\n"
            "  - {type: Dense, name: yes_no, inputs: v, units: 1, activation: sigmoid}\n"
            "outputs: [c, d, a, two, yes_no]\n")
    assert warnings_of(text) == [("GS604", "c"), ("GS604", "d"), ("GS604", "a")]
    c, d, _ = analyze_text(text).diagnostics
    assert (c.message, c.hint) == ("a softmax over an axis of size 1 is always 1: the output (None, 6, 6, 1) says "
                                   "nothing about the input", "did you mean sigmoid? A softmax needs 2 or more "
                                   "classes on its axis")
    assert d.message.startswith("a log_softmax over an axis of size 1 is always 0:")


def test_a_softmax_layer_type_is_judged_by_its_axis():
    """For a Softmax layer (Keras's keras.layers.Softmax, axis=-1 or a list): every normalised axis of size 1."""
    from typing import Literal

    from graphspec.advice import softmax_of_one
    from graphspec.layers.base import Layer

    class Softmax(Layer):  # not registered: a stand-in with Keras's fields
        type: Literal["Softmax"] = "Softmax"
        axis: int | list[int] = -1

    assert [code.value for code, *_ in softmax_of_one(Softmax(axis=1), (None, 1, 5))] == ["GS604"]
    assert softmax_of_one(Softmax(), (None, 1, 5)) == []
    assert softmax_of_one(Softmax(axis=[1, 2]), (None, 1, 5)) == []
    assert len(softmax_of_one(Softmax(axis=[1, 2]), (None, 1, 1))) == 1


UNPOOLED = [  # (layers, whether the output gets GS605): image and conv-made steps yes, sequence tagging no
    ("{type: Conv2D, inputs: image, filters: 4, kernel_size: 3}, {type: MaxPooling2D}, "
     "{type: Dense, units: 10, activation: softmax}", True),
    ("{type: Dense, inputs: image, units: 10, activation: softmax}", True),  # MNIST without Flatten
    ("{type: Dense, inputs: image, units: 10}, {type: Activation, activation: softmax}", True),
    ("{type: Conv1D, inputs: signal, filters: 4, kernel_size: 3}, {type: Dense, units: 1, activation: sigmoid}", True),
    ("{type: Embedding, inputs: tokens, input_dim: 50, output_dim: 8}, {type: Conv1D, filters: 4, kernel_size: 3}, "
     "{type: MaxPooling1D}, {type: Dense, units: 2, activation: softmax}", True),  # pooled: no longer per token
    ("{type: Embedding, inputs: tokens, input_dim: 50, output_dim: 8}, {type: Dense, units: 5, activation: softmax}",
     False),  # a tagger: one label per token
    ("{type: Embedding, inputs: tokens, input_dim: 50, output_dim: 8}, {type: Conv1D, filters: 4, kernel_size: 3, "
     "padding: same}, {type: Dense, units: 5, activation: softmax}", False),
    ("{type: LSTM, inputs: signal, units: 4, return_sequences: true}, {type: Dense, units: 3, activation: softmax}",
     False),
    ("{type: Dense, inputs: signal, units: 3, activation: softmax}", False),  # per-step features, no windows
    ("{type: Conv2D, inputs: image, filters: 3, kernel_size: 1}, {type: Activation, activation: softmax}", False),
    ("{type: Conv2D, inputs: image, filters: 3, kernel_size: 3}, {type: Flatten}, "
     "{type: Dense, units: 3, activation: softmax}", False),
    ("{type: Conv2D, inputs: image, filters: 3, kernel_size: 3}, {type: MaxPooling2D}, {type: Dense, units: 3}", False),
]


@pytest.mark.parametrize("layers, warned", UNPOOLED)
def test_a_classifier_output_left_with_image_or_conv_steps_axes_is_flagged(layers, warned):
    declared = {"image": "{shape: [28, 28, 1]}", "signal": "{shape: [50, 3]}", "tokens": "{shape: [20], dtype: int32}"}
    name = re.search(r"inputs: (\w+)", layers).group(1)
    text = f"graphspec: 1\ninputs: {{{name}: {declared[name]}}}\nlayers: [{layers}]\n"
    assert [code for code, _ in warnings_of(text)] == (["GS605"] if warned else [])


def test_the_missing_flatten_warning_names_the_dense_and_the_fix():
    graph = analyze_text("graphspec: 1\ninputs: {image: {shape: [28, 28, 1]}}\nlayers:\n"
                         "  - {type: Conv2D, filters: 4, kernel_size: 3}\n  - {type: MaxPooling2D}\n"
                         "  - {type: Dense, name: head, units: 10}\n  - {type: Activation, name: probs, activation: softmax}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.line, diagnostic.layer) == ("GS605", 6, "head")
    assert diagnostic.message == ("the model's output (None, 13, 13, 10) still has height and width axes: this Dense, "
                                  "through the softmax of 'probs', gives one prediction per position, not one per sample")
    assert diagnostic.hint == ("Flatten or global pooling missing? Put Flatten or GlobalAveragePooling2D before 'head'. "
                               "For one prediction per position on purpose, use a Conv2D head with kernel_size 1 "
                               "(per-step outputs after an Embedding or a return_sequences layer are not flagged)")


@pytest.mark.parametrize("head, hint", [
    ("layers:\n  - {type: Conv2D, filters: 2, kernel_size: 3, input_shape: [null, 28, 28, 1]}\n",
     "leave the batch out: did you mean input_shape [28, 28, 1]?"),
    ("inputs: {x: {shape: [32, 28, 28, 1]}}\nlayers: [{type: Conv2D, filters: 2, kernel_size: 3}]\n",
     "if 32 is the batch size, leave it out: did you mean shape: [28, 28, 1] on input 'x'?"),
    ("inputs: {x: {shape: [null, 100, 2]}}\nlayers: [{type: LSTM, units: 2}]\n",
     "leave the batch out: did you mean shape: [100, 2] on input 'x'?")])
def test_a_batch_size_written_into_the_shape_is_hinted_away(head, hint):
    (diagnostic,) = analyze_text(f"graphspec: 1\n{head}").diagnostics
    assert (diagnostic.code.value, diagnostic.hint) == ("GS400", hint)


def test_embedding_input_length_that_disagrees_with_the_input_is_a_warning():
    """Keras 3 ignores the deprecated input_length; Keras 2 refused an input of another length."""
    graph = analyze_text("graphspec: 1\nlayers:\n"
                         "  - {type: Embedding, input_dim: 10, output_dim: 2, input_shape: [12], input_length: 10}\n")
    (diagnostic,) = graph.diagnostics
    assert graph.ok and (diagnostic.code.value, diagnostic.path, diagnostic.column) == (
        "GS606", "layers[0].input_length", 72)
    assert diagnostic.message == ("input_length: 10 disagrees with the input (None, 12); Keras 3 ignores "
                                  "input_length, so the layer reads the input's length")
    assert diagnostic.hint == "remove input_length: the input's shape says the length"
    for shape in ("input_shape: [10], ", "", "input_shape: [null], "):
        assert analyze_text("graphspec: 1\nlayers:\n  - {type: Embedding, input_dim: 10, output_dim: 2, "
                            f"{shape}input_length: 10}}\n").diagnostics == []


def test_a_warning_at_a_field_an_error_already_points_at_is_left_out():
    """Beside an inputs: block input_length is misplaced (an error): that it also disagrees is not said again."""
    graph = analyze_text("graphspec: 1\ninputs: {t: {shape: [12], dtype: int32}}\n"
                         "layers: [{type: Embedding, input_dim: 10, output_dim: 2, input_length: 10}]\n")
    assert [d.code.value for d in graph.diagnostics] == ["GS206"]


def test_sparsemax_is_warned_as_computed_otherwise_by_keras_3_15():
    """graphspec follows the fixed formula (keras-team/keras#23469); Keras 3.15 gives other numbers, so it says so."""
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [6]}}\nlayers: [{type: Dense, units: 4, activation: "
                         "sparsemax}]\n")
    (diagnostic,) = graph.diagnostics
    assert graph.ok and (diagnostic.code.value, diagnostic.line, diagnostic.column) == ("GS609", 3, 10)
    assert diagnostic.message.startswith("sparsemax: Keras 3.15 computes it wrongly wherever more than one value")
