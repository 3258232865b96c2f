"""The execution plan: kernels in topological order, each array freed after its last reader.

While activations are large, a batch runs a block of samples at a time through the leading steps, so that
each output is still in cache when the next step reads it and peak memory stays near one block's
activations; the steps after the last large activation (a dense head, say) run once on the whole batch,
where their matrix products are efficient. A convolution followed by max pooling is one step (fusion.py).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError

from .fusion import fused_pair

BLOCK_BYTES = 8 << 20  # activations of one block, chosen so that a block's working set stays in cache
LARGE_SAMPLE_BYTES = 64 << 10  # a step that reads or writes more than this per sample runs in blocks
BATCH_HINT = "is a size mistyped? If not, run fewer samples at a time (--batch-size, or predict(..., batch_size=))"


@dataclass
class Step:
    name: str  # the node whose value it produces
    label: str  # the layers it runs, for the profile
    kernel: object
    sources: list[str]  # references (graphspec.ports): a node, or `node:output` of a layer with several outputs
    refs: list[str]  # how readers name each of its outputs; a kernel of several outputs returns a tuple of them


class Plan:
    def __init__(self, graph: CheckedGraph, kernels: dict):
        nodes = [graph.node_of(ref) for ref in graph.outputs]
        needed = set(nodes).union(*(nx.ancestors(graph.graph, node) for node in nodes))
        self.steps = _steps(graph, [n for n in graph.topological_order() if n in needed and n in kernels], kernels)
        self.outputs = list(graph.outputs)
        self.last_reader = {source: step.name for step in self.steps for source in step.sources}
        self.blocked, self.sample_bytes = _blocked_prefix(graph, self.steps)
        later = {s for step in self.steps[self.blocked:] for s in step.sources} | set(self.outputs)
        self.crossing = [ref for step in self.steps[: self.blocked] for ref in step.refs if ref in later]
        self.profile: dict[str, float] | None = None  # set to {} to collect seconds per step (benchmarks)

    def block_size(self, batch: int) -> int:
        """Samples per block; the whole batch when no activation is large or sizes are unknown (variable lengths)."""
        return batch if not self.blocked else max(1, min(batch, BLOCK_BYTES // self.sample_bytes))

    def run(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return self.run_with_masks(arrays)[0]

    def run_with_masks(self, arrays: dict[str, np.ndarray]) -> tuple[dict, dict]:
        """The outputs, and the Keras mask each carries (None for most), which evaluation weighs its loss by."""
        batch = next(iter(arrays.values())).shape[0]
        size = self.block_size(batch)
        values, masks, rest = dict(arrays), {}, self.steps
        if size < batch:
            blocked_values, blocked_masks = self._run_blocks(arrays, batch, size)
            values.update(blocked_values)
            masks.update(blocked_masks)
            rest = self.steps[self.blocked:]
        self._run_steps(rest, values, masks, {})
        return {name: values[name] for name in self.outputs}, {name: masks.get(name) for name in self.outputs}

    def _run_blocks(self, arrays, batch, size):
        """The blocked steps over the batch; what later steps read, gathered at full batch (written in place
        by the steps that accept an `out`)."""
        full, mask_blocks = {}, {name: [] for name in self.crossing}
        for b0 in range(0, batch, size):
            b1 = min(b0 + size, batch)
            values, masks, outs = {n: a[b0:b1] for n, a in arrays.items()}, {}, {n: a[b0:b1] for n, a in full.items()}
            self._run_steps(self.steps[: self.blocked], values, masks, outs)
            for name in self.crossing:
                if name not in full:
                    full[name] = np.empty((batch, *values[name].shape[1:]), values[name].dtype)
                if values[name] is not outs.get(name):
                    full[name][b0:b1] = values[name]
                mask_blocks[name].append(masks.get(name))
        joined = {n: None if blocks[0] is None else np.concatenate(blocks) for n, blocks in mask_blocks.items()}
        return full, joined

    def _run_steps(self, steps, values, masks, outs):
        for step in steps:
            start = time.perf_counter()
            inputs, input_masks = [values[s] for s in step.sources], [masks.get(s) for s in step.sources]
            produced = _forward(step, inputs, input_masks, outs.get(step.name))
            values.update(zip(step.refs, produced) if len(step.refs) > 1 else [(step.name, produced)])
            mask = step.kernel.output_mask(inputs, input_masks)  # a tuple: one per output (Bidirectional's both)
            masks.update(zip(step.refs, mask) if isinstance(mask, tuple) else [(step.name, mask)])
            for source in set(step.sources):
                if self.last_reader.get(source) == step.name and source not in self.outputs:
                    del values[source]
            if self.profile is not None:
                self.profile[step.label] = self.profile.get(step.label, 0.0) + time.perf_counter() - start


def _forward(step, inputs, masks, out):
    """The step's kernel on its inputs; an input that does not suit the layer (a variable-length sequence shorter
    than its window, say) raises a RunError that names the layer."""
    try:
        if out is not None and getattr(step.kernel, "accepts_out", False):
            return step.kernel.forward(inputs, masks, out=out)
        return step.kernel.forward(inputs, masks)
    except RunError:
        raise
    except ValueError as exc:
        raise RunError(f"layer '{step.label}': {exc}") from None
    except MemoryError as exc:
        raise out_of_memory(f"layer '{step.label}'", exc) from None


def out_of_memory(subject: str, exc: MemoryError, hint: str = BATCH_HINT) -> RunError:
    """NumPy's ArrayMemoryError carries the shape and dtype it could not allocate; a bare MemoryError does not."""
    shape, dtype = getattr(exc, "shape", None), getattr(exc, "dtype", None)
    if shape is None or dtype is None:
        return RunError(f"{subject} ran out of memory: {hint}")
    size = math.prod(shape) * np.dtype(dtype).itemsize
    amount = f"{size / 2 ** 30:,.0f} GiB" if size >= 2 ** 30 else f"{size / 2 ** 20:,.0f} MiB"
    return RunError(f"{subject} would produce {tuple(int(n) for n in shape)} {np.dtype(dtype)} = {amount}, more "
                    f"memory than is free: {hint}")


