"""The onnxruntime backend: the checked graph exported to ONNX (graphspec.to_onnx) and run by ONNX Runtime, behind
the NumPy backend's API. Registered as "onnxruntime" in the `graphspec.backends` entry-point group."""
from __future__ import annotations

from graphspec.checked import CheckedGraph

from .model import OnnxRuntimeModel


class OnnxRuntimeBackend:
    name = "onnxruntime"

    def compile(self, graph: CheckedGraph, seed: int = 0, weights=None, intra_op_num_threads: int | None = None,
                graph_optimization_level: str = "all", providers=None) -> OnnxRuntimeModel:
        """As the NumPy backend's compile; the session optimises the graph fully and runs on the physical cores
        unless told otherwise (graph_optimization_level: all, extended, basic or disabled)."""
        options = {"intra_op_num_threads": intra_op_num_threads, "graph_optimization_level": graph_optimization_level,
                   "providers": providers}
        return OnnxRuntimeModel(graph, seed, weights, options)


__all__ = ["OnnxRuntimeBackend", "OnnxRuntimeModel"]
