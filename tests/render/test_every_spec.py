"""Every spec in specs/, valid and invalid, renders to .dot, .svg and .mmd with what the checker found.

SVG here is drawn by the in-process Graphviz (no system `dot`), as on a fresh machine.
"""
from pathlib import Path

import pytest

import drawing
from support import SPECS
from graphspec.cli import check_file, main
from graphspec.render import output
from graphspec.render.style import ERROR_COLOR

SPEC_FILES = sorted(p for folder in (SPECS, SPECS / "invalid") for p in folder.iterdir()
                    if p.suffix in (".yaml", ".yml", ".json"))
UNPARSEABLE = {"syntax_error.yaml", "not_a_mapping.yaml", "python_tag.yaml"}  # no document, so no graph
DRAWABLE = [p for p in SPEC_FILES if p.name not in UNPARSEABLE]


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)


def _render(spec: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["render", str(spec), "-o", str(out)])
    return code, capsys.readouterr().out


def test_the_unparseable_ones_are_the_files_without_a_document():
    assert {p.name for p in SPEC_FILES if check_file(p)[0] is None} == UNPARSEABLE


@pytest.mark.parametrize("spec", DRAWABLE, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".dot", ".svg", ".mmd"])
def test_renders_and_exits_as_check_does(spec, suffix, tmp_path, capsys):
    out = tmp_path / f"model{suffix}"
    graph, _ = check_file(spec)
    code, printed = _render(spec, out, capsys)
    assert code == (0 if graph.ok else 1)
    assert out.stat().st_size > 0
    assert printed.splitlines()[-1].startswith(f"wrote {out} ({suffix[1:]} by ")


@pytest.mark.parametrize("spec", DRAWABLE, ids=lambda p: p.name)
def test_svg_shows_each_layer_its_shape_and_its_errors(spec, tmp_path, capsys):
    graph, _ = check_file(spec)
    _render(spec, tmp_path / "model.svg", capsys)
    root = drawing.parse((tmp_path / "model.svg").read_bytes())
    shown = {lines[0].split(": ")[0]: lines for lines in drawing.nodes(root).values()}
    for name in [*graph.inputs, *graph.layer_names()]:
        info = graph[name]
        several = len(info.outputs) > 1  # then each is named: "state_h: (None, 32)"
        for port, tensor in info.outputs.items():
            written = f"{port}: {tensor}" if several else str(tensor)
            assert any(line.startswith(written) for line in shown[name][1:]), (name, port)
        for diagnostic in (d for d in graph.diagnostics if d.layer == name):
            said = f"{diagnostic.severity.value}[{diagnostic.code.value}]: {diagnostic.message}"
            assert " ".join(said.split()) in " ".join(shown[name]), name
    assert (ERROR_COLOR in (tmp_path / "model.svg").read_text()) == (not graph.ok)


@pytest.mark.parametrize("spec", [SPECS / "invalid" / name for name in sorted(UNPARSEABLE)], ids=lambda p: p.name)
def test_a_file_without_a_graph_writes_nothing_and_exits_1(spec, tmp_path, capsys):
    out = tmp_path / "model.svg"
    code, printed = _render(spec, out, capsys)
    assert code == 1
    assert not out.exists()
    diagnostic = check_file(spec)[1][0]
    assert printed.splitlines() == [*diagnostic.format().splitlines(),
                                    f"{spec}: invalid (1 error, 0 warnings); nothing to draw, {out} not written"]
