"""Wiring -> CheckedGraph: each layer's output TensorType from its inputs', in topological order.

One rule per node. A node whose input failed is skipped without a diagnostic of its own, so an error
is reported once, where it occurs.
"""
from __future__ import annotations

import re

import networkx as nx
import numpy as np

from . import ports
from .advice import keras_computes_otherwise, mask_dropped_by_keras, softmax_of_one, unpooled_output
from .blocks.weights import share_weights
from .mask_flow import mask_deleted_by_attention
from .checked import CheckedGraph, LayerInfo
from .collection import collection_paused
from .diagnostics import Code, Diagnostic, error, warning
from .dim_rules import Inexpressible, erased, has_names
from .graph import Wiring, build_graph
from .layers.base import Layer, ShapeError, sequential_shape
from .layers.wrapper import field_path
from .schema import Spec
from .source import Document
from .training.check import training_diagnostics
from .types import FLOAT_DTYPES, TensorType

_LAYER_PATH = re.compile(r"layers\[(\d+)\]")
HUGE_LAYER_PARAMS = 2 ** 31  # 8 GiB of float32 in one layer: more than any machine here holds, likely a typo
HUGE_OUTPUT = 2 ** 31  # values in one sample's output: 8 GiB of float32 per sample, as likely a typo


def _describe_inputs(sources: list[str], types: list[TensorType]) -> str:
    return " and ".join(f"{t} {t.dtype} from '{s}'" for s, t in zip(sources, types))


def _check_arity(layer: Layer, count: int) -> None:
    low, high = layer.min_inputs, layer.max_inputs
    if count < low or (high is not None and count > high):
        want = f"exactly {low}" if low == high else f"at least {low}" if high is None else f"{low} to {high}"
        raise ShapeError(f"{layer.kind} takes {want} input(s), got {count}",
                         "list the inputs it merges: inputs: [a, b]" if low > 1 else "give it one input: inputs: name",
                         Code.INPUT_COUNT, "inputs")


def _check_rank(layer: Layer, tensor: TensorType) -> None:
    low, high = layer.min_rank, layer.max_rank
    if tensor.rank >= low and (high is None or tensor.rank <= high):
        return
    want = f"rank {low}" if low == high else f"rank {low} or more" if high is None else f"rank {low} to {high}"
    raise ShapeError(f"{layer.kind} needs an input of {want} {layer.axes}, got {tensor} of rank {tensor.rank}",
                     layer.rank_hint(tensor.shape), Code.RANK)


def _output_dtype(layer: Layer, sources: list[str], types: list[TensorType], notes: list) -> str:
    """The dtype rule: Embedding needs indices; float layers cast integers (a warning); the rest keep theirs."""
    dtypes = {t.dtype for t in types}
    if layer.dtype_rule == "index":
        if not all(t.is_integer for t in types):
            raise ShapeError(f"{layer.kind} looks rows up by integer index, but its input is "
                             f"{_describe_inputs(sources, types)}",
                             "feed it integer token ids: an int32 input (dtype: int32), directly or through "
                             "Flatten/Reshape, not the output of a float layer", Code.EMBEDDING_NEEDS_INTEGERS)
        return "float32"
    if layer.dtype_rule == "preserve":
        if len(dtypes) > 1:
            raise ShapeError(f"{layer.kind} needs inputs of one dtype, got {_describe_inputs(sources, types)}",
                             "make the inputs agree, e.g. declare them with the same dtype", Code.DTYPE_MISMATCH)
        return dtypes.pop()
    if not dtypes <= FLOAT_DTYPES and layer.dtype_rule != "cast":
        notes.append((Code.IMPLICIT_CAST, f"{layer.kind} computes in float; its {_describe_inputs(sources, types)} "
                      "input is cast to float32", "declare the input as float32 if that is what it holds"))
    return "float64" if "float64" in dtypes else "float32"


def _infer_layer(layer: Layer, sources: list[str], types: list[TensorType], notes: list, base_dir,
                 alike: dict) -> LayerInfo:
    referenced = sum(len(refs) for refs in layer.references().values())
    _check_arity(layer, len(types) - referenced)
    for tensor in types[: len(types) - referenced]:  # referenced tensors (initial states) the layer checks itself
        _check_rank(layer, tensor)
    dtype = _output_dtype(layer, sources, types, notes)
    shapes = [t.shape for t in types]
    layer.check_input_shapes(shapes)
    shape_in = layer.rule_input(shapes)
    attempt: list = []
    try:
        info = _rules_once(layer, shape_in, dtype, attempt, base_dir, alike)
    except TypeError:  # dims.Inexpressible, or NumPy refusing a named size: the rules again, the names unknown
        if not has_names(shape_in):
            raise
        attempt = []
        info = _apply_rules(layer, erased(shape_in), dtype, attempt, base_dir)
    notes.extend(attempt)
    info.sources = sources
    return info


