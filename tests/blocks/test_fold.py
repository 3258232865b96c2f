"""The summary and the diagram of a spec with blocks, folded by block use: one row (or box) per top-level use with
its output shape and parameters, a repeat as `× N` with its first and last copy's shapes; --depth N and --expand
unfold; totals never change."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import graphspec
from graphspec.cli import main
from graphspec.render import to_mermaid

SPEC = """\
graphspec: 2
inputs: {image: {shape: [16, 16, 3]}}
blocks:
  conv_bn:
    params: [filters, strides: 1]
    layers:
      - {type: Conv2D, name: conv, filters: $filters, kernel_size: 3, strides: $strides, padding: same}
      - {type: BatchNormalization, name: bn}
layers:
  - {block: conv_bn, name: stem, filters: 8}
  - {block: conv_bn, name: stage, repeat: 3, filters: $(8 * 2 ** i), strides: 2}
  - {type: GlobalAveragePooling2D, name: pool}
  - {type: Dense, name: head, units: 10, activation: softmax}
"""


@pytest.fixture
def graph():
    return graphspec.check(graphspec.loads(SPEC))


def rows(summary: str) -> list[str]:
    """The table's rows (a chain: no input row, no Connected to column)."""
    lines = summary.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("=")) + 1:]
    return [line for line in body if line and line[0] not in "_=" and "params:" not in line
            and not line.startswith(("Total MACs", "FLOPs"))]


def test_folded_by_default_one_row_per_use(graph):
    names = [row.split("  ")[0] for row in rows(graph.summary())]
    assert names == ["stem (conv_bn)", "stage (conv_bn × 3)", "pool (GlobalAveragePooling2D)",
                     "head (Dense)"]
    stage = next(row for row in rows(graph.summary()) if row.startswith("stage"))
    assert "(None, 8, 8, 16) … (None, 2, 2, 64)" in stage
    assert f"{sum(graph[n].params for n in graph.nodes if n.startswith('stage')):,}" in stage


def test_depth_and_expand_unfold_and_totals_stay(graph):
    folded, deeper, everything = graph.summary(), graph.summary(depth=2), graph.summary(depth=None)
    assert "  stage_2 (conv_bn)" in deeper and "stage_2/conv" not in deeper
    assert "    stage_2/conv (Conv2D)" in graph.summary(depth=3) and "stage_2/conv (Conv2D)" in everything
    totals = {text.split("Total params: ")[1].splitlines()[0] for text in (folded, deeper, everything)}
    assert totals == {f"{graph.total_params:,} ({graph.total_params * 4 / 1024:.2f} KB)"}


def test_check_takes_depth_and_expand(tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    assert main(["check", "--expand", str(path)]) == 0
    assert "stage_3/bn (BatchNormalization)" in capsys.readouterr().out
    assert main(["check", "--depth", "2", str(path)]) == 0
    assert "stage_3 (conv_bn)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", "--depth", "0", str(path)])


def test_json_gives_every_layer_with_its_use(tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    main(["check", "--format", "json", str(path)])
    record = json.loads(capsys.readouterr().out)["specs"][0]
    assert [layer["name"] for layer in record["layers"]][:3] == ["image", "stem/conv", "stem/bn"]
    stage = record["block_uses"][1]
    assert (stage["name"], stage["kind"], stage["times"], stage["outputs"]) == ("stage", "repeat", 3, ["stage_3/bn"])
    assert [use["name"] for use in stage["uses"]] == ["stage_1", "stage_2", "stage_3"]


def test_the_diagram_draws_uses_as_boxes_and_unfolds_on_request(graph):
    folded = to_mermaid(graph)
    assert "stage: conv_bn × 3" in folded and "stage_2/conv" not in folded and "subgraph" not in folded
    opened = to_mermaid(graph, expand=["stage"])
    assert re.search(r'subgraph cluster_n\d+\["block stage: conv_bn × 3"\]', opened) and "stage_2: conv_bn" in opened
    assert "stage_2/conv: Conv2D" in to_mermaid(graph, expand=True)
    assert "stage_2/conv: Conv2D" in to_mermaid(graph, depth=3)
    with pytest.raises(ValueError, match="did you mean 'stage'"):
        to_mermaid(graph, expand=["stag"])


def test_a_folded_resnet50_fits_on_a_screen():
    graph = graphspec.check(Path(__file__).resolve().parents[2] / "specs" / "resnet50.yaml")
    assert to_mermaid(graph).count('["<b>') == 13  # input, 6 stem layers, 4 stacks, pool, head
