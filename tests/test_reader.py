import pytest

from support import analyze_text, found


def test_every_field_problem_at_once_with_positions_and_hints():
    graph = analyze_text("""graphspec: 1
nam: x
layers:
  - {type: Conv2d, filters: 4, kernel_size: 3, input_shape: [8, 8, 1]}
  - {type: Conv2D, filters: -1, kernal_size: 3, activation: rlu}
  - {units: 3}
  - 5
""")
    assert found(graph) == [
        ("GS202", 2, 1, None),
        ("GS201", 4, 12, "conv2d"),
        ("GS204", 5, 29, "conv2d_1"),
        ("GS202", 5, 33, "conv2d_1"),
        ("GS204", 5, 61, "conv2d_1"),
        ("GS203", 6, 5, "layer"),
        ("GS204", 7, 5, "layer_1"),
    ]
    hints = [d.hint for d in graph.diagnostics]
    assert hints[:2] == ["did you mean 'name'?", "did you mean 'Conv2D'?"]
    assert hints[3] == "did you mean 'kernel_size'?"
    assert hints[4] == "did you mean 'relu'?"


def test_misspelt_required_field_is_not_also_reported_missing():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, unit: 3, input_dim: 4}\n")
    assert [d.code.value for d in graph.diagnostics] == ["GS202"]
    assert graph.diagnostics[0].hint == "did you mean 'units'?"


def test_bare_number_input_shape_hint():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_shape: 20}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.path) == ("GS205", "layers[0].input_shape")
    assert diagnostic.hint == "write input_shape: [20] (a list, like Python's (20,)), or input_dim: 20"


def test_python_style_shape_strings_are_tuples():
    graph = analyze_text('graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_shape: "(28, 28, 1)"}\n')
    assert graph.ok and str(graph["dense"].output) == "(None, 28, 28, 3)"
    graph = analyze_text('graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_shape: "(20)"}\n')
    assert [d.code.value for d in graph.diagnostics] == ["GS205"]


def test_version_is_required_and_must_be_1_or_2():
    assert found(analyze_text("layers:\n  - {type: Dense, units: 1, input_dim: 2}\n"))[0][0] == "GS200"
    graph = analyze_text("graphspec: 3\nlayers:\n  - {type: Dense, units: 1, input_dim: 2}\n")
    assert found(graph) == [("GS200", 1, 12, None)]
    assert analyze_text("graphspec: 2\nlayers:\n  - {type: Dense, units: 1, input_dim: 2}\n").ok  # blocks


def test_layers_must_be_a_non_empty_list():
    assert [d.code.value for d in analyze_text("graphspec: 1\nlayers: []\n").diagnostics] == ["GS203"]
    assert [d.code.value for d in analyze_text("graphspec: 1\n").diagnostics] == ["GS203"]


def test_input_block_shape_errors_are_located():
    graph = analyze_text("graphspec: 1\ninputs:\n  x: {shape: 5, dtype: float16}\nlayers:\n  - {type: Dense, units: 1}\n")
    assert [(d.code.value, d.path) for d in graph.diagnostics] == [
        ("GS205", "inputs.x.shape"), ("GS204", "inputs.x.dtype")]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_inputs_are_refused_saying_why(dtype):
    graph = analyze_text(f"graphspec: 1\ninputs:\n  x: {{shape: [5], dtype: {dtype}}}\nlayers:\n  - {{type: Dense, units: 1}}\n")
    [diagnostic] = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.path) == ("GS204", "inputs.x.dtype")
    assert diagnostic.message == (f"dtype: {dtype} is not supported: graphspec computes in float32 (or float64); "
                                  f"Keras too casts a {dtype} input to float32 in the first layer, got '{dtype}'")
    assert diagnostic.hint == ("declare dtype: float32 and pass the data as it is (float16 and bfloat16 values are "
                               "exact in float32)")


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "uint16"])
def test_small_integer_inputs_as_keras_takes_them(dtype):
    graph = analyze_text(f"graphspec: 1\ninputs:\n  x: {{shape: [5], dtype: {dtype}}}\nlayers:\n"
                         "  - {type: Embedding, input_dim: 10, output_dim: 2}\n  - {type: Flatten}\n"
                         "  - {type: Rescaling, scale: 0.5, inputs: x}\noutputs: [flatten, rescaling]\n")
    assert graph.ok and graph.diagnostics == []
    assert [str(graph[n].output.dtype) for n in ("embedding", "flatten", "rescaling")] == ["float32"] * 3


