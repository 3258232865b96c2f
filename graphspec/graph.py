"""Spec -> a networkx DiGraph of inputs and layers, wired by name or by order, with wiring problems reported."""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from . import ports
from .diagnostics import Code, Diagnostic, error, warning
from .layers.base import snake_case
from .schema import InvalidLayer, Spec, did_you_mean
from .source import Document
from .types import TensorType, format_shape


@dataclass
class Wiring:
    """The graph before shapes: node attributes are kind ('input' | 'layer'), layer, index, path, sources, type."""

    graph: nx.DiGraph
    inputs: list[str]
    outputs: list[str]
    broken: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Builder:
    def __init__(self, spec: Spec):
        self.spec = spec
        self.document = spec.document or Document({})
        self.graph = nx.DiGraph()
        self.diagnostics: list[Diagnostic] = []
        self.broken: set[str] = set()

    def where(self, path, at_key=False, layer=None, node_kind="layer") -> dict:
        return {**self.document.where(path, at_key), "layer": layer, "node_kind": node_kind}

    def name_layers(self) -> list[str]:
        """Explicit names first, then Keras-style auto names (dense, dense_1, ...) that avoid every taken name."""
        taken = set(self.spec.inputs or ())
        names: list[str | None] = []
        for i, layer in enumerate(self.spec.layers):
            if layer.name is not None and layer.name in taken:
                self.diagnostics.append(error(Code.DUPLICATE_NAME, f"the name '{layer.name}' is already used",
                                              "give each layer and input its own name",
                                              **self.where(("layers", i, "name"), layer=layer.name)))
                names.append(None)
                continue
            taken.add(layer.name)
            names.append(layer.name)
        namer = Namer(taken)
        return [name or namer(auto_base(layer)) for name, layer in zip(names, self.spec.layers)]

    def declare_inputs(self, names: list[str]) -> list[str]:
        for name, declared in (self.spec.inputs or {}).items():
            self.add_input(name, TensorType.batched(declared.shape, declared.dtype), ("inputs", name))
        for name in self.spec.invalid_inputs:
            self.add_input(name, None, ("inputs", name))
            self.broken.add(name)
        declared_any = self.spec.inputs or self.spec.invalid_inputs
        for i, layer in enumerate(self.spec.layers):
            shorthand = layer.shorthand_fields()
            if shorthand and (i > 0 or declared_any):
                self.diagnostics.append(error(
                    Code.MISPLACED_FIELD, f"{shorthand[0]} only declares the input on the first layer of a sequence"
                    if i else f"{shorthand[0]} is the Sequential shorthand, but the `inputs:` block declares the inputs",
                    "remove it, or declare the input in the `inputs:` block" if i else "remove it, and give the "
                    "shape in the `inputs:` block", **self.where(("layers", i, shorthand[0]), True, names[i])))
        first = self.spec.layers[0] if self.spec.layers else None
        if not declared_any and first is not None:
            self.check_shorthand(first, names[0])
        if not declared_any and first is not None and first.declared_input_shape() is not None:
            dtype = first.dtype or first.default_input_dtype()
            name = Namer(names)("input")
            self.add_input(name, TensorType.batched(first.declared_input_shape(), dtype), ("layers", 0))
        return [n for n, kind in self.graph.nodes(data="kind") if kind == "input"]

    def check_shorthand(self, layer, name: str) -> None:
        """input_dim beside input_shape: Keras 3 takes input_dim and refuses input_shape as an unknown argument."""
        if not {"input_dim", "input_shape"} <= set(layer.shorthand_fields()):
            return
        where = self.where(("layers", 0, "input_dim"), True, name)
        dim, shape = layer.input_dim, list(layer.input_shape)
        if shape == [dim]:
            self.diagnostics.append(warning(
                Code.KERAS_REFUSES, f"input_dim: {dim} and input_shape: {shape} say the same twice, and Keras 3 "
                "refuses the two together", "remove one: Keras 3 takes input_dim and rejects input_shape as an "
                "unrecognized argument", **where))
            return
        self.diagnostics.append(error(
            Code.CONFLICTING_FIELDS, f"input_dim: {dim} says the input is (None, {dim}), input_shape: {shape} says "
            f"{format_shape((None, *shape))}; Keras 3 refuses the two together",
            "keep the one you mean: Keras 3 takes input_dim and rejects input_shape as an unrecognized argument",
            **where))

    def add_input(self, name: str, tensor: TensorType, path) -> None:
        self.graph.add_node(name, kind="input", type=tensor, path=path)

    def wire(self, names: list[str], inputs: list[str]) -> None:
        for i, (name, layer) in enumerate(zip(names, self.spec.layers)):
            self.graph.add_node(name, kind="layer", layer=layer, index=i, path=("layers", i))
            if isinstance(layer, InvalidLayer):
                self.broken.add(name)
        for i, (name, layer) in enumerate(zip(names, self.spec.layers)):
            if layer.input_list() == []:
                self.diagnostics.append(error(Code.INVALID_VALUE, "inputs: [] names no input", "name the layer or "
                                              "input it reads, or leave inputs out to read the previous layer",
                                              **self.where(("layers", i, "inputs"), layer=name)))
                self.broken.add(name)
            wired = layer.input_list() or ([] if layer.inputs == [] else self.default_source(i, names, inputs))
            paths = _ref_paths(("layers", i, "inputs"), layer.inputs, len(wired))
            for field, refs in layer.references().items():
                wired, paths = [*wired, *refs], [*paths, *_ref_paths(("layers", i, field), getattr(layer, field), 0)]
            sources = [self.resolve(ref, path, name, names, inputs) for ref, path in zip(wired, paths)]
            self.graph.nodes[name]["sources"] = [ref for ref in sources if ref is not None]
            for ref in sources:
                if ref is not None:
                    self.graph.add_edge(ports.split(ref, self.graph)[0], name)

    def resolve(self, ref: str, path, layer: str | None, layer_names, inputs) -> str | None:
        """The canonical reference (ports.py) for `ref` as written, or None after reporting what it misses."""
        node, port = ports.split(ref, self.graph)
        if node not in self.graph:
            self.unknown(node, path, layer, layer_names=layer_names, inputs=inputs)
            return None
        data = self.graph.nodes[node]
        if port is None or node in self.broken:
            return ref
        outputs = data["layer"].output_names() if data["kind"] == "layer" else ["output"]
        index = ports.resolve(port, outputs)
        if index is None:
            what = "an input, with one output" if data["kind"] == "input" else f"'{node}' ({data['layer'].kind})"
            self.diagnostics.append(error(
                Code.UNKNOWN_OUTPUT, f"{what} has no output '{port}'; its outputs are {ports.listing(outputs)}",
                f"write {node} for its first output" + (f", or {node}:{outputs[1]}" if len(outputs) > 1 else
                                                        "; layers with several outputs (return_state) take name:output"),
                **self.where(path, layer=layer)))
            if layer:
                self.broken.add(layer)
            return None
        return ports.canonical(node, index, outputs)

    def default_source(self, i: int, names: list[str], inputs: list[str]) -> list[str]:
        if i > 0:
            return [names[i - 1]]
        if len(inputs) == 1:
            return inputs
        if not inputs and not isinstance(self.spec.layers[0], InvalidLayer):
            self.diagnostics.append(error(Code.NO_INPUT, "the model has no input",
                                          "give the first layer input_shape (e.g. input_shape: [784]), "
                                          "or declare an `inputs:` block", **self.where(("layers", 0), layer=names[0])))
        elif inputs:
            self.diagnostics.append(error(Code.NO_INPUT, f"the first layer does not say which of the inputs "
                                          f"{', '.join(inputs)} it takes", f"add inputs: {inputs[0]}",
                                          **self.where(("layers", 0), layer=names[0])))
        self.broken.add(names[0])
        return []

    def unknown(self, ref: str, path, layer: str | None, layer_names, inputs) -> None:
        known = [n for n in [*inputs, *layer_names] if n != layer]  # a layer cannot read itself
        hint = did_you_mean(ref, known) or f"known names: {', '.join(known)}"
        self.diagnostics.append(error(Code.UNKNOWN_REFERENCE, f"no layer or input is named '{ref}'", hint,
                                      **self.where(path, layer=layer)))
        if layer:
            self.broken.add(layer)

    def find_cycles(self) -> None:
        for component in nx.strongly_connected_components(self.graph):
            looped = len(component) > 1 or self.graph.has_edge(*2 * [next(iter(component))])
            if not looped:
                continue
            members = sorted(component, key=lambda n: self.graph.nodes[n]["index"])
            cycle = [u for u, _ in nx.find_cycle(self.graph.subgraph(component), source=members[0])]
            self.diagnostics.append(error(Code.CYCLE, f"the layers form a cycle: {' -> '.join([*cycle, cycle[0]])}",
                                          "a layer cannot take its own output, directly or through others",
                                          **self.where(self.graph.nodes[members[0]]["path"], layer=members[0])))
            self.broken.update(component)

    def choose_outputs(self, names: list[str]) -> list[str]:
        if self.spec.outputs == []:
            self.diagnostics.append(error(Code.INVALID_VALUE, "outputs: [] names no output", "name the layers whose "
                                          f"results the model returns, or leave outputs out for the last layer "
                                          f"({names[-1]})", **self.where(("outputs",))))
            return []
        requested = self.spec.output_names() or names[-1:]
        chosen = []
        for i, ref in enumerate(requested):
            path = ("outputs", i) if isinstance(self.spec.outputs, list) else ("outputs",)
            node = ports.split(ref, self.graph)[0]
            if self.graph.nodes.get(node, {}).get("kind") == "input":
                example = f", e.g. {names[-1]}" if names else ""
                self.diagnostics.append(error(Code.UNKNOWN_REFERENCE, f"'{ref}' is an input; outputs are layers",
                                              f"name the layer whose result you want{example}", **self.where(path)))
                continue
            resolved = self.resolve(ref, path, None, names, [])
            if resolved is not None:
                chosen.append(resolved)
        return chosen

    def check_reachability(self, inputs: list[str], outputs: list[str]) -> None:
        """Every input must feed an output; a layer that feeds none is only a warning."""
        nodes = [ports.split(ref, self.graph)[0] for ref in outputs]
        needed = set(nodes).union(*(nx.ancestors(self.graph, node) for node in nodes))
        for name in inputs:
            if name not in needed:
                path = self.graph.nodes[name]["path"]
                self.diagnostics.append(error(Code.UNUSED_INPUT, "this input feeds no output",
                                              "wire it into a layer with inputs:, or remove it",
                                              **self.where(path, path[0] == "inputs", name, "input")))
        for name, data in self.graph.nodes(data=True):
            if data["kind"] == "layer" and name not in needed and name not in self.broken:
                self.diagnostics.append(warning(Code.UNREACHABLE_LAYER, "this layer feeds no output and is never run",
                                                "add it to outputs:, or wire a later layer to it",
                                                **self.where(data["path"], layer=name)))


