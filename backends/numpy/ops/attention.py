"""Keras's dense attention as batched matrix products: scores, masked softmax, weighted sum of the values."""
import numpy as np

from .activations import softmax

MASKED = 1e9  # Keras subtracts 1e9 from a hidden step's score (65504, float16's largest, in float16)


def dot_scores(query, key):
    """(batch, Tq, dim) @ (batch, dim, Tv): each query step against each key step."""
    return np.matmul(query, np.swapaxes(key, -2, -1))


def tanh_sums(query, key, inner=None, outer=None):
    """Σ over features of tanh(inner × (query + key)), each feature weighed by `outer` if given: (batch, Tq, Tv).
    Attention's concat scale is the scalar inner one, AdditiveAttention's the per-feature outer one."""
    pairs = query[:, :, None, :] + key[:, None, :, :]  # (batch, Tq, Tv, dim)
    summed = np.tanh(pairs if inner is None else inner * pairs)
    return summed.sum(axis=-1) if outer is None else summed @ outer


def score_mask(value_mask, tq: int, tv: int, causal: bool):
    """Keras's _calculate_score_mask: the value mask as (batch, 1, Tv), and-ed with the lower-triangular causal
    mask (1, Tq, Tv) when asked; None when neither hides anything."""
    mask = None if value_mask is None else value_mask[:, None, :]
    if causal:
        lower = np.tril(np.ones((1, tq, tv), bool))
        mask = lower if mask is None else mask & lower
    return mask


def apply_scores(scores, value, mask, query_mask):
    """softmax(scores, hidden ones − 1e9) @ value; rows the query mask hides are 0. Returns output and weights."""
    if mask is not None:
        scores = np.where(mask, scores, scores - scores.dtype.type(MASKED))
    weights = softmax(scores, axis=-1)
    output = np.matmul(weights, value)
    if query_mask is not None:
        output = np.where(query_mask[:, :, None], output, output.dtype.type(0))
    return output, weights
