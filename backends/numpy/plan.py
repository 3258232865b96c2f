"""The execution plan: kernels in topological order, each array freed after its last reader.

It runs a batch a few samples at a time while activations are large, so that each layer's output is
still in cache when the next layer reads it; peak memory stays near the largest activation of a block.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

from graphspec.checked import CheckedGraph

BLOCK_BYTES = 8 << 20  # largest activation of one block, chosen so a block's working set stays in cache


class Plan:
    def __init__(self, graph: CheckedGraph, kernels: dict):
        needed = set(graph.outputs).union(*(nx.ancestors(graph.graph, out) for out in graph.outputs))
        self.steps = [(name, kernels[name], graph[name].sources)
                      for name in graph.topological_order() if name in needed and name in kernels]
        self.outputs = list(graph.outputs)
        self.last_reader = {source: name for name, _, sources in self.steps for source in sources}
        sizes = [graph[name].output.size for name in needed]
        self.sample_bytes = None if None in sizes else 4 * max(sizes)

    def block_size(self, batch: int) -> int:
        """Samples per block; the whole batch when activation sizes are unknown (variable-length inputs)."""
        if self.sample_bytes is None:
            return batch
        return max(1, min(batch, BLOCK_BYTES // self.sample_bytes))

    def run(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        batch = next(iter(arrays.values())).shape[0]
        step = self.block_size(batch)
        if step >= batch:
            return self.run_block(arrays)
        blocks = [self.run_block({n: a[i:i + step] for n, a in arrays.items()}) for i in range(0, batch, step)]
        return {name: np.concatenate([b[name] for b in blocks]) for name in self.outputs}

    def run_block(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        values = dict(arrays)
        masks: dict[str, np.ndarray | None] = {}
        for name, kernel, sources in self.steps:
            inputs, input_masks = [values[s] for s in sources], [masks.get(s) for s in sources]
            values[name] = kernel.forward(inputs, input_masks)
            masks[name] = kernel.output_mask(inputs, input_masks)
            for source in set(sources):
                if self.last_reader.get(source) == name and source not in self.outputs:
                    del values[source]
        return {name: values[name] for name in self.outputs}
