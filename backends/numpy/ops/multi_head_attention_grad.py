"""MultiHeadAttention for training: ops/multi_head_attention's attend and project with their backward."""
from __future__ import annotations

import math

import numpy as np

from .activations import softmax
from .attention import MASKED
from .attention_grad import softmax_backward
from .multi_head_attention import _spread


def project_backward(x, kernel, d_out, bound: int = 1):
    """Of project (x's last `bound` axes against kernel's first): (d x, d kernel, d bias)."""
    lead = x.ndim - bound
    d_kernel = np.tensordot(x, d_out, axes=(list(range(lead)), list(range(lead))))
    d_x = np.tensordot(d_out, kernel, axes=(list(range(lead, d_out.ndim)), list(range(bound, kernel.ndim))))
    return d_x, d_kernel, d_out.sum(axis=tuple(range(lead)))


def attend_with_backward(query, key, value, axes, mask, zero_hidden: bool, rng=None, rate=0.0):
    """attend's (summed, scores), dropout at `rate` (from `rng`) applied to the weights the values are summed with (the scores returned are before it, as Keras returns them), and backward(d summed, d scores)
    -> (d query, d key, d value). Hidden scores are a constant -1e9, so they get no gradient."""
    rank = query.ndim
    lead_axes = [a for a in range(rank - 1) if a not in axes]
    order = [*lead_axes, *axes, rank - 1]
    scale = query.dtype.type(1 / math.sqrt(query.shape[-1]))
    q, k, v = (t.transpose(order) for t in (query * scale, key, value))
    lead, q_axes, k_axes = q.shape[:len(lead_axes)], q.shape[len(lead_axes):-1], k.shape[len(lead_axes):-1]
    flat = lambda t, steps: t.reshape(*lead, math.prod(steps), t.shape[-1])  # noqa: E731
    q, k, v = flat(q, q_axes), flat(k, k_axes), flat(v, k_axes)
    scores = np.matmul(q, np.swapaxes(k, -1, -2))
    hidden = None if mask is None else ~_spread(mask, len(axes), (*lead, *q_axes, *k_axes)).reshape(scores.shape)
    if hidden is not None:
        scores[hidden] = -MASKED
    probabilities = softmax(scores)
    weights = probabilities if hidden is None or not zero_hidden else np.where(hidden, 0, probabilities)
    keep = None if not rate else (rng.random(weights.shape) >= rate) / (1 - rate)
    summed_with = weights if keep is None else weights * keep
    summed = np.matmul(summed_with, v)

    def unflat(t, steps):
        return t.reshape(*lead, *steps, t.shape[-1]).transpose(np.argsort(order))

    def backward(d_summed, d_scores=None):
        d_summed = flat(d_summed.transpose(order), q_axes)
        d_weights = np.matmul(d_summed, np.swapaxes(v, -1, -2))
        d_weights = d_weights if keep is None else d_weights * keep
        d_weights = d_weights if d_scores is None else d_weights + d_scores.reshape(weights.shape)
        if hidden is not None and zero_hidden:
            d_weights = np.where(hidden, 0, d_weights)
        d_logits = softmax_backward(probabilities, d_weights)
        if hidden is not None:
            d_logits[hidden] = 0
        d_q = np.matmul(d_logits, k) * scale
        d_k = np.matmul(np.swapaxes(d_logits, -1, -2), q)
        d_v = np.matmul(np.swapaxes(summed_with, -1, -2), d_summed)
        return unflat(d_q, q_axes), unflat(d_k, k_axes), unflat(d_v, k_axes)
    return (unflat(summed, q_axes), weights.reshape(*lead, *q_axes, *k_axes)), backward
