"""The warning where Keras 3.15 loses a mask graphspec keeps: MultiHeadAttention deletes the masks of the tensors
it reads, so a second MultiHeadAttention reading the same masked tensor sees it unmasked in Keras."""
from support import analyze_text, found

HEAD = """
graphspec: 1
name: m
inputs:
  ids: {shape: [6], dtype: int32}
  x: {shape: [6, 8]}
layers:
  - {type: Embedding, name: e, inputs: ids, input_dim: 10, output_dim: 8, mask_zero: true}
  - {type: Dropout, name: d, rate: 0.1}
"""


def warnings_of(layers: str, outputs: str):
    graph = analyze_text(HEAD + layers + f"outputs: {outputs}\n")
    return [(code, layer) for code, _, _, layer in found(graph) if code != "GS303"]  # x unused: not the point


def test_a_second_attention_on_a_masked_tensor_is_warned_about():
    layers = """  - {type: MultiHeadAttention, name: a, inputs: [d, d], num_heads: 2, key_dim: 4}
  - {type: MultiHeadAttention, name: b, inputs: [a, d], num_heads: 2, key_dim: 4}
"""
    assert warnings_of(layers, "[b]") == [("GS609", "b")]
    graph = analyze_text(HEAD + layers + "outputs: [b]\n")
    assert any("after 'a' read it" in d.message for d in graph.diagnostics)


def test_self_attention_unmasked_tensors_and_other_readers_are_not():
    layers = """  - {type: MultiHeadAttention, name: a, inputs: [d, d], num_heads: 2, key_dim: 4}
  - {type: Add, name: residual, inputs: [d, a]}
  - {type: MultiHeadAttention, name: b, inputs: [x, x], num_heads: 2, key_dim: 4}
  - {type: MultiHeadAttention, name: c, inputs: [x, x], num_heads: 2, key_dim: 4}
  - {type: Add, name: position, inputs: [e, x]}
  - {type: MultiHeadAttention, name: f, inputs: [position, position], num_heads: 2, key_dim: 4}
  - {type: MultiHeadAttention, name: g, inputs: [position, residual], num_heads: 2, key_dim: 4}
"""
    # x has no mask; an Add keeps one only when every input has one (position has none), as Keras 3's Add
    assert warnings_of(layers, "[residual, b, c, f, g]") == []