def test_unknown_type_input_points_to_the_inputs_block():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Input, shape: [3]}\n")
    assert graph.diagnostics[0].hint.startswith("declare inputs in an `inputs:` block")


def test_wrong_types_are_errors_not_quietly_converted():
    """true, 3.0 and "3" are mistakes wherever a whole number, a flag or a rate goes, as they are for units."""
    graph = analyze_text("""graphspec: 1
inputs: {x: {shape: [8, 8, 1]}}
layers:
  - {type: Conv2D, filters: 4, kernel_size: true, use_bias: "yes"}
  - {type: MaxPooling2D, pool_size: 2.0}
  - {type: Dropout, rate: "0.5"}
  - {type: BatchNormalization, axis: true, center: 0}
""")
    assert found(graph) == [("GS204", 4, 45, "conv2d"), ("GS204", 4, 61, "conv2d"), ("GS204", 5, 37, "max_pooling2d"),
                            ("GS204", 6, 27, "dropout"), ("GS204", 7, 38, "batch_normalization"),
                            ("GS204", 7, 52, "batch_normalization")]
    assert [d.message for d in graph.diagnostics][1:] == [
        "use_bias: input should be a valid boolean, got 'yes'",
        "pool_size: a whole number or a list of whole numbers, got 2.0",
        "rate: input should be a valid number, got '0.5'",
        "axis: a whole number or a list of whole numbers, got true",  # BatchNormalization: an int or [int]
        "center: input should be a valid boolean, got 0"]


def test_a_value_that_fits_no_member_of_a_union_is_one_error():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 1]}}\n"
                         "layers: [{type: Conv2D, filters: 4, kernel_size: '3x3', inputs: 3}]\n")
    assert [(d.path, d.message, d.hint) for d in graph.diagnostics] == [
        ("layers[0].kernel_size", "kernel_size: a whole number or a list of whole numbers, got '3x3'",
         "e.g. 3 or [3, 3]"),
        ("layers[0].inputs", "inputs: a name or a list of names or a mapping of names, got 3",
             "e.g. conv1 or [a, b]"),
    ]


def test_a_bad_item_of_a_list_is_named_with_its_index():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 1]}}\n"
                         "layers: [{type: Conv2D, filters: 4, kernel_size: [3.0, 3]}]\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.path, diagnostic.message) == ("layers[0].kernel_size[0]",
                                                     "kernel_size[0]: input should be a valid integer, got 3.0")


def test_exponent_numbers_in_yaml_are_numbers():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [4]}}\n"
                         "layers: [{type: BatchNormalization, epsilon: 1e-3}, {type: Dropout, rate: 5E-1}]\n")
    assert graph.ok and graph["batch_normalization"].layer.epsilon == 0.001 and graph["dropout"].layer.rate == 0.5


def test_layer_names_keras_would_refuse_or_that_break_a_line():
    graph = analyze_text('graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers:\n  - {type: Dense, units: 2, name: "c/d"}\n'
                         '  - {type: Dense, units: 2, name: " "}\n  - {type: Dense, units: 2, name: "a\\nb"}\n')
    assert [d.message for d in graph.diagnostics] == [
        "name: a layer name may not hold '/', which Keras refuses, got 'c/d'",
        "name: a layer name needs a visible character and no line breaks or tabs, got ' '",
        "name: a layer name needs a visible character and no line breaks or tabs, got 'a\\nb'"]
    assert "\n" not in graph.diagnostics[2].format()  # the name is shown escaped, on one line


def test_a_missing_field_is_hinted_with_its_description():
    (diagnostic,) = analyze_text("graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers: [{type: Dropout}]\n").diagnostics
    assert (diagnostic.message, diagnostic.hint) == ("Dropout needs 'rate'",
                                                     "add rate: fraction of the inputs to drop while training.")


