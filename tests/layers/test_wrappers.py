"""TimeDistributed and Bidirectional: shape rules, weights and counts of the wrapped layers, and diagnostics that
point inside the nested layer spec."""
import pytest
from support import analyze_text, found

from graphspec.diagnostics import Code
from graphspec.layers import Bidirectional, ShapeError, TimeDistributed, layer_adapter


def wrapper(spec: dict):
    return layer_adapter().validate_python(spec)


@pytest.mark.parametrize("inner, shape, out, params", [
    ({"type": "Dense", "units": 5}, (None, 10, 3), (None, 10, 5), 20),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 6, 8, 8, 1), (None, 6, 6, 6, 4), 40),
    ({"type": "MaxPooling2D"}, (None, 6, 8, 8, 3), (None, 6, 4, 4, 3), 0),
    ({"type": "Flatten"}, (None, None, 4, 4, 2), (None, None, 32), 0),
    ({"type": "Dropout", "rate": 0.5}, (None, 7, 3), (None, 7, 3), 0),
    ({"type": "BatchNormalization"}, (None, 7, 4, 4, 3), (None, 7, 4, 4, 3), 12),
    ({"type": "LSTM", "units": 2}, (None, 5, 9, 3), (None, 5, 2), 48),
])
def test_time_distributed_applies_the_rule_per_step(inner, shape, out, params):
    layer = wrapper({"type": "TimeDistributed", "layer": inner})
    assert layer.compute_output_shape(shape) == out
    assert sum(layer.count_params(shape)) == params


def test_time_distributed_weights_are_the_wrapped_layers_and_macs_count_every_step():
    layer = wrapper({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 5}})
    assert layer.weight_shapes((None, 10, 3)) == {"kernel": (3, 5), "bias": (5,)}
    assert layer.macs((None, 10, 3), (None, 10, 5)) == 10 * 15
    assert layer.macs((None, None, 3), (None, None, 5)) == 15  # per step where the steps are unknown
    assert layer.initializer_for("kernel") == "glorot_uniform"
    assert layer.describe() == "Dense: 5 units per step"
    norm = wrapper({"type": "TimeDistributed", "layer": {"type": "BatchNormalization"}})
    assert norm.count_params((None, 7, 3)) == (6, 6)


def test_time_distributed_takes_integer_ids_for_an_embedding():
    graph = analyze_text("""graphspec: 1
inputs: {ids: {shape: [4, 6], dtype: int32}}
layers:
  - {type: TimeDistributed, layer: {type: Embedding, input_dim: 10, output_dim: 3}}
""")
    assert graph.ok and graph["time_distributed"].output.shape == (None, 4, 6, 3)


def test_freezing_the_wrapper_freezes_what_it_wraps():
    bi = {"type": "Bidirectional", "layer": {"type": "GRU", "units": 2}}
    assert wrapper({**bi, "trainable": False}).count_params((None, 5, 3)) == (0, 84)
    assert wrapper({**bi, "layer": {"type": "GRU", "units": 2, "trainable": False}}).count_params((None, 5, 3)) == (0, 84)


@pytest.mark.parametrize("merge, out", [("concat", (None, 8)), ("sum", (None, 4)), ("mul", (None, 4)), ("ave", (None, 4))])
def test_bidirectional_merges(merge, out):
    layer = wrapper({"type": "Bidirectional", "layer": {"type": "LSTM", "units": 4}, "merge_mode": merge})
    assert layer.compute_output_shape((None, 10, 3)) == out
    assert layer.count_params((None, 10, 3)) == (2 * 4 * 4 * (3 + 4 + 1), 0)


def test_bidirectional_weights_in_keras_order_and_backward_layer():
    layer = wrapper({"type": "Bidirectional", "layer": {"type": "LSTM", "units": 4, "return_sequences": True},
                     "backward_layer": {"type": "GRU", "units": 2, "go_backwards": True, "return_sequences": True}})
    assert list(layer.weight_shapes((None, 10, 3))) == [
        "forward_kernel", "forward_recurrent_kernel", "forward_bias",
        "backward_kernel", "backward_recurrent_kernel", "backward_bias"]
    assert layer.weight_shapes((None, 10, 3))["backward_bias"] == (2, 6)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 6)
    assert layer.macs((None, 10, 3), None) == 10 * (16 * 7 + 6 * 5)
    assert layer.option_field("backward_recurrent_kernel", "initializer") == "recurrent_initializer"
    assert layer.describe() == "LSTM 4 units, sequences | GRU 2 units, sequences, backwards, concat"


def test_the_default_backward_layer_is_a_copy_reading_backwards():
    layer = Bidirectional(layer={"type": "SimpleRNN", "units": 3})
    forward, backward = layer.directions().values()
    assert (forward.go_backwards, backward.go_backwards, backward.units) == (False, True, 3)


