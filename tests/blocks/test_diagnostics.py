"""Every diagnostic the block syntax can give, located where the problem is written (inside a block, or in an
included file) and naming the block use that led there."""
from __future__ import annotations

import textwrap

import pytest

from graphspec.cli import check_file

LIB = """\
graphspec: 2
blocks:
  res:
    params: [filters]
    inputs: [x]
    layers:
      - {type: Conv2D, name: conv, inputs: x, filters: $filters, kernel_size: 3, padding: same}
      - {type: Add, name: add, inputs: [x, conv]}
"""
HEAD = "graphspec: 2\ninputs:\n  x: {shape: [4]}\n"


def head(text: str) -> str:
    return HEAD + textwrap.dedent(text)


@pytest.fixture
def diagnose(tmp_path, monkeypatch):
    """Writes files (the spec as main.yaml) and returns (code, file, line, column, layer) of each diagnostic."""
    monkeypatch.chdir(tmp_path)

    def run(spec: str, files: dict[str, str] | None = None):
        for name, text in (files or {}).items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(textwrap.dedent(text))
        (tmp_path / "main.yaml").write_text(textwrap.dedent(spec))
        graph, diagnostics = check_file("main.yaml")
        return diagnostics
    return run


def brief(diagnostics):
    return [(d.code.value, d.file, d.line, d.column, d.layer) for d in diagnostics]


def test_a_shape_error_in_an_included_block_points_at_it_and_names_the_use(diagnose):
    found = diagnose("""\
        graphspec: 2
        include: lib/blocks.yaml
        inputs:
          image: {shape: [8, 8, 64]}
        layers:
          - {block: res, name: stage3_a, filters: 64}
          - {block: res, name: stage3_b, filters: 256}
        """, {"lib/blocks.yaml": LIB})
    assert brief(found) == [("GS401", "lib/blocks.yaml", 8, 9, "stage3_b/add")]
    assert [(u.name, u.block, u.params, u.file, u.line) for u in found[0].via.uses] == [
        ("stage3_b", "res", (("filters", 256),), "main.yaml", 7)]
    assert found[0].format().splitlines()[1] == "    in 'stage3_b' (block res, filters: 256) at main.yaml:7:5"
    assert found[0].to_dict()["via"][0]["params"] == {"filters": 256}


def test_a_field_wrong_in_every_use_is_told_once_at_the_block(diagnose):
    found = diagnose(head("""\
        blocks:
          b:
            layers: [{type: Dense, units: -1}]
        layers:
          - {block: b, name: one}
          - {block: b, name: two}
          - {block: b, name: three}
        """))
    assert brief(found) == [("GS204", "main.yaml", 6, 35, "one/dense")]
    assert found[0].message.endswith("(and the same in 2 more: two/dense, three/dense)")


def test_nested_uses_are_named_innermost_first(diagnose):
    found = diagnose(head("""\
        blocks:
          inner:
            params: [units]
            layers: [{type: Dense, name: d, units: $(units - 8)}]
          outer:
            params: [width]
            layers: [{block: inner, name: i, units: $width}]
        layers:
          - {block: outer, name: top, width: 4}
        """))
    assert brief(found) == [("GS204", "main.yaml", 7, 44, "top/i/d")]
    assert found[0].format().splitlines()[1:3] == ["    in 'top/i' (block inner, units: 4) at main.yaml:10:14",
                                                   "    in 'top' (block outer, width: 4) at main.yaml:12:5"]


@pytest.mark.parametrize("layers, blocks, expected", [
    ("- {block: denz}", "", [("GS701", 5, 13, "denz")]),
    ("- {block: b, unitz: 3}", "params: [units: 1]\n    layers: [{type: Dense, units: $units}]",
     [("GS703", 9, 16, "b")]),
    ("- {block: b}", "params: [units]\n    layers: [{type: Dense, units: $units}]", [("GS704", 9, 5, "b")]),
    ("- {block: b, units: 2}", "params: [units]\n    layers: [{type: Dense, units: $(unit * 2)}]",
     [("GS705", 7, 35, "b/dense")]),
    ("- {block: b, units: 2}", "params: [units]\n    layers: [{type: Dense, units: $(units / 0)}]",
     [("GS705", 7, 35, "b/dense")]),
    ("- {block: b}", "layers: [{block: b}]", [("GS706", 6, 22, "b/b")]),
    ("- {block: b}", "inputs: [p, q]\n    layers: [{type: Add, inputs: [p, q]}]", [("GS707", 9, 5, "b")]),
    ("- {block: b, inputs: [x, x]}", "inputs: [p, q]\n    layers: [{type: Dense, units: 2}, {type: Add, inputs: [p, q]}]",
     [("GS707", 7, 14, "b/dense")]),
    ("- {type: Dense, units: 2, repeat: 0}", "layers: [{type: Dense, units: 2}]", [("GS708", 8, 37, "dense")]),
    ("- {shared: nope}", "layers: [{type: Dense, units: 2}]", [("GS709", 8, 14, "nope")]),
    ("- {type: Dense, name: d, units: 2}\n  - {shared: d, inputs: x, units: 3}", "layers: [{type: Dense, units: 2}]",
     [("GS304", 8, 5, "d"), ("GS711", 9, 28, "d_1")]),
    ("- {block: b}\n  - {type: Dense, units: 1, inputs: 'b:9'}", "layers: [{type: Dense, units: 2}]",
     [("GS716", 9, 37, "dense")]),
    ("- {block: b}", "layers: [{type: Dense, units: 2, inputs: y}]", [("GS301", 6, 46, None)]),
    ("- {block: b}", "layers: [{type: Dense, name: a, units: 2}, {type: Dense, name: a, units: 2}]",
     [("GS300", 6, 68, "b/a")]),
    ("- {block: b}", "params: [3x]\n    layers: [{type: Dense, units: 2}]", [("GS702", 6, 14, None)]),
    ("- {block: b}", "params: [units]\n    layerz: []", [("GS702", 6, 5, None)]),
])
def test_each_problem_is_located(diagnose, layers, blocks, expected):
    spec = HEAD + f"blocks:\n  b:\n    {blocks}\nlayers:\n  {layers}\n" if blocks else HEAD + f"layers:\n  {layers}\n"
    assert [(d.code.value, d.line, d.column, d.layer) for d in diagnose(spec)] == expected


