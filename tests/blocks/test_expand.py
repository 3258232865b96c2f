"""What a spec with blocks stands for: names, wiring, parameters, repeats, outputs, frozen uses, includes."""
from __future__ import annotations

import textwrap

import pytest

import graphspec
from graphspec.blocks.params import ParamError, evaluate, substitute


def check(text: str) -> graphspec.CheckedGraph:
    return graphspec.check(graphspec.loads(textwrap.dedent(text)))


def test_a_block_with_two_outputs_is_read_by_name_or_number_and_its_first_by_default():
    graph = check("""\
        graphspec: 2
        inputs: {x: {shape: [4]}}
        blocks:
          split:
            outputs: [small, large]
            layers:
              - {type: Dense, name: small, units: 2}
              - {type: Dense, name: large, inputs: small, units: 8}
        layers:
          - {block: split, name: s}
          - {type: Dense, name: a, inputs: s, units: 1}
          - {type: Dense, name: b, inputs: "s:large", units: 1}
          - {type: Dense, name: c, inputs: "s:1", units: 1}
          - {type: Dense, name: d, inputs: s/small, units: 1}
          - {type: Concatenate, inputs: [a, b, c, d]}
        """)
    assert [graph[n].sources for n in "abcd"] == [["s/small"], ["s/large"], ["s/large"], ["s/small"]]


def test_a_layer_may_read_a_use_written_after_it_and_a_frozen_use_freezes_its_layers():
    graph = check("""\
        graphspec: 2
        inputs: {x: {shape: [4]}}
        blocks:
          mlp: {params: [units], layers: [{type: Dense, name: fc, units: $units}]}
        layers:
          - {block: mlp, name: first, inputs: x, units: 3, trainable: false}
          - {type: Add, name: sum, inputs: [first, second]}
          - {block: mlp, name: second, inputs: x, units: 3}
        outputs: sum
        """)
    assert graph["sum"].sources == ["first/fc", "second/fc"]
    assert graph["first/fc"].trainable_params == 0 and graph["second/fc"].trainable_params == 15


def test_model_params_defaults_that_use_earlier_ones_and_copies_named_by_template():
    graph = check("""\
        graphspec: 2
        params: {width: 8}
        inputs: {x: {shape: [$width]}}
        blocks:
          unit:
            params: [units, out: $(units * 2)]
            layers: [{type: Dense, name: fc, units: $out}]
        layers:
          - {block: unit, name: layer$i, repeat: 3, units: $(width * i)}
          - {type: Dense, units: 1, name: "cost$$"}
        """)
    assert [graph[f"layer{i}/fc"].output.shape[-1] for i in (1, 2, 3)] == [16, 32, 48]
    assert graph.layer_names()[-1] == "cost$"


def test_a_repeat_reads_its_inputs_once_then_chains():
    graph = check("""\
        graphspec: 2
        inputs: {x: {shape: [4]}, y: {shape: [4]}}
        blocks:
          mlp: {params: [units], layers: [{type: Dense, name: fc, units: $units}]}
        layers:
          - {type: Dense, name: d, inputs: y, units: 4, repeat: 2}
          - {block: mlp, name: m, inputs: x, units: 4, repeat: 2}
          - {type: Add, inputs: [d, m]}
        """)
    assert [graph[n].sources for n in ("d_1", "d_2", "m_1/fc", "m_2/fc")] == [["y"], ["d_1"], ["x"], ["m_1/fc"]]


def test_automatic_names_avoid_copies_and_explicit_names():
    graph = check("""\
        graphspec: 2
        inputs: {x: {shape: [4]}}
        layers:
          - {type: Dense, units: 2, repeat: 2}
          - {type: Dense, units: 2}
          - {type: Dense, name: dense_3, units: 2}
        """)
    assert graph.layer_names() == ["dense_1", "dense_2", "dense_4", "dense_3"]


def test_an_included_file_includes_relative_to_itself(tmp_path):
    (tmp_path / "lib" / "deep").mkdir(parents=True)
    (tmp_path / "lib" / "a.yaml").write_text("include: deep/b.yaml\nblocks:\n  a: {layers: [{block: b}]}\n")
    (tmp_path / "lib" / "deep" / "b.yaml").write_text("blocks:\n  b: {layers: [{type: Dense, units: 3}]}\n")
    (tmp_path / "spec.yaml").write_text("graphspec: 2\ninclude: lib/a.yaml\ninputs: {x: {shape: [2]}}\n"
                                        "layers: [{block: a, name: top}]\n")
    assert graphspec.check(tmp_path / "spec.yaml").layer_names() == ["top/b/dense"]


def test_a_spec_without_blocks_reads_as_before():
    text = "graphspec: 1\nlayers:\n  - {type: Dense, units: 3, input_dim: 4, name: 'a$b'}\n"
    graph = graphspec.check(graphspec.loads(text))
    assert graph.layer_names() == ["a$b"] and graph.spec.document.__class__.__name__ == "Document"


@pytest.mark.parametrize("text, scope, value", [
    ("$n", {"n": 3}, 3), ("$(n * 4)", {"n": 3}, 12), ("$(n / 2)", {"n": 8}, 4), ("$(n / 3)", {"n": 4}, 4 / 3),
    ("conv$i", {"i": 2}, "conv2"), ("$flag", {"flag": True}, True), ("$$x", {}, "$x"), ("[$k, $k]", {"k": 3}, "[3, 3]"),
    ("$(2 if i == 1 else 1)", {"i": 1}, 2), ("$(max(8, n // 2))", {"n": 30}, 15), ("$(sizes[i - 1])",
                                                                                  {"sizes": [4, 5], "i": 2}, 5),
])
def test_substitution(text, scope, value):
    assert substitute(text, scope) == value


@pytest.mark.parametrize("expression, message", [
    ("n.real", "Attribute is not allowed"), ("open('x')", "Call is not allowed"), ("m + 1", "no parameter named 'm'"),
    ("n ** 1000", "beyond any size"), ("n +", "is not an expression"),
])
def test_expressions_refused(expression, message):
    with pytest.raises(ParamError, match=message):
        evaluate(expression, {"n": 2})


def test_the_documented_example_checks():
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "blocks.md").read_text()
    graph = graphspec.check(graphspec.loads(re.search(r"```yaml\n(.*?)```", text, re.S).group(1)))
    assert graph.total_params == 14_986


def test_inputs_by_name_inside_a_block_resolve_to_flat_names():
    graph = check("""\
        graphspec: 2
        inputs: {x: {shape: [6, 8]}, memory: {shape: [5, 8]}}
        blocks:
          cross:
            inputs: [q, kv]
            layers:
              - {type: MultiHeadAttention, name: mha, inputs: {query: q, value: kv}, num_heads: 2, key_dim: 4}
        layers:
          - {block: cross, name: c, inputs: [x, memory]}
        """)
    assert graph["c/mha"].sources == ["x", "memory"]
    assert str(graph["c/mha"].output) == "(None, 6, 8)"