def _steps(graph, names, kernels) -> list[Step]:
    """One step per layer, except that a layer fused into the one before it (fusion.py) shares its step."""
    steps, absorbed = [], set()
    for name in names:
        if name in absorbed:
            continue
        readers = list(graph.graph.successors(name))
        fused = fused_pair(graph, name, readers[0], kernels) if len(readers) == 1 and readers[0] in kernels else None
        if fused is not None and graph[readers[0]].sources == [name]:
            absorbed.add(readers[0])
            steps.append(Step(readers[0], f"{name} + {readers[0]}", fused, graph[name].sources,
                              graph[readers[0]].refs(readers[0])))
        else:
            steps.append(Step(name, name, kernels[name], graph[name].sources, graph[name].refs(name)))
    return steps


def _blocked_prefix(graph, steps) -> tuple[int, int | None]:
    """How many leading steps run in blocks (through the last one that reads or writes a large activation),
    and the bytes per sample of the largest activation among them; (0, None) when nothing is blocked."""
    def sample_bytes(ref):
        tensor = graph.tensor(ref)
        return None if tensor.size is None else tensor.size * np.dtype(tensor.dtype).itemsize

    touched = [[sample_bytes(ref) for ref in (*step.refs, *step.sources)] for step in steps]
    if any(None in sizes for sizes in touched):
        return 0, None
    large = [i for i, sizes in enumerate(touched) if max(sizes) > LARGE_SAMPLE_BYTES]
    if not large or large[-1] == 0:  # one step alone gains nothing from blocks, and its output would be copied
        return 0, None
    return large[-1] + 1, max(max(sizes) for sizes in touched[: large[-1] + 1])
