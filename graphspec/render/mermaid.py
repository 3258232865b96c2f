"""Scene -> Mermaid flowchart text, which GitHub and most Markdown viewers draw without any tool installed."""
from __future__ import annotations

import json
import re
from collections import defaultdict

from . import style
from .scene import Box, Group, Scene

_ENTITY = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;"}  # Mermaid's own entity codes
_SPECIAL = re.compile("[#\"<>]")
_CSS = {"fillcolor": "fill", "color": "stroke", "fontcolor": "color"}


def _escape(line: str) -> str:
    return _SPECIAL.sub(lambda match: _ENTITY[match.group()], line)


def _label(lines: list[str]) -> str:
    return "<br/>".join(_escape(line) for line in lines)


def _class_def(look: tuple[str, ...]) -> str:
    attributes = style.attributes(look)
    css = [f"{_CSS[key]}:{value}" for key, value in attributes.items() if key in _CSS]
    css.append(f"stroke-width:{attributes.get('penwidth', '1')}px")
    if "dashed" in attributes.get("style", ""):
        css.append("stroke-dasharray:5 4")
    return f"    classDef {'_'.join(look)} {','.join(css)}"


def _box(box: Box, indent: str = "    ") -> str:
    fields = [_label(lines) for lines in box.fields]
    return f'{indent}{box.id}["<b>{fields[0]}</b>{"".join("<br/>" + f for f in fields[1:])}"]'


def _arrow(arrow) -> str:
    line = "-.->" if arrow.look else "-->"
    return f"    {arrow.tail} {line}" + (f'|"{_escape(arrow.label)}"| ' if arrow.label else " ") + arrow.head


def _subgraph(group: Group, classes: dict, indent: str = "    ") -> list[str]:
    lines = [f'{indent}subgraph {group.id}["{_escape(group.title)}"]']
    lines += [_box(box, indent + "    ") for box in group.boxes]
    for inner in group.groups:
        lines += _subgraph(inner, classes, indent + "    ")
    lines.append(f"{indent}end")
    classes[group.look].append(group.id)
    for box in group.boxes:
        classes[box.look].append(box.id)
    return lines


def to_mermaid(scene: Scene, rankdir: str = "TB") -> str:
    lines = ["---", f"title: {json.dumps(' · '.join(scene.title), ensure_ascii=False)}", "---",
             f"flowchart {rankdir}"]
    classes: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for box in scene.boxes:
        lines.append(_box(box))
        classes[box.look].append(box.id)
    for group in scene.groups:
        lines += _subgraph(group, classes)
    lines += [_arrow(arrow) for arrow in scene.arrows]
    for look, ids in classes.items():
        lines += [_class_def(look), f"    class {','.join(ids)} {'_'.join(look)}"]
    return "\n".join(lines) + "\n"