def test_python_tuples_as_keras_code_writes_them():
    """Block style keeps "(3, 3)" whole, and it is a window like [3, 3]; inside { } YAML splits it at the commas."""
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 1]}}\nlayers:\n"
                         "  - type: Conv2D\n    filters: 4\n    kernel_size: (3, 3)\n    strides: (1, 1)\n")
    assert graph.ok and graph["conv2d"].layer.kernel_size == (3, 3)
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 1]}}\n"
                         "layers: [{type: Conv2D, filters: 4, kernel_size: (3, 3)}]\n")
    assert "a Python tuple inside { } is split at its commas: write a list, e.g. kernel_size: [3, 3]" in [
        d.hint for d in graph.diagnostics]


def test_a_misspelt_field_of_an_input_gets_a_did_you_mean():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [4], dtyp: int32}}\nlayers: [{type: Dense, units: 2}]\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.message, diagnostic.hint) == ("unknown field 'dtyp' for an input", "did you mean 'dtype'?")


def test_hints_for_yaml_1_1_flags_python_none_and_a_number_for_outputs():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 3]}}\nlayers:\n"
                         "  - {type: LSTM, units: 2, return_sequences: yes}\n"
                         "  - {type: Conv1D, filters: 2, kernel_size: (3), strides: None}\noutputs: 7\n")
    assert [(d.path, d.hint) for d in graph.diagnostics] == [
        ("layers[0].return_sequences", "write true or false: as in JSON, yes, no, on and off are text"),
        ("layers[1].strides", "for none, write null or leave the field out"),
        ("outputs", "e.g. conv1 or [a, b]")]
    assert graph.diagnostics[2].message == "outputs: a name or a list of names, got 7"


def hints(text: str) -> list[tuple]:
    return [(d.code.value, d.path, d.hint) for d in analyze_text(text).diagnostics]


def test_keras_1_and_2_argument_names_are_hinted_with_their_keras_3_names():
    """Not with a near spelling: output_dim on Dense is units, not input_dim; what they stand for is not missing."""
    assert hints("graphspec: 1\ninputs: {x: {shape: [28, 28, 1]}, s: {shape: [10, 4]}}\nlayers:\n"
                 "  - {type: Conv2D, inputs: x, nb_filter: 8, nb_row: 3, nb_col: 3, border_mode: same, subsample: 2}\n"
                 "  - {type: Flatten, init: glorot_uniform}\n  - {type: Dense, output_dim: 10}\n"
                 "  - {type: Dropout, p: 0.5}\n"
                 "  - {type: LSTM, inputs: s, units: 4, dropout_W: 0.1, dropout_U: 0.1, inner_activation: sigmoid}\n"
                 "  - {type: GRU, units: 4, input_length: 10}\n"
                 "  - {type: Dense, units: 2, batch_input_shape: [32, 8]}\noutputs: [dropout, gru, dense_1]\n") == [
        ("GS202", "layers[0].nb_filter", "'nb_filter' is the Keras 1 name: Keras 3 calls it filters"),
        ("GS202", "layers[0].nb_row", "'nb_row' is the Keras 1 name: Keras 3 writes nb_row and nb_col as "
                                      "kernel_size: [rows, cols]"),
        ("GS202", "layers[0].nb_col", "'nb_col' is the Keras 1 name: Keras 3 writes nb_row and nb_col as "
                                      "kernel_size: [rows, cols]"),
        ("GS202", "layers[0].border_mode", "'border_mode' is the Keras 1 name: Keras 3 calls it padding"),
        ("GS202", "layers[0].subsample", "'subsample' is the Keras 1 name: Keras 3 calls it strides"),
        ("GS202", "layers[1].init", "'init' is the Keras 1 name of kernel_initializer, which Flatten does not take"),
        ("GS202", "layers[2].output_dim", "'output_dim' is the Keras 1 name: Keras 3 calls it units"),
        ("GS202", "layers[3].p", "'p' is the Keras 1 name: Keras 3 calls it rate"),
        ("GS202", "layers[4].dropout_W", "'dropout_W' is the Keras 1 name: Keras 3 calls it dropout"),
        ("GS202", "layers[4].dropout_U", "'dropout_U' is the Keras 1 name: Keras 3 calls it recurrent_dropout"),
        ("GS202", "layers[4].inner_activation", "'inner_activation' is the Keras 1 name: Keras 3 calls it "
                                                "recurrent_activation"),
        ("GS202", "layers[5].input_length", "Keras 3 has no input_length here: put the steps in the input's shape, "
                                            "e.g. [10, features]"),
        ("GS202", "layers[6].batch_input_shape", "Keras 3 has no batch_input_shape on a layer: give input_shape, the "
                                                 "shape without the batch: input_shape: [8]"),
    ]


