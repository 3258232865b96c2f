"""MultiHeadAttention's matrix products, for the floor (floor.py): four projections, each a 2D product of its
input's positions, and the two batched products per head (scores = query @ keyᵀ, weights @ value)."""
from __future__ import annotations

import math

import numpy as np

from bench_tools import race


def projections(graph, name) -> list[tuple[str, int, int, int]]:
    """(layer, rows per sample, K, N) of the query, key, (gate,) value and output projections."""
    info = graph[name]
    query, value, *key = (graph[s].output.shape for s in info.sources)
    key = key[0] if key else value
    found = []
    for weight, shape in info.weights.items():
        if not weight.endswith("/kernel"):
            continue
        source = {"key": key, "value": value}.get(weight.split("/")[0], query)
        split = 2 if weight.startswith("attention_output") else 1
        found.append((name, math.prod(source[1:-1]), math.prod(shape[:split]), math.prod(shape[split:])))
    return found


def batched(graph, name) -> list[tuple[int, int, int, int]]:
    """(products per sample, M, K, N) of the scores and the weighted sum: one pair per head."""
    info, layer = graph[name], graph[name].layer
    query, value = (graph[s].output.shape for s in info.sources[:2])
    axes = layer.attention_axes_of(len(query))
    count = layer.num_heads * math.prod(query[a] for a in range(1, len(query) - 1) if a not in axes)
    tq, tk = math.prod(query[a] for a in axes), math.prod(value[a] for a in axes)
    return [(count, tq, layer.key_dim, tk), (count, tq, tk, layer.head_value_dim)]


def batched_seconds(graph, batch: int, repeat: int) -> dict[str, float]:
    rng, seconds = np.random.default_rng(0), {}
    for name, info in graph.nodes.items():
        if info.layer is None or info.layer.kind != "MultiHeadAttention":
            continue
        for count, m, k, n in batched(graph, name):
            a = rng.standard_normal((count * batch, m, k), dtype=np.float32)
            b = rng.standard_normal((count * batch, k, n), dtype=np.float32)
            out = np.empty((count * batch, m, n), np.float32)
            seconds[name] = seconds.get(name, 0.0) + race({name: lambda: np.matmul(a, b, out=out)}, repeat)[name]
    return seconds
