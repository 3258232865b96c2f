"""A model's floor on this machine: its matrix products and embedding gathers alone, each timed bare on NumPy.

An im2col forward cannot run faster than the BLAS calls it makes, nor an embedding faster than `np.take` of
its ids, so the floor says how much of a model's time is overhead (patch copies, pooling, activations,
Python) and how far a ratio between two models can go on this machine: the DecomposeMe CNN's narrower
products (K = 3·64, N = 32 and K = 3·32, N = 64) run at a lower rate than the full 3×3 conv's (K = 9·64).
"""
from __future__ import annotations

import math

import numpy as np

import attention_floor
from bench_tools import race
from graphspec_backends.numpy.ops.conv import BLOCK_BYTES


def products(graph) -> list[tuple[str, int, int, int]]:
    """(layer, rows per sample, K, N) of each matrix product of an im2col forward: one per kernel weight."""
    found = []
    for name, info in graph.nodes.items():
        kernels = [shape for weight, shape in info.weights.items()
                   if weight.endswith("kernel") and not weight.startswith("recurrent")]
        if not kernels or info.layer is None:
            continue
        if info.layer.kind == "MultiHeadAttention":  # projections of three inputs, then of the heads
            found += attention_floor.projections(graph, name)
            continue
        input_shape = graph[info.sources[0]].output.shape
        stage_outputs = _stage_outputs(info, input_shape, len(kernels))
        for shape, out in zip(kernels, stage_outputs):
            found.append((name, math.prod(d for d in out[1:-1]), math.prod(shape[:-1]), shape[-1]))
    return found


def _stage_outputs(info, input_shape, stages):
    """The output shape of each stage: a DecomposedConv2D's intermediate maps, then its output."""
    if stages == 2 and hasattr(info.layer, "intermediate_shape"):
        return [info.layer.intermediate_shape(input_shape), info.output.shape]
    if stages != 1:
        raise ValueError(f"{info.layer.kind}: {stages} kernels, no rule for their stages")
    return [info.output.shape]


def gathers(graph) -> list[tuple[str, int, tuple[int, int]]]:
    """(layer, ids per sample, table shape) of each embedding lookup."""
    return [(name, math.prod(graph[info.sources[0]].output.shape[1:]), info.weights["embeddings"])
            for name, info in graph.nodes.items()
            if "embeddings" in info.weights and info.layer.kind == "Embedding"]  # a position table is not gathered


def floor_seconds(graph, batch: int, repeat: int) -> dict[str, float]:
    """Seconds of each product and gather of `graph` at `batch`, by layer (summed over its stages). A product is
    timed on blocks of rows that fit the conv's block budget, as the backend runs it, and scaled to the batch."""
    unknown = [name for name, info in graph.nodes.items() if info.output and None in info.output.shape[1:]]
    if unknown:
        raise ValueError(f"{graph.name}: the floor needs every size known, and {unknown[0]} has a variable one")
    rng, seconds = np.random.default_rng(0), {}
    for name, rows, k, n in products(graph):
        total = rows * batch
        block = min(total, max(rows, BLOCK_BYTES // ((k + n) * 4)))
        a, w = rng.standard_normal((block, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32)
        out = np.empty((block, n), np.float32)
        best = race({name: lambda: np.matmul(a, w, out=out)}, repeat)[name]
        seconds[name] = seconds.get(name, 0.0) + best * total / block
    for name, ids, table_shape in gathers(graph):
        table = rng.standard_normal(table_shape, dtype=np.float32)
        flat = rng.integers(0, table_shape[0], ids * batch).astype(np.intp)
        seconds[name] = seconds.get(name, 0.0) + race({name: lambda: np.take(table, flat, axis=0)}, repeat)[name]
    for name, extra in attention_floor.batched_seconds(graph, batch, repeat).items():
        seconds[name] = seconds.get(name, 0.0) + extra
    return seconds
