"""A checked graph as plain data, for `--format json` and other tools."""
from __future__ import annotations

from .blocks.fold import tree_records
from .checked import CheckedGraph
from .dim_rules import is_named


def _layer_record(graph: CheckedGraph, name: str) -> dict:
    info = graph.nodes[name]
    output = info.output
    return {
        "name": name,
        "type": "InputLayer" if info.layer is None else info.layer.kind,
        "inputs": info.sources,
        "status": info.status,
        "output_shape": [_size(d) for d in output.shape] if output else None,
        "dtype": output.dtype if output else None,
        "params": info.params,
        "trainable_params": info.trainable_params,
        "non_trainable_params": info.non_trainable_params,
        "weights": {weight: list(shape) for weight, shape in info.weights.items()},
        "outputs": {port: {"shape": [_size(d) for d in t.shape], "dtype": t.dtype} for port, t in info.outputs.items()},
        "macs": _size(info.macs),
    }


def _size(size):
    """A named size (T - 2) or count (8192 * T) as its text; numbers and None as they are."""
    return str(size) if is_named(size) else size


def graph_record(graph: CheckedGraph) -> dict:
    uses = tree_records(graph)  # a spec with blocks: its block uses, each with the layers it holds
    return {
        "file": graph.file,
        "name": graph.name,
        "valid": graph.ok,
        "inputs": graph.inputs,
        "outputs": graph.outputs,
        "layers": [_layer_record(graph, name) for name in [*graph.inputs, *graph.layer_names()]],
        "total_params": graph.total_params,
        "trainable_params": graph.trainable_params,
        "non_trainable_params": graph.non_trainable_params,
        "diagnostics": [d.to_dict() for d in graph.diagnostics],
    } | ({"block_uses": uses} if uses is not None else {})