def _ref_paths(path: tuple, written, count: int) -> list[tuple]:
    """Where each reference of a field is written: its item in a list, the field itself for one name (or `count`
    references the field's absence implies, the previous layer)."""
    if isinstance(written, list):
        return [(*path, j) for j in range(len(written))]
    return [path] * (1 if isinstance(written, str) else count)


def auto_base(layer) -> str:
    return snake_case(layer.kind.rsplit(".", 1)[-1]) if layer.kind != "?" else "layer"  # keras.layers.Dense: dense


class Namer:
    """Keras's counter: base, base_1, base_2, ... skipping taken names, in constant time per name."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.counters: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        n = self.counters.get(base, 0)
        name = base if n == 0 else f"{base}_{n}"
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.counters[base] = n + 1
        self.taken.add(name)
        return name


def build_graph(spec: Spec) -> Wiring:
    builder = _Builder(spec)
    names = builder.name_layers()
    inputs = builder.declare_inputs(names)
    builder.wire(names, inputs)
    builder.find_cycles()
    outputs = builder.choose_outputs(names) if names else []
    if outputs and not any(d.is_error for d in builder.diagnostics):  # with broken wiring, what reaches what follows
        builder.check_reachability(inputs, outputs)
    return Wiring(builder.graph, inputs, outputs, builder.broken, builder.diagnostics)
