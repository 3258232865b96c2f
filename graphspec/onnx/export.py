"""The exporter's walk: the checked graph in topological order, each layer through its mapping (ops/)."""
from __future__ import annotations

import networkx as nx
import onnx
from onnx import helper

from ..blocks.weights import weight_owner
from ..checked import CheckedGraph
from ..diagnostics import Code, SpecError, error
from ..types import TensorType
from . import IR_VERSION, OPSET, ops  # noqa: F401 - ops registers every mapping
from .builder import Builder, tensor_dtype
from .registry import ONNX_OPS, ExportRefused, mask_rule

BATCH = "batch"


def value_info(name: str, tensor: TensorType) -> onnx.ValueInfoProto:
    """The batch axis is the symbol `batch`; a size the spec leaves null is a symbol of its own, name_axis; a named
    size (T, T - 2) keeps its name."""
    dims = [BATCH, *(f"{name}_{axis}" if n is None else n if isinstance(n, int) else str(n)
                     for axis, n in enumerate(tensor.shape[1:], 1))]
    return helper.make_tensor_value_info(name, tensor_dtype(tensor.dtype), dims)


def initial_weights(graph: CheckedGraph, weights, seed: int):
    """Given weights checked as the NumPy backend checks them (the same refusals), or its initial ones from seed."""
    from ..backends import compile
    return compile(graph, backend="numpy", seed=seed, weights=weights).get_weights()


def export_model(graph: CheckedGraph, weights=None, seed: int = 0) -> onnx.ModelProto:
    if not isinstance(graph, CheckedGraph) or not graph.ok:
        raise TypeError("to_onnx takes a checked graph without errors: graphspec.to_onnx(graphspec.check(spec))")
    weights = initial_weights(graph, weights, seed)
    ctx, values, masks = Builder(), {}, {}
    for name in graph.inputs:
        ctx.reserve(name)
        values[name] = name
    nodes = [graph.node_of(ref) for ref in graph.outputs]  # a reference may name a later output (encoder:state_h)
    needed = set(nodes).union(*(nx.ancestors(graph.graph, node) for node in nodes))
    for name in graph.topological_order():
        if name in needed and graph[name].layer is not None:
            _export_layer(graph, name, weights.get(weight_owner(graph, name), {}), ctx, values, masks)
    onnx_graph = helper.make_graph(
        ctx.nodes, graph.name, [value_info(n, graph[n].output) for n in graph.inputs],
        [value_info(ref, graph.tensor(ref)) for ref in graph.outputs], ctx.initializers)
    from .. import __version__
    return helper.make_model(onnx_graph, ir_version=IR_VERSION, opset_imports=[helper.make_opsetid("", OPSET)],
                             producer_name="graphspec", producer_version=__version__, doc_string=graph.name)


def _export_layer(graph: CheckedGraph, name: str, weights, ctx: Builder, values: dict, masks: dict) -> None:
    info = graph[name]
    layer, sources = info.layer, info.sources
    inputs, input_masks = [values[s] for s in sources], [masks.get(s) for s in sources]
    ctx.begin(name, info.output, [graph.tensor(s) for s in sources], input_masks, weight_owner(graph, name))
    first = len(ctx.nodes)
    if layer.dtype_rule in ("float", "cast"):  # integers (or a float32 beside a float64) computed in the layer's dtype
        inputs = [v if t.dtype == ctx.dtype else ctx.cast(v, ctx.dtype) for v, t in zip(inputs, ctx.input_types)]
    try:
        result = ONNX_OPS[layer.kind](layer, info, inputs, weights, ctx)
        outputs = [result] if isinstance(result, str) else list(result)
        for ref, produced in zip(info.refs(name), outputs):  # canonical references, as the graph's sources hold
            values[ref] = _named(ctx, first, produced, ref)
        mask = mask_rule(layer.kind)(layer, info, inputs, input_masks, ctx)  # a tuple: one per output
        masks.update(zip(info.refs(name), mask) if isinstance(mask, tuple) else [(name, mask)])
    except ExportRefused as refused:
        raise SpecError([error(Code.ONNX_UNSUPPORTED, refused.message, refused.hint, layer=name,
                               file=graph.file)], graph) from None


def _named(ctx: Builder, first: int, produced: str, target: str) -> str:
    """The layer's output value renamed to the layer's name (an Identity where it is an input passed through), so
    that the model's outputs carry the spec's names and every layer's value can be found by its name."""
    own = [node for node in ctx.nodes[first:] if produced in node.output]
    if not own:
        ctx.nodes.append(helper.make_node("Identity", [produced], [target], name=target))
        return target
    own[0].name = target
    for node in ctx.nodes[first:]:
        node.output[:] = [target if v == produced else v for v in node.output]
        node.input[:] = [target if v == produced else v for v in node.input]
    return target
