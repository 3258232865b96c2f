"""References to one output of a layer with several: `encoder:state_h`, `encoder:1`."""
import pytest

from graphspec import ports
from support import analyze_text, found

NAMES = ["output", "state_h", "state_c"]


@pytest.mark.parametrize("ref, split", [("encoder", ("encoder", None)), ("encoder:state_h", ("encoder", "state_h")),
                                        ("encoder:1", ("encoder", "1")), ("a:b", ("a:b", None))])
def test_split(ref, split):
    assert ports.split(ref, {"encoder", "a:b"}) == split


@pytest.mark.parametrize("port, index", [(None, 0), ("0", 0), ("2", 2), ("state_h", 1), ("3", None), ("h", None)])
def test_resolve(port, index):
    assert ports.resolve(port, NAMES) == index


def test_canonical_and_listing():
    assert [ports.canonical("enc", i, NAMES) for i in range(3)] == ["enc", "enc:state_h", "enc:state_c"]
    assert ports.listing(NAMES) == "0 output, 1 state_h, 2 state_c"


SEQ2SEQ = """graphspec: 1
name: s2s
inputs:
  source: {shape: [null, 8]}
  target: {shape: [null, 8]}
layers:
  - {type: LSTM, name: encoder, inputs: source, units: 4, return_state: true}
  - {type: LSTM, name: decoder, inputs: target, units: 4, return_sequences: true, initial_state: [encoder:1, encoder:state_c]}
outputs: [decoder, encoder:2, encoder:0]
"""


def test_references_are_stored_canonical_and_typed():
    graph = analyze_text(SEQ2SEQ)
    assert graph.ok
    assert graph["decoder"].sources == ["target", "encoder:state_h", "encoder:state_c"]
    assert graph.outputs == ["decoder", "encoder:state_c", "encoder"]
    assert str(graph.tensor("encoder:state_c")) == "(None, 4)"
    assert graph.output_nodes == {"decoder", "encoder"}
    assert graph.readers("encoder:state_h") == ["decoder"]
    assert list(graph["encoder"].outputs) == NAMES


@pytest.mark.parametrize("change, diagnostic", [
    (("encoder:1", "encoder:3"), ("GS307", 8, 99, "decoder")),
    (("encoder:state_c]", "encoder:cell]"), ("GS307", 8, 110, "decoder")),
    (("encoder:1", "source:1"), ("GS307", 8, 99, "decoder")),
    (("encoder:1", "encodr:1"), ("GS301", 8, 99, "decoder")),
    (("encoder:2", "encoder:9"), ("GS307", 9, 20, None)),
])
def test_unknown_outputs_are_reported_where_written(change, diagnostic):
    graph = analyze_text(SEQ2SEQ.replace(*change))
    assert found(graph) == [diagnostic]


def test_the_message_lists_the_outputs():
    graph = analyze_text(SEQ2SEQ.replace("encoder:1", "encoder:3"))
    assert graph.diagnostics[0].message == "'encoder' (LSTM) has no output '3'; its outputs are 0 output, 1 state_h, " \
                                           "2 state_c"
    assert graph.diagnostics[0].hint == "write encoder for its first output, or encoder:state_h"


def test_summary_lists_every_output():
    summary = analyze_text(SEQ2SEQ).summary()
    assert "encoder (LSTM)                 [(None, 4), (None, 4), (None, 4)]" in summary
    assert "target, encoder:state_h, encoder:state_c" in summary
