"""Bidirectional's several outputs as Keras 3 gives them: merge_mode null (forward, backward), return_state (the
forward layer's states, then the backward layer's), and initial_state checked for count and shape."""
import pytest
from support import analyze_text, found

from graphspec.diagnostics import Code
from graphspec.layers import Bidirectional, ShapeError

SHAPE = (None, 7, 4)


@pytest.mark.parametrize("spec, names, shapes", [
    ({"layer": {"type": "LSTM", "units": 3}, "merge_mode": None}, ["forward", "backward"], [(None, 3), (None, 3)]),
    ({"layer": {"type": "GRU", "units": 3, "return_sequences": True}, "merge_mode": None},
     ["forward", "backward"], [(None, 7, 3), (None, 7, 3)]),
    ({"layer": {"type": "LSTM", "units": 3, "return_state": True}},
     ["output", "forward_state_h", "forward_state_c", "backward_state_h", "backward_state_c"],
     [(None, 6), (None, 3), (None, 3), (None, 3), (None, 3)]),
    ({"layer": {"type": "GRU", "units": 3, "return_state": True}, "merge_mode": None,
      "backward_layer": {"type": "SimpleRNN", "units": 2, "go_backwards": True, "return_state": True}},
     ["forward", "backward", "forward_state_h", "backward_state_h"], [(None, 3), (None, 2), (None, 3), (None, 2)]),
])
def test_outputs_follow_keras_order(spec, names, shapes):
    layer = Bidirectional(**spec)
    assert layer.output_names() == names
    assert layer.compute_output_shapes(SHAPE) == shapes


def test_initial_state_is_checked_for_count_and_shape():
    layer = Bidirectional(layer={"type": "LSTM", "units": 3}, initial_state=["a", "b", "c", "d"])
    layer.check_input_shapes([SHAPE, *[(None, 3)] * 4])
    for states, code, words in [([(None, 3)] * 2, Code.INPUT_COUNT, "4 states (forward_state_h"),
                                ([(None, 3)] * 3 + [(None, 5)], Code.SHAPE_MISMATCH, "backward layer: the initial "
                                 "state_c must be (None, 3)")]:
        with pytest.raises(ShapeError) as info:
            layer.check_input_shapes([SHAPE, *states])
        assert (info.value.code, info.value.field) == (code, "initial_state") and words in info.value.message


def test_initial_state_of_directions_with_different_states_is_refused():
    layer = Bidirectional(layer={"type": "LSTM", "units": 3}, initial_state=["a", "b", "c"],
                          backward_layer={"type": "GRU", "units": 3, "go_backwards": True})
    with pytest.raises(ShapeError) as info:
        layer.check_input_shapes([SHAPE, *[(None, 3)] * 3])
    assert info.value.code == Code.INPUT_COUNT and "split in half" in info.value.message


SPEC = """graphspec: 1
inputs: {x: {shape: [7, 4]}, y: {shape: [5, 4]}}
layers:
  - {type: Bidirectional, name: enc, inputs: x, layer: {type: LSTM, units: 3, return_state: true}}
  - {type: Bidirectional, name: dec, inputs: y, merge_mode: null, layer: {type: LSTM, units: 3},
     initial_state: [enc:forward_state_h, enc:forward_state_c, enc:3, enc:state_c]}
outputs: [dec, dec:backward]
"""


def test_a_state_the_bidirectional_has_not_is_named_with_its_outputs():
    graph = analyze_text(SPEC)
    assert found(graph) == [("GS307", 6, 71, "dec")]
    assert "has no output 'state_c'" in graph.diagnostics[0].message
    assert "4 backward_state_c" in graph.diagnostics[0].message


def test_an_encoder_decoder_checks():
    graph = analyze_text(SPEC.replace("enc:state_c]", "enc:backward_state_c]"))
    assert found(graph) == []
    assert [t.shape for t in graph["dec"].outputs.values()] == [(None, 3), (None, 3)]
