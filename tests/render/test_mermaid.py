"""Mermaid output: one node per input and layer, edges labelled with their tensors, the same looks as the SVG."""
import re

from support import SPECS
from graphspec.cli import check_file
from graphspec.render import to_mermaid
from graphspec.render.style import ERROR_COLOR

NODE = re.compile(r'^    (n\d+)\["(.*)"\]$')
EDGE = re.compile(r'^    (n[\d_]+) (-->|-\.->)(?:\|"(.*)"\|)? (n[\d_]+)$')


def mermaid_of(name: str, **options) -> str:
    graph, _ = check_file(SPECS / name)
    return to_mermaid(graph, **options)


def test_one_node_per_layer_and_edges_with_shapes():
    text = mermaid_of("two_inputs.yaml")
    lines = text.splitlines()
    assert lines[:4] == ["---", 'title: "two_inputs · 1,851 params, 1,819 trainable, 32 non-trainable"', "---",
                         "flowchart TB"]
    nodes = dict(NODE.match(line).groups() for line in lines if NODE.match(line))
    assert len(nodes) == 11  # 2 inputs + 9 layers
    assert nodes["n0"] == "<b>image: Input</b><br/>(None, 28, 28, 1) float32"
    assert nodes["n2"] == "<b>conv: Conv2D</b><br/>16 × 3×3, relu<br/>(None, 28, 28, 16)<br/>160 params"
    edges = [EDGE.match(line).groups() for line in lines if EDGE.match(line)]
    assert len(edges) == 10
    assert ("n7", "-->", "(None, 32) float32", "n8") in edges  # merged -> hidden
    # hidden feeds two layers: its box writes the tensor once, the two arrows carry no label
    assert nodes["n8"] == "<b>hidden: Dense</b><br/>32 units, gelu<br/>(None, 32) float32<br/>1,056 params"
    assert ("n8", "-->", None, "n9") in edges and ("n8", "-->", None, "n10") in edges
    assert "    class n0,n1 input" in lines


def test_errors_are_red_and_special_characters_are_entities():
    lines = mermaid_of("invalid/cycle.yaml").splitlines()
    assert ('    n1["<b>a: Dense</b><br/>8 units<br/>error[GS302]: the layers form a cycle: a -#gt; b -#gt;'
            '<br/>c -#gt; a"]') in lines
    assert f"    classDef layer_error fill:#fde6e6,stroke:{ERROR_COLOR},color:{ERROR_COLOR},stroke-width:2px" in lines
    assert "    class n1,n2,n3 layer_error" in lines
    assert "    n1 -.-> n2" in lines  # no tensor leaves a broken layer


def test_expand_puts_the_operations_in_a_subgraph_with_the_recurrence_dashed():
    lines = mermaid_of("lstm_sequence.yaml", expand="lstm", rankdir="LR").splitlines()
    assert lines[3] == "flowchart LR"
    start = lines.index('    subgraph cluster_n2["inside lstm"]')
    assert lines[start + 1] == ('        n2_0["<b>x(t) @ kernel</b><br/>kernel (64, 512)'
                                '<br/>gates side by side: i, f, c, o"]')
    assert lines[start + 10] == ('        n2["<b>lstm: LSTM</b><br/>128 units, sequences<br/>(None, None, 128)'
                                 '<br/>98,816 params"]')
    assert lines[start + 11] == "    end"
    assert '    n2_8 -.->|"t−1"| n2_1' in lines  # h(t) feeds the next step's h(t−1) @ recurrent_kernel
    assert '    n2_7 -.->|"t−1"| n2_7' in lines  # c(t) feeds the next step's c
    assert '    n1 -->|"(None, None, 64) float32"| n2_0' in lines
    assert '    n2 -->|"(None, None, 128) float32"| n3' in lines