def _rules_once(layer: Layer, shape_in, dtype: str, notes: list, base_dir, alike: dict) -> LayerInfo:
    """The rules' answer for a layer written like one asked before (a block's copies, a repeat's) on the same
    input: the rules never read a layer's name or inputs, and a big spec is mostly such copies."""
    key = (type(layer), repr([v for k, v in layer.__dict__.items() if k not in _NOT_READ_BY_RULES]),
           repr(shape_in), dtype)
    if key not in alike:
        found: list = []
        alike[key] = _apply_rules(layer, shape_in, dtype, found, base_dir), found
    info, found = alike[key]
    notes.extend(found)
    return LayerInfo(layer=layer, sources=[], outputs=dict(info.outputs), weights=dict(info.weights),
                     trainable_params=info.trainable_params, non_trainable_params=info.non_trainable_params,
                     macs=info.macs)


_NOT_READ_BY_RULES = ("name", "inputs")


def _apply_rules(layer: Layer, shape_in, dtype: str, notes: list, base_dir) -> LayerInfo:
    shapes_out = [tuple(shape) for shape in layer.compute_output_shapes(shape_in)]
    shape_out = shapes_out[0]
    layer.check_files(base_dir)
    weights = layer.weight_shapes(shape_in)
    if not all(isinstance(size, int) for shape in weights.values() for size in shape):
        raise Inexpressible("a weight's shape is fixed when the model is built, not by the data")
    layer.check_initializers(weights)
    trainable, frozen = layer.count_params(shape_in)
    notes.extend(tuple(advice) for advice in layer.advise(shape_in))
    notes.extend(softmax_of_one(layer, shape_out))
    notes.extend(keras_computes_otherwise(layer))
    outputs = {name: TensorType(shape, dtype) for name, shape in zip(layer.output_names(), shapes_out)}
    notes.extend(_huge(layer, trainable + frozen, list(outputs.values())))
    return LayerInfo(layer=layer, sources=[], outputs=outputs, status="ok",
                     weights=weights, trainable_params=trainable, non_trainable_params=frozen,
                     macs=layer.macs(shape_in, shape_out))


def _huge(layer: Layer, params: int, outputs: list[TensorType]) -> list[tuple]:
    """Sizes no machine here holds, a mistyped size most likely: a layer's parameters, or one sample's output."""
    notes = []
    if params > HUGE_LAYER_PARAMS:
        notes.append((Code.HUGE_LAYER, f"{layer.kind} holds {params:,} parameters, {params * 4 / 2 ** 30:,.0f} GiB "
                      "as float32", "is a size mistyped?"))
    for output in outputs:
        if output.size is not None and output.size > HUGE_OUTPUT:
            gib = output.size * np.dtype(output.dtype).itemsize / 2 ** 30
            notes.append((Code.HUGE_OUTPUT, f"{layer.kind} outputs {output} {output.dtype}, {output.size:,} values "
                          f"({gib:,.0f} GiB) per sample", "is a size mistyped? Running it needs that much memory "
                          "for each sample"))
    return notes


def _read(infos: dict[str, LayerInfo], ref: str) -> tuple[LayerInfo | None, TensorType | None]:
    """The node a reference reads and the tensor it names (None while that node is unchecked)."""
    node, port = ports.split(ref, infos)
    info = infos.get(node)
    if info is None or not info.outputs:
        return info, None
    return info, info.outputs[port] if port is not None else info.output


def _last_step_only(layer: Layer, name: str, source: LayerInfo) -> str | None:
    """The hint for Keras's most common recurrent mistake: a stacked recurrent layer (or any layer wanting steps)
    after `name`, a layer that returns only its last output."""
    if getattr(source.layer, "return_sequences", True) or source.output.rank + 1 != layer.min_rank:
        return None
    return (f"set return_sequences: true on '{name}', so that it passes on every step (batch, timesteps, "
            f"{source.output.shape[-1]}), not only the last")


def _batch_declared(layer: Layer, shape: tuple, declare) -> str | None:
    """[None, 28, 28, 1] or [32, 28, 28, 1] as a declared shape: the batch written in, one axis too many."""
    fits = layer.min_rank <= len(shape) - 1 <= (layer.max_rank or 0)
    if not fits or len(shape) < 3:
        return None
    first, rest = shape[1], list(shape[2:])
    said = "leave the batch out" if first is None else f"if {first} is the batch size, leave it out"
    return f"{said}: did you mean {declare(rest)}?"


