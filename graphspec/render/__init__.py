"""Drawing a checked graph: SVG, PNG, PDF, Graphviz DOT or Mermaid, each node its layer, each edge its tensor.

    graphspec.render(graph, "model.svg")                # the format follows the extension
    graphspec.render(graph, "model.mmd", rankdir="LR", expand=["conv1"])
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..checked import CheckedGraph
from ..schema import did_you_mean
from . import dot, mermaid, output
from .output import FORMATS, RenderError
from ..blocks.fold import block_tree
from .folded import build_folded_scene
from .scene import Scene, build_scene

RANKDIRS = ("TB", "LR", "BT", "RL")


def expanded_layers(graph: CheckedGraph, expand: bool | str | Iterable[str] | None) -> set[str]:
    """`expand`: True for every layer, names (a list, or one string "conv1,embed"), or None for none."""
    layers = graph.layer_names()
    if expand is None or expand is False:
        return set()
    if expand is True:
        return set(layers)
    names = [n.strip() for n in expand.split(",")] if isinstance(expand, str) else list(expand)
    for name in names:
        if name not in layers:
            shown = ", ".join(layers[:30]) + (", ..." if len(layers) > 30 else "")
            suggestion = did_you_mean(name, layers)
            hint = f" ({suggestion})" if suggestion else ""
            raise ValueError(f"no layer named '{name}' to expand{hint}; the layers are: {shown}")
    return set(names)


def _scene(graph: CheckedGraph, rankdir: str, expand, depth: int | None = 1) -> Scene:
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if block_tree(graph) is not None:  # written with blocks: each use one box, unfolded where asked
        return build_folded_scene(graph, depth, expand)
    return build_scene(graph, expanded_layers(graph, expand))


def render(graph: CheckedGraph, path: str | Path, format: str | None = None, rankdir: str = "TB",
           expand: bool | str | Iterable[str] | None = None, depth: int | None = 1) -> Path:
    """Draws the graph to `path` (svg, png, pdf, dot/gv or mmd, by extension unless `format` says). A graph with
    errors is drawn too: the layers in error in red with their message, those after them greyed. A spec with
    blocks draws each block use as one box to `depth` levels; `expand` names uses to unfold (True: all of them)
    and layers to draw as their primitive operations."""
    chosen = output.output_format(path, format)
    output.write(_scene(graph, rankdir, expand, depth), path, chosen, rankdir)
    return Path(path)


def to_svg(graph: CheckedGraph, rankdir: str = "TB", expand=None, depth: int | None = 1) -> str:
    return output.image(_scene(graph, rankdir, expand, depth), "svg", rankdir).decode()


def to_mermaid(graph: CheckedGraph, rankdir: str = "TB", expand=None, depth: int | None = 1) -> str:
    return mermaid.to_mermaid(_scene(graph, rankdir, expand, depth), rankdir)


def to_dot(graph: CheckedGraph, rankdir: str = "TB", expand=None, depth: int | None = 1):
    """The graphviz.Digraph, for Jupyter or further styling."""
    return dot.to_digraph(_scene(graph, rankdir, expand, depth), rankdir)


__all__ = ["render", "to_svg", "to_mermaid", "to_dot", "expanded_layers", "FORMATS", "RANKDIRS", "RenderError"]
