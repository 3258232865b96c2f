"""The checked graph seen in blocks: which layers a block use or a repeat holds, down to a chosen depth.

The summary and the diagram both read it. Depth 1 shows each top-level use as one unit; depth 2 opens those
(a repeat into its copies, a use into its layers and inner uses); `None` opens everything.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..checked import CheckedGraph
from ..types import TensorType
from .origin import ExpandedDocument, Group


@dataclass
class Unit:
    """One row of a folded summary, or one box of a folded diagram: a layer, or a folded or opened group."""

    name: str
    level: int  # 0 at the top
    group: Group | None = None  # None for a layer
    opened: bool = False  # a group shown with its contents after it
    layers: list[str] = field(default_factory=list)


def block_tree(graph: CheckedGraph) -> list | None:
    """The spec's uses and repeats, or None for a spec written without blocks."""
    document = graph.spec.document if graph.spec is not None else None
    return document.tree if isinstance(document, ExpandedDocument) else None


def units(graph: CheckedGraph, depth: int | None = 1, opened: set[str] = frozenset()) -> list[Unit]:
    """The units to show, in spec order: groups deeper than `depth` folded, unless named in `opened`."""
    tree = block_tree(graph)
    if tree is None:
        return [Unit(name, 0, layers=[name]) for name in graph.layer_names()]
    found: list[Unit] = []
    _walk(tree, 0, depth, set(opened), found)
    return found


def _walk(items: list, level: int, depth: int | None, opened: set[str], found: list[Unit]) -> None:
    for item in items:
        if item is None:
            continue
        if not isinstance(item, Group):
            found.append(Unit(item, level, layers=[item]))
            continue
        is_open = (depth is None or level + 1 < depth) or item.name in opened
        found.append(Unit(item.name, level, item, is_open, item.layers()))
        if is_open:
            _walk(item.items, level + 1, depth, opened, found)


def visible(shown: list[Unit]) -> dict[str, str]:
    """Each layer -> the unit that shows it: itself, or the folded group that holds it."""
    owner = {}
    for unit in shown:
        if unit.group is None or not unit.opened:
            owner.update({layer: unit.name for layer in unit.layers})
    return owner


def outside_sources(graph: CheckedGraph, unit: Unit) -> list[str]:
    """The nodes feeding a unit from outside it, in order, each once."""
    inside, sources = set(unit.layers), []
    for layer in unit.layers:
        for source in graph.nodes[layer].sources if layer in graph.nodes else []:
            if source not in inside and source not in sources:
                sources.append(source)
    return sources


def group_outputs(graph: CheckedGraph, group: Group) -> list[TensorType | None]:
    """A use's output tensors; for a repeat, its first and its last copy's."""
    if group.kind == "repeat" and group.items:
        ends = [group.items[0], group.items[-1]]
        return [_first_output(graph, end) for end in ends]
    return [_tensor(graph, name) for name in group.outputs[:1]]


def _first_output(graph: CheckedGraph, item) -> TensorType | None:
    if isinstance(item, Group):
        return _tensor(graph, item.outputs[0]) if item.outputs else None
    return _tensor(graph, item)


def _tensor(graph: CheckedGraph, reference: str) -> TensorType | None:
    info = graph.nodes.get(reference.split(":", 1)[0])
    return info.output if info is not None else None


def label(group: Group) -> str:
    """`residual × 3`, `conv_bn`, or `encoder, shares left`."""
    text = f"{group.block} × {group.times}" if group.kind == "repeat" else group.block
    return f"{text}, shares {group.shares}" if group.shares else text


def tree_records(graph: CheckedGraph) -> list[dict] | None:
    """The block uses and repeats as plain data, for `check --format json`; None for a spec without blocks."""
    tree = block_tree(graph)
    return None if tree is None else [_record(graph, item) for item in tree if isinstance(item, Group)]


def _record(graph: CheckedGraph, group: Group) -> dict:
    layers = group.layers()
    return {"name": group.name, "kind": group.kind, "block": group.block, "times": group.times,
            "shares": group.shares, "outputs": group.outputs, "layers": layers,
            "params": sum(graph.nodes[n].params for n in layers if n in graph.nodes),
            "uses": [_record(graph, item) for item in group.items if isinstance(item, Group)]}