class _Inference:
    def __init__(self, wiring: Wiring, document: Document):
        self.wiring, self.document = wiring, document
        self.diagnostics: list[Diagnostic] = []
        self.alike: dict = {}  # the rules' answers by layer fields and input (_rules_once)

    def run(self) -> dict[str, LayerInfo]:
        graph = self.wiring.graph
        infos: dict[str, LayerInfo] = {}
        for name in self.wiring.broken:  # removed first, so that cycles among them leave the rest sortable
            node = graph.nodes[name]
            infos[name] = LayerInfo(layer=node.get("layer"), sources=node.get("sources", []), status="error")
        order = self._order()
        for name in order:
            if name not in infos:
                infos[name] = self.visit(name, graph.nodes[name], infos)
        for name in (ref for ref in self.wiring.outputs if ref in infos):  # a layer's first output: a prediction
            advice = unpooled_output(name, infos, self.wiring.graph)
            if advice is not None:
                head, message, hint = advice
                self.report(warning, Code.UNPOOLED_OUTPUT, message, hint, self.wiring.graph.nodes[head], head)
        for name, code, message, hint in mask_deleted_by_attention(order, infos):
            self.report(warning, code, message, hint, self.wiring.graph.nodes[name], name)
        return infos

    def _order(self) -> list[str]:
        """Every node after its inputs; broken layers (cycles among them) are left out when the graph has cycles."""
        graph = self.wiring.graph
        if not self.wiring.broken:  # no cycle: a broken layer stands in every one
            return list(nx.topological_sort(graph))
        return list(nx.topological_sort(graph.subgraph(n for n in graph if n not in self.wiring.broken).copy()))

    def visit(self, name: str, node: dict, infos: dict[str, LayerInfo]) -> LayerInfo:
        if node["kind"] == "input":
            return LayerInfo(layer=None, sources=[], outputs={"output": node["type"]}, status="ok")
        layer, sources = node["layer"], node.get("sources", [])
        feeding = [_read(infos, s) for s in sources]
        if any(info is None or info.status != "ok" for info, _ in feeding):
            return LayerInfo(layer=layer, sources=sources, status="skipped")
        notes: list = []
        try:
            info = _infer_layer(layer, sources, [tensor for _, tensor in feeding], notes, self.document.base_dir,
                                self.alike)
            notes.extend(mask_dropped_by_keras(layer, sources, infos))
        except ShapeError as exc:
            hint = self._rank_hint(layer, sources, infos) if exc.code is Code.RANK else None
            self.report(error, exc.code, exc.message, hint or exc.hint, node, name, exc.field)
            return LayerInfo(layer=layer, sources=sources, status="error")
        for code, message, hint, *field in notes:
            self.report(warning, code, message, hint, node, name, *field)
        return info

    def _rank_hint(self, layer: Layer, sources: list[str], infos: dict[str, LayerInfo]) -> str | None:
        """The layer's rank hint, worded for where its input comes from: an `inputs:` block, the Sequential
        shorthand, or another layer (which only a Reshape can change)."""
        if len(sources) != 1:
            return None
        source = sources[0]
        info, tensor = _read(infos, source)
        if info.layer is not None:
            return _last_step_only(layer, source, info) or layer.rank_hint(tensor.shape, None)
        in_block = self.wiring.graph.nodes[source]["path"][0] == "inputs"
        declare = (lambda shape: f"shape: {shape} on input '{source}'") if in_block else sequential_shape
        shape = tensor.shape
        return _batch_declared(layer, shape, declare) or layer.rank_hint(shape, declare)

    def report(self, make, code, message, hint, node, name, field=None) -> None:
        path = (*node["path"], *field_path(field))  # a field of the layer, or a path into a nested one
        self.diagnostics.append(make(code, message, hint, **self.document.where(path, bool(field)), layer=name))


def analyze(spec: Spec) -> CheckedGraph:
    """Runs every check; never raises for a bad spec: the result carries all diagnostics."""
    with collection_paused():
        return _analyze(spec)


def _analyze(spec: Spec) -> CheckedGraph:
    wiring = build_graph(spec)
    document = spec.document or Document({})
    inference = _Inference(wiring, document)
    infos = inference.run()
    shared = share_weights(spec, wiring, infos)  # one set of weights for a layer applied to several inputs
    named = _name_layers(spec.diagnostics, wiring)
    diagnostics = sorted(_unrepeated([*named, *wiring.diagnostics, *inference.diagnostics, *shared]), key=_position)
    graph = CheckedGraph(spec, wiring.graph, infos, wiring.inputs, wiring.outputs, diagnostics)
    graph.diagnostics.extend(training_diagnostics(graph, document))
    graph.diagnostics.sort(key=_position)
    return graph


def _name_layers(diagnostics: list[Diagnostic], wiring: Wiring) -> list[Diagnostic]:
    """Schema problems are found before layers have names; give each the name its layer ended up with."""
    names = {data["index"]: name for name, data in wiring.graph.nodes(data=True) if data["kind"] == "layer"}

    def named(diagnostic: Diagnostic) -> Diagnostic:
        match = _LAYER_PATH.match(diagnostic.path or "")
        return diagnostic.located(layer=names.get(int(match.group(1)))) if match and not diagnostic.layer else diagnostic
    return [named(d) for d in diagnostics]


def _unrepeated(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """An error at a field already tells its author to change it: a warning at the same field is left out."""
    errors_at = {d.path for d in diagnostics if d.is_error and d.path}
    return [d for d in diagnostics if d.is_error or d.path not in errors_at]


def _position(diagnostic: Diagnostic) -> tuple:
    return (diagnostic.line is None, diagnostic.line or 0, diagnostic.column or 0)
