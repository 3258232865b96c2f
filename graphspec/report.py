"""A checked graph as plain data, for `--format json` and other tools."""
from __future__ import annotations

from .checked import CheckedGraph


def _layer_record(graph: CheckedGraph, name: str) -> dict:
    info = graph.nodes[name]
    output = info.output
    return {
        "name": name,
        "type": "InputLayer" if info.layer is None else info.layer.kind,
        "inputs": info.sources,
        "status": info.status,
        "output_shape": list(output.shape) if output else None,
        "dtype": output.dtype if output else None,
        "params": info.params,
        "trainable_params": info.trainable_params,
        "non_trainable_params": info.non_trainable_params,
        "weights": {weight: list(shape) for weight, shape in info.weights.items()},
        "outputs": {port: {"shape": list(t.shape), "dtype": t.dtype} for port, t in info.outputs.items()},
    }


def graph_record(graph: CheckedGraph) -> dict:
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
    }