def test_a_short_old_name_the_layer_has_no_use_for_gets_no_keras_1_hint():
    """alpha is LeakyReLU's old negative_slope, but ELU's alpha today: on a layer without negative_slope, say nothing."""
    ((code, path, hint),) = hints("graphspec: 1\ninputs: {x: {shape: [4]}}\nlayers: [{type: Dense, units: 2, alpha: 1}]\n")
    assert (code, path) == ("GS202", "layers[0].alpha") and "negative_slope" not in hint and "Keras 1" not in hint


def test_value_hints_say_how_to_write_the_value():
    assert hints("graphspec: 1\ninputs: {x: {shape: [8, 3]}}\nlayers:\n"
                 "  - {type: Dropout, rate: 50}\n  - {type: LSTM, units: \"64\", dropout: 20, use_bias: \"true\"}\n"
                 "  - {type: Conv1D, filters: 2, kernel_size: \"3\", use_bias: yes}\n") == [
        ("GS204", "layers[0].rate", "rate is a fraction: for 50%, write rate: 0.5"),
        ("GS204", "layers[1].units", "remove the quotes: units: 64"),
        ("GS204", "layers[1].dropout", "dropout is a fraction: for 20%, write dropout: 0.2"),
        ("GS204", "layers[1].use_bias", "remove the quotes: use_bias: true"),
        ("GS204", "layers[2].kernel_size", "remove the quotes: kernel_size: 3"),
        ("GS204", "layers[2].use_bias", "write true or false: as in JSON, yes, no, on and off are text"),
    ]


def test_a_quoted_number_in_a_shape_list():
    (diagnostic,) = analyze_text("graphspec: 1\ninputs: {x: {shape: [\"28\", 28]}}\nlayers: [{type: Flatten}]\n").diagnostics
    assert (diagnostic.path, diagnostic.hint) == ("inputs.x.shape[0]", "remove the quotes around 28")


def test_the_bare_number_hint_is_built_from_the_number_read():
    (diagnostic,) = analyze_text('graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_shape: "(20)"}\n').diagnostics
    assert diagnostic.hint == "write input_shape: [20] (a list, like Python's (20,)), or input_dim: 20"


def activation_hint(name: str) -> str:
    (diagnostic,) = analyze_text(f"graphspec: 1\ninputs: {{x: {{shape: [4]}}}}\n"
                                 f"layers: [{{type: Dense, units: 2, activation: {name}}}]\n").diagnostics
    return diagnostic.hint


@pytest.mark.parametrize("name, meant", [("swishy", "swish"), ("leakyrelu", "leaky_relu"), ("sigmod", "sigmoid"),
                                         ("Relu", "relu")])
def test_a_misspelt_activation_gets_a_did_you_mean(name, meant):
    assert activation_hint(name) == f"did you mean '{meant}'?"


@pytest.mark.parametrize("name", ["hard_swishh", "super_sigmoid", "log_relu", "relu8"])
def test_no_did_you_mean_names_another_function(name):
    """hard_swishh may be hard_swish (where graphspec has it), never swish; log_relu is neither relu nor leaky_relu."""
    hint = activation_hint(name)
    assert not hint.startswith("did you mean") or hint == "did you mean 'hard_swish'?", hint
    assert hint.startswith("one of: ") or name == "hard_swishh"


@pytest.mark.parametrize("word, candidate, another", [
    ("hard_swish", "swish", True), ("hard_swishh", "swish", True), ("hardswish", "swish", True),
    ("relu6", "relu", True), ("log_softmax", "softmax", True), ("super_sigmoid", "hard_sigmoid", True),
    ("float16", "float32", True), ("hard_swishh", "hard_swish", False), ("swishy", "swish", False),
    ("leakyrelu", "leaky_relu", False), ("rlu", "relu", False), ("channel_last", "channels_last", False),
    ("SAME", "same", False)])
def test_names_another_tells_a_different_name_from_a_misspelling(word, candidate, another):
    from graphspec.schema import names_another
    assert names_another(word, candidate) is another
