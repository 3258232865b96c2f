"""The diagram of a spec written with blocks: each block use one box (a repeat one box marked × N), unfolded into
a titled frame of its layers and inner uses where asked (`--expand NAME`, `--depth N`)."""
from __future__ import annotations

from collections.abc import Iterable

from ..blocks import fold
from ..checked import CheckedGraph
from ..schema import did_you_mean
from . import text
from .scene import Arrow, Box, Group, Scene, _Builder


def split_expand(graph: CheckedGraph, expand: bool | str | Iterable[str] | None) -> tuple[set[str], set[str], bool]:
    """(block uses to unfold, layers to draw as primitive operations, whether every use unfolds)."""
    if expand is None or expand is False:
        return set(), set(), False
    if expand is True:
        return set(), set(), True
    names = [n.strip() for n in expand.split(",")] if isinstance(expand, str) else list(expand)
    groups = {unit.name for unit in fold.units(graph, None) if unit.group is not None}
    layers = set(graph.layer_names())
    for name in names:
        if name not in groups and name not in layers:
            known = sorted(groups) + sorted(layers)
            suggestion = did_you_mean(name, known)
            shown = ", ".join(sorted(groups)[:30])
            raise ValueError(f"no block use or layer named '{name}' to expand{f' ({suggestion})' if suggestion else ''}"
                             f"; the block uses are: {shown}")
    return {n for n in names if n in groups}, {n for n in names if n in layers}, False


def _group_box(graph: CheckedGraph, unit: fold.Unit, node_id: str, builder: _Builder) -> Box:
    group, infos = unit.group, [graph.nodes[n] for n in unit.layers if n in graph.nodes]
    sources = fold.outside_sources(graph, unit)
    inputs = [graph.nodes[s].output for s in sources if graph.nodes[s].output is not None]
    outputs = [t for t in fold.group_outputs(graph, group) if t is not None]
    shapes = " · ".join(str(t) for t in inputs) + " → " + " … ".join(dict.fromkeys(str(t) for t in outputs))
    params = sum(info.params for info in infos)
    notes = [d for n in unit.layers for d in builder.notes.get(n, [])]
    fields = [[f"{unit.name}: {fold.label(group)}"], [shapes], [f"{params:,} params"]]
    fields += [text.message_lines(d) for d in notes]
    failed = any(info.status == "error" for info in infos) or any(d.is_error for d in notes)
    skipped = not failed and any(info.status == "skipped" for info in infos)
    role = ["output"] if set(unit.layers) & set(graph.outputs) else []
    look = ("block", *role, *(["warning"] if notes and not failed else []), *(["skipped"] if skipped else []),
            *(["error"] if failed else []))
    return Box(node_id, fields, look, "\n".join(d.hint for d in notes if d.hint) or None)


def build_folded_scene(graph: CheckedGraph, depth: int | None, expand) -> Scene:
    opened, layers, everything = split_expand(graph, expand)
    builder = _Builder(graph, layers)
    for i, name in enumerate(graph.inputs):
        builder.add_node(name, f"n{i}")
    shown = fold.units(graph, None if everything else depth, opened)
    frames: list = [builder.scene]
    for i, unit in enumerate(shown, start=len(graph.inputs)):
        del frames[unit.level + 1:]
        builder.target = frames[unit.level]
        if unit.group is None:
            builder.add_node(unit.name, f"n{i}")
        elif unit.opened:
            frame = Group(f"cluster_n{i}", f"block {unit.name}: {fold.label(unit.group)}", [], ("layer", "frame"))
            builder.target.groups.append(frame)
            frames.append(frame)
        else:
            box = _group_box(graph, unit, f"n{i}", builder)
            builder.target.boxes.append(box)
            builder.entries[unit.name], builder.exits[unit.name] = [box.id], box.id
    builder.target = builder.scene
    _arrows(graph, builder, fold.visible(shown))
    return builder.scene


def _arrows(graph: CheckedGraph, builder: _Builder, owner: dict[str, str]) -> None:
    """One arrow per pair of shown units that a tensor flows between, labelled with it when it goes nowhere else."""
    drawn = set()
    for tail, head in graph.graph.edges:
        start, end = owner.get(tail, tail), owner.get(head, head)
        if start == end or (start, end) in drawn:
            continue
        drawn.add((start, end))
        tensor = graph.nodes[tail].output
        readers = {owner.get(h, h) for h in graph.graph.successors(tail)}
        label = text.tensor_text(tensor) if tensor is not None and len(readers) == 1 else ""
        look = () if tensor is not None else ("no_tensor",)
        for entry in builder.entries[end]:
            builder.scene.arrows.append(Arrow(builder.exits[start], entry, label, look))
            label = ""