@pytest.mark.parametrize("spec, code, field", [
    ({"layer": {"type": "Dense", "units": 3}}, Code.WRAPPED_TYPE, ("layer", "type")),
    ({"layer": {"type": "LSTM", "units": 3}, "backward_layer": {"type": "Conv1D", "filters": 2, "kernel_size": 2}},
     Code.WRAPPED_TYPE, ("backward_layer", "type")),
    ({"layer": {"type": "LSTM", "units": 3, "go_backwards": True}}, Code.DIRECTIONS_DISAGREE, ("layer", "go_backwards")),
    ({"layer": {"type": "LSTM", "units": 3}, "backward_layer": {"type": "LSTM", "units": 3}},
     Code.DIRECTIONS_DISAGREE, ("backward_layer", "go_backwards")),
    ({"layer": {"type": "LSTM", "units": 3}, "backward_layer": {"type": "LSTM", "units": 3, "go_backwards": True,
                                                                "return_sequences": True}},
     Code.DIRECTIONS_DISAGREE, ("backward_layer", "return_sequences")),
    ({"layer": {"type": "LSTM", "units": 3}, "merge_mode": "sum",
      "backward_layer": {"type": "LSTM", "units": 4, "go_backwards": True}}, Code.MERGE_SIZES, "merge_mode"),
    ({"layer": {"type": "LSTM", "units": 3, "return_state": True},
      "backward_layer": {"type": "LSTM", "units": 3, "go_backwards": True}},
     Code.DIRECTIONS_DISAGREE, ("backward_layer", "return_state")),
    ({"layer": {"type": "LSTM", "units": 3, "initial_state": "h"}}, Code.WRAPPED_FIELD, ("layer", "initial_state")),
    ({"layer": {"type": "LSTM", "units": 3, "input_shape": [5, 2]}}, Code.WRAPPED_FIELD, ("layer", "input_shape")),
])
def test_bidirectional_refuses_what_keras_refuses(spec, code, field):
    with pytest.raises(ShapeError) as info:
        Bidirectional(**spec).compute_output_shape((None, 10, 3))
    assert (info.value.code, info.value.field) == (code, field)


@pytest.mark.parametrize("inner, shape, code, field", [
    ({"type": "Conv2D", "filters": 2, "kernel_size": 3}, (None, 5, 8, 3), Code.RANK, ("layer", "type")),
    ({"type": "Conv2D", "filters": 2, "kernel_size": 9}, (None, 5, 8, 8, 3), Code.EMPTY_OUTPUT, ("layer",)),
    ({"type": "Add"}, (None, 5, 8), Code.WRAPPED_TYPE, ("layer", "type")),
    ({"type": "Dense", "units": 2, "inputs": "x"}, (None, 5, 8), Code.WRAPPED_FIELD, ("layer", "inputs")),
])
def test_time_distributed_errors_point_into_the_nested_layer(inner, shape, code, field):
    with pytest.raises(ShapeError) as info:
        TimeDistributed(layer=inner).compute_output_shape(shape)
    assert (info.value.code, info.value.field[:len(field)]) == (code, field)


SPEC = """graphspec: 1
inputs: {tokens: {shape: [9], dtype: int32}}
layers:
  - {type: Embedding, input_dim: 30, output_dim: 6, mask_zero: true}
  - type: Bidirectional
    name: bi
    layer: {type: LSTM, unitz: 3}
  - type: TimeDistributed
    name: td
    inputs: embedding
    layer: {type: Dnse, units: 3}
  - type: TimeDistributed
    name: conv
    inputs: embedding
    layer:
      type: Conv1D
      filters: 2
      kernel_size: 3
  - type: Bidirectional
    name: backwards
    inputs: embedding
    layer: {type: GRU, units: 2, go_backwards: true}
  - {type: TimeDistributed, name: flat, inputs: embedding, layer: LSTM}
  - {type: TimeDistributed, name: one, inputs: embedding, layer: {type: Dense, units: 1, activation: softmax}}
outputs: [bi, td, conv, backwards, flat, one]
"""


def test_nested_diagnostics_have_the_nested_fields_line_and_column():
    graph = analyze_text(SPEC)
    assert found(graph) == [("GS202", 7, 25, "bi"), ("GS201", 11, 19, "td"), ("GS400", 16, 7, "conv"),
                            ("GS412", 22, 34, "backwards"), ("GS204", 23, 67, "flat"), ("GS604", 24, 90, "one")]
    by_layer = {d.layer: d for d in graph.diagnostics}
    assert by_layer["bi"].hint == "did you mean 'units'?"
    assert by_layer["td"].hint == "did you mean 'Dense'?"
    assert "gives its Conv1D each step's (None, 6), of rank 2" in by_layer["conv"].message
    assert by_layer["flat"].hint == "a nested layer is a mapping with its type and fields: layer: {type: LSTM, ...}"
    assert by_layer["one"].message.startswith("Dense in TimeDistributed's layer: a softmax over an axis of size 1")


def test_a_nested_misspelt_field_is_not_also_reported_missing():
    graph = analyze_text(SPEC)
    assert [d.code for d in graph.diagnostics if d.layer == "bi"] == [Code.UNKNOWN_FIELD]


def test_wrapper_rank_and_summary():
    graph = analyze_text("""graphspec: 1
inputs: {x: {shape: [4]}}
layers:
  - {type: TimeDistributed, layer: {type: Dense, units: 3}}
""")
    (diagnostic,) = graph.diagnostics
    assert diagnostic.code == Code.RANK and "use the Dense without TimeDistributed" in diagnostic.hint
    graph = analyze_text("""graphspec: 1
layers:
  - {type: Bidirectional, input_shape: [5, 3], layer: {type: SimpleRNN, units: 2}}
""")
    assert "bidirectional (Bidirectional)" in graph.summary()


def test_primitives_show_the_wrapped_layers_inside():
    bi = Bidirectional(layer={"type": "GRU", "units": 2, "return_sequences": True})
    ops = bi.primitives((None, 5, 3))
    assert ops[0].label.startswith("forward: ") and ops[0].weights == {"forward_kernel": (3, 6)}
    assert ops[-1].consumes == ("forward.h", "backward.h") and "flipped back" in ops[-1].note
    td = TimeDistributed(layer={"type": "Dense", "units": 2, "activation": "relu"})
    assert [op.name for op in td.primitives((None, 5, 3))] == ["fold", "layer.matmul", "layer.bias",
                                                                "layer.activation", "unfold"]
