"""CheckedGraph -> Scene: boxes, arrows and groups with their words and looks, before any output format.

The one reader of the checked graph for drawing; the DOT and Mermaid writers only translate a Scene,
so both say the same things. Nothing here knows a layer type: a layer describes itself.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..checked import CheckedGraph
from ..diagnostics import Diagnostic
from ..layers.primitives import INPUT
from . import text


@dataclass
class Box:
    id: str
    fields: list[list[str]]
    look: tuple[str, ...]
    tooltip: str | None = None


@dataclass
class Arrow:
    tail: str
    head: str
    label: str = ""
    look: tuple[str, ...] = ()


@dataclass
class Group:
    """An expanded layer: a frame around its primitive operations, which flow into the layer's own box.

    The layer's box comes last, where the result leaves the frame, so that no arrow crosses a frame title.
    """

    id: str
    title: str
    boxes: list[Box]
    look: tuple[str, ...]
    groups: list["Group"] = field(default_factory=list)  # frames inside it: an unfolded block use's inner uses


@dataclass
class Scene:
    name: str
    title: list[str]
    failed: bool
    boxes: list[Box] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)


def _notes(graph: CheckedGraph) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
    """Diagnostics by the node they are about, and those about no node (a wrong version, say)."""
    by_node: dict[str, list[Diagnostic]] = defaultdict(list)
    loose = []
    for diagnostic in graph.diagnostics:
        (by_node[diagnostic.layer] if diagnostic.layer in graph.nodes else loose).append(diagnostic)
    return by_node, loose


def _look(graph: CheckedGraph, name: str, notes: list[Diagnostic]) -> tuple[str, ...]:
    info = graph.nodes[name]
    role = "input" if info.layer is None else "output" if name in graph.output_nodes else "layer"
    marks = [("frozen", info.layer is not None and not info.layer.trainable),
             ("warning", any(not d.is_error for d in notes)),
             ("skipped", info.status == "skipped"),
             ("error", info.status == "error" or any(d.is_error for d in notes))]
    return (role, *(mark for mark, applies in marks if applies))


class _Builder:
    def __init__(self, graph: CheckedGraph, expand: set[str]):
        self.graph, self.expand = graph, expand
        self.notes, loose = _notes(graph)
        self.scene = Scene(graph.name, text.title_lines(graph, loose), not graph.ok)
        self.entries: dict[str, list[str]] = {}  # node -> the boxes its incoming arrows point at
        self.entry_inputs: dict[str, set[int]] = {}  # a box inside a layer taking some of its inputs -> which
        self.exits: dict[str, str] = {}  # node -> the box its outgoing arrows leave from
        self.target: Scene | Group = self.scene  # where new boxes go: the scene, or an unfolded block use's frame

    def add_node(self, name: str, node_id: str) -> None:
        notes = self.notes.get(name, [])
        look = _look(self.graph, name, notes)
        hints = "\n".join(d.hint for d in notes if d.hint)
        fans_out = self.graph.graph.out_degree(name) > 1
        box = Box(node_id, text.node_fields(self.graph, name, notes, fans_out), look, hints or None)
        self.entries[name], self.exits[name] = [node_id], node_id
        if name in self.expand and self.graph.nodes[name].status == "ok":  # a layer in error has no sound inside
            return self.add_group(name, box)
        self.target.boxes.append(box)

    def add_group(self, name: str, layer_box: Box) -> None:
        ops = self.graph.nodes[name].layer.primitives(self.graph.input_shape(name))
        ids = {op.name: f"{layer_box.id}_{i}" for i, op in enumerate(ops)}
        order = {op.name: i for i, op in enumerate(ops)}
        boxes = [Box(ids[op.name], text.primitive_fields(op), ("primitive",)) for op in ops]
        self.target.groups.append(Group(f"cluster_{layer_box.id}", f"inside {name}", [*boxes, layer_box],
                                       (*layer_box.look, "frame")))
        self.scene.arrows.append(Arrow(ids[ops[-1].name], layer_box.id))
        self.entries[name] = []
        for i, op in enumerate(ops):
            for source in op.consumes or ((ops[i - 1].name,) if i else (INPUT,)):
                if source.partition(":")[0] == INPUT:
                    self.entries[name] += [ids[op.name]] * (ids[op.name] not in self.entries[name])
                    if source != INPUT:  # input_of(k): the layer's k-th input only
                        self.entry_inputs.setdefault(ids[op.name], set()).add(int(source.partition(":")[2]))
                else:  # an op that comes later, or itself, feeds it from the previous time step
                    recurrent = order[source] >= i
                    self.scene.arrows.append(Arrow(ids[source], ids[op.name], "t−1" if recurrent else "",
                                                   ("recurrent",) if recurrent else ()))

    def add_edge(self, ref: str, head: str) -> None:
        """An arrow to each box the head takes its input in. A tensor is written once: on the one arrow that
        carries it, else (a fan-out, or one of a layer's several outputs) in its box, as labels side by side would
        run into each other; an arrow from one of several outputs names that output."""
        tail, tensor = self.graph.node_of(ref), self.graph.tensor(ref)
        label, look = (text.tensor_text(tensor), ()) if tensor is not None else ("", ("no_tensor",))
        if len(self.graph.nodes[tail].outputs) > 1:
            label = ref[len(tail) + 1:] or next(iter(self.graph.nodes[tail].outputs))
        elif self.graph.graph.out_degree(tail) > 1:
            label = ""
        positions = {i for i, source in enumerate(self.graph.nodes[head].sources) if source == tail}
        for entry in self.entries[head]:
            if not self.entry_inputs.get(entry, positions) & positions:
                continue
            self.scene.arrows.append(Arrow(self.exits[tail], entry, label, look))
            label = ""


def build_scene(graph: CheckedGraph, expand: set[str] = frozenset()) -> Scene:
    """`expand`: the layers to draw as their primitive operations (those that checked)."""
    builder = _Builder(graph, set(expand))
    for i, name in enumerate([*graph.inputs, *graph.layer_names()]):
        builder.add_node(name, f"n{i}")
    for head in graph.layer_names():
        for ref in dict.fromkeys(graph.nodes[head].sources):
            if graph.node_of(ref) in builder.exits:
                builder.add_edge(ref, head)
    return builder.scene
