"""The checked graph: the one object every consumer reads (summary, renderer, backends)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from .diagnostics import Diagnostic
from . import ports
from .layers.base import Layer
from .types import TensorType


@dataclass
class LayerInfo:
    """What the checker learned about one node; `layer` is None for a model input. `sources` are references
    (ports.py): a layer name, or `name:output` for a later output of a layer with several."""

    layer: Layer | None
    sources: list[str]
    outputs: dict[str, TensorType] = field(default_factory=dict)  # by output name, the first the main one
    status: Literal["ok", "error", "skipped"] = "ok"
    weights: dict[str, tuple[int, ...]] = field(default_factory=dict)
    trainable_params: int = 0
    non_trainable_params: int = 0
    macs: int = 0

    @property
    def params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def output(self) -> TensorType | None:
        """The first (for most layers the only) output."""
        return next(iter(self.outputs.values()), None)

    def refs(self, name: str) -> list[str]:
        """How a reference names each output of this node, `name` being the node's."""
        names = list(self.outputs)
        return [ports.canonical(name, i, names) for i in range(len(names))]


@dataclass
class CheckedGraph:
    spec: object
    graph: nx.DiGraph
    nodes: dict[str, LayerInfo]
    inputs: list[str]
    outputs: list[str]
    diagnostics: list[Diagnostic]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def file(self) -> str | None:
        document = self.spec.document
        return document.file if document else None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def layer_names(self) -> list[str]:
        """Layers in the order the spec lists them."""
        layers = [n for n, kind in self.graph.nodes(data="kind") if kind == "layer"]
        return sorted(layers, key=lambda n: self.graph.nodes[n]["index"])

    def topological_order(self) -> list[str]:
        """Inputs, then layers in an order where every layer follows its inputs (spec order where free)."""
        def key(name):
            node = self.graph.nodes[name]
            return (0, name) if node["kind"] == "input" else (1, f"{node['index']:09d}")
        return list(nx.lexicographical_topological_sort(self.graph, key=key))

    def __getitem__(self, name: str) -> LayerInfo:
        return self.nodes[name]

    def node_of(self, ref: str) -> str:
        """The node a reference reads: `encoder` for `encoder:state_h`."""
        return ports.split(ref, self.nodes)[0]

    @property
    def output_nodes(self) -> set[str]:
        """The nodes whose outputs (one or more of them) the model returns."""
        return {self.node_of(ref) for ref in self.outputs}

    def readers(self, ref: str) -> list[str]:
        """The layers that read a reference, each once."""
        return [name for name, info in self.nodes.items() if ref in info.sources]

    def tensor(self, ref: str) -> TensorType | None:
        """The tensor a reference names: the node's first output, or the output named after the separator."""
        node, port = ports.split(ref, self.nodes)
        outputs = self.nodes[node].outputs
        return next(iter(outputs.values()), None) if port is None else outputs.get(port)

    def input_shape(self, name: str):
        """A layer's input shape as its rules take it (one shape, or a list of them for a merge); None if unknown."""
        info = self.nodes[name]
        types = [self.tensor(source) for source in info.sources]
        if info.layer is None or not types or None in types:
            return None
        shapes = [tensor.shape for tensor in types]
        return info.layer.rule_input(shapes)

    @property
    def input_types(self) -> dict[str, TensorType]:
        return {name: self.nodes[name].output for name in self.inputs}

    @property
    def output_types(self) -> dict[str, TensorType | None]:
        return {ref: self.tensor(ref) for ref in self.outputs}

    @property
    def trainable_params(self) -> int:
        return sum(info.trainable_params for info in self.nodes.values())

    @property
    def non_trainable_params(self) -> int:
        return sum(info.non_trainable_params for info in self.nodes.values())

    @property
    def total_params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def macs(self) -> int:
        return sum(info.macs for info in self.nodes.values())

    def summary(self) -> str:
        from .summary import format_summary  # the table is a reader of this object, kept in its own module
        return format_summary(self)

    def _repr_svg_(self) -> str:
        """Jupyter shows a checked graph as its diagram."""
        from .render import to_svg  # imported here so that the renderer depends on this module, not the reverse
        return to_svg(self)
