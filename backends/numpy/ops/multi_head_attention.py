"""Keras's multi-head attention as batched matrix products: per-head projections, a masked softmax over the
attention axes, the weighted sum and the output projection. No loop over the batch or the heads."""
from __future__ import annotations

import math
from functools import reduce

import numpy as np

from .activations import softmax
from .attention import MASKED


def project(x, kernel, bias, bound: int = 1):
    """x's last `bound` axes contracted with kernel's first (one BLAS product): EinsumDense 'abc,cde->abde'."""
    out = np.tensordot(x, kernel, axes=bound)
    return out if bias is None else out + bias


def attention_mask(query_mask, value_mask, key_mask, causal: bool, window: int | None, steps: tuple[int, int]):
    """Keras's _compute_attention_mask: the query's (batch, T, 1), the value's and key's (batch, 1, S), the causal
    (1, T, S) and the sliding-window band, and-ed; T and S are axis 1 of the query and the value. None if none."""
    parts = [*([query_mask[..., None]] if query_mask is not None else []),
             *(np.expand_dims(m, -2) for m in (value_mask, key_mask) if m is not None)]
    rows, cols = np.arange(steps[0])[:, None], np.arange(steps[1])[None, :]
    parts += [(rows >= cols)[None]] if causal else []
    parts += [(np.abs(rows - cols) < window)[None]] if window else []
    return reduce(np.logical_and, [np.asarray(p, bool) for p in parts]) if parts else None


def attend(query, key, value, axes: tuple[int, ...], mask, zero_hidden: bool):
    """Projected query (batch, ..., heads, key_dim), key and value alike; `axes` the attention axes. Returns the
    weighted sum in the query's layout and the scores (batch, other axes, heads, query's axes, key's axes).
    zero_hidden: Keras's softmax path, which zeroes hidden weights (a fully hidden row gives 0); its fused
    dot_product_attention (rank-3 inputs, no dropout, no scores asked) leaves such a row uniform."""
    rank = query.ndim
    lead_axes = [a for a in range(rank - 1) if a not in axes]  # the batch, the other axes and the heads
    order = [*lead_axes, *axes, rank - 1]
    q, k, v = (t.transpose(order) for t in (query * query.dtype.type(1 / math.sqrt(query.shape[-1])), key, value))
    lead, q_axes, k_axes = q.shape[:len(lead_axes)], q.shape[len(lead_axes):-1], k.shape[len(lead_axes):-1]
    flat = lambda t, steps: t.reshape(*lead, math.prod(steps), t.shape[-1])  # noqa: E731
    scores = np.matmul(flat(q, q_axes), np.swapaxes(flat(k, k_axes), -1, -2))
    hidden = None if mask is None else ~_spread(mask, len(axes), (*lead, *q_axes, *k_axes)).reshape(scores.shape)
    if hidden is not None:
        scores[hidden] = -MASKED
    weights = softmax(scores, out=scores)
    if hidden is not None and zero_hidden:
        weights[hidden] = 0
    summed = np.matmul(weights, flat(v, k_axes)).reshape(*lead, *q_axes, v.shape[-1])
    return summed.transpose(np.argsort(order)), weights.reshape(*lead, *q_axes, *k_axes)


def _spread(mask, n_axes: int, shape):
    """Keras's _masked_softmax: the mask gains axes before its last 2 × n_axes until it has the scores' rank."""
    while mask.ndim < len(shape):
        mask = np.expand_dims(mask, -2 * n_axes - 1)
    return np.broadcast_to(mask, shape)
