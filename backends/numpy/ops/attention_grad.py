"""The backward of dense attention's pieces (ops/attention.py): the softmax, dot scores and tanh sums."""
from __future__ import annotations

import numpy as np


def softmax_backward(weights: np.ndarray, d_weights: np.ndarray) -> np.ndarray:
    """d loss / d scores of softmax over the last axis."""
    return weights * (d_weights - np.sum(d_weights * weights, axis=-1, keepdims=True))


def dot_scores_backward(d_scores, query, key):
    """Of query @ keyᵀ: (d query, d key)."""
    return d_scores @ key, np.swapaxes(d_scores, -2, -1) @ query


def tanh_sums_with_backward(query, key, inner=None, outer=None):
    """ops/attention.tanh_sums and its backward, d sums -> (d query, d key, d inner, d outer) (None for a weight
    not given)."""
    pairs = query[:, :, None, :] + key[:, None, :, :]  # (batch, Tq, Tv, dim)
    tanh = np.tanh(pairs if inner is None else inner * pairs)
    sums = tanh.sum(axis=-1) if outer is None else tanh @ outer

    def backward(d_sums):
        d_outer = None if outer is None else np.einsum("bqv,bqvd->d", d_sums, tanh)
        d_inside = (d_sums[..., None] if outer is None else d_sums[..., None] * outer) * (1 - tanh * tanh)
        d_inner = None if inner is None else np.sum(d_inside * pairs).reshape(np.shape(inner))
        d_pairs = d_inside if inner is None else d_inside * inner
        return d_pairs.sum(axis=2), d_pairs.sum(axis=1), d_inner, d_outer
    return sums, backward