def test_a_repeat_past_the_largest_model_is_refused_at_once(diagnose):
    found = diagnose(HEAD + "layers:\n  - {type: Dense, units: 2, repeat: 1000000000}\n")
    assert brief(found) == [("GS708", "main.yaml", 5, 37, "dense")]
    assert found[0].message == "repeat: 1,000,000,000 makes more layers than the 100,000 graphspec checks"


def test_two_repeats_named_by_one_template_are_a_duplicate_name_not_a_hang(diagnose):
    found = diagnose(HEAD + "layers:\n  - {type: Dense, units: 2, name: d$i, repeat: 2}\n"
                     "  - {type: Dense, units: 2, name: d$i, repeat: 2}\n")
    assert brief(found)[0] == ("GS300", "main.yaml", 6, 35, "d1..d2")
    assert found[0].message == "the name 'd1..d2' is already used here"


def test_a_repeated_layer_whose_type_is_a_list_is_an_unknown_type(diagnose):
    found = diagnose(HEAD + "layers:\n  - {type: [], name: hidden, units: 16, repeat: 2}\n")
    assert [d.code.value for d in found] == ["GS201"]


def test_nested_repeats_past_the_largest_model_are_told_once_and_nothing_else(diagnose):
    found = diagnose(HEAD + "blocks:\n  b: {layers: [{type: Dense, units: 2, repeat: 1000}]}\n"
                     "layers:\n  - {block: b, name: s, repeat: 1000}\n")
    assert brief(found) == [("GS708", "main.yaml", 7, 33, "s")]
    assert found[0].message == ("the copies of this repeat take the model past 100,000 layers, the most "
                                "graphspec checks")


def test_a_wrong_version_is_told(diagnose):
    found = diagnose("graphspec: 1\ninputs:\n  x: {shape: [4]}\nlayers:\n  - {type: Dense, units: 2, repeat: 2}\n")
    assert brief(found) == [("GS700", "main.yaml", 1, 12, None)]


def test_includes_missing_cyclic_or_holding_more_than_blocks(diagnose):
    found = diagnose(HEAD + "include: [a.yaml, nowhere.yaml]\nlayers:\n  - {type: Dense, units: 2}\n",
                     {"a.yaml": "include: b.yaml\nblocks: {}\n", "b.yaml": "include: a.yaml\nlayers: []\n"})
    assert [(d.code.value, d.file, d.line) for d in found] == [
        ("GS713", "b.yaml", 1), ("GS714", "b.yaml", 2), ("GS712", "main.yaml", 4)]
    assert "a.yaml -> b.yaml -> a.yaml" in found[0].message


def test_a_block_defined_twice_across_files(diagnose):
    found = diagnose(HEAD + "include: a.yaml\nblocks:\n  b: {layers: [{type: Dense, units: 2}]}\n"
                     "layers:\n  - {block: b}\n", {"a.yaml": "blocks:\n  b: {layers: [{type: Dense, units: 3}]}\n"})
    assert brief(found) == [("GS715", "main.yaml", 6, 3, None)]
    assert found[0].message == "block 'b' is already defined at a.yaml:2"


def test_a_syntax_error_in_an_included_file_points_into_it(diagnose):
    found = diagnose(HEAD + "include: a.yaml\nlayers:\n  - {type: Dense, units: 2}\n", {"a.yaml": "blocks: [\n"})
    assert sorted((d.code.value, d.file) for d in found) == [("GS103", "a.yaml"), ("GS712", "main.yaml")]


def test_a_shared_layer_whose_input_needs_other_weights(diagnose):
    found = diagnose("""\
        graphspec: 2
        inputs: {a: {shape: [4]}, b: {shape: [5]}}
        layers:
          - {type: Dense, name: d, inputs: a, units: 2}
          - {shared: d, name: e, inputs: b}
          - {type: Concatenate, inputs: [d, e]}
        """)
    assert brief(found) == [("GS710", "main.yaml", 5, 5, "e")]
    assert found[0].message == ("shares the weights of 'd' (kernel (4, 2), bias (2,)), but its input (None, 5) from "
                                "'b' would need kernel (5, 2), bias (2,)")
