"""How Keras weighs a batch's positions: by the output's mask (a mask_zero sequence output) and the sample weights
(sample_weights.py), in the loss (Keras's reduce_weighted_values) and in a metric's running mean (Keras's
reduce_to_samplewise_values)."""
from __future__ import annotations

import numpy as np


def spread(sample_weight: np.ndarray, shape: tuple) -> np.ndarray:
    """Weights per sample (or per position) broadcast over a loss's or metric's positions."""
    trailing = (1,) * (len(shape) - sample_weight.ndim)
    return np.broadcast_to(sample_weight.reshape(sample_weight.shape + trailing), shape)


def reduced(values, slope, mask, dtype, sample_weight=None):
    """The loss over positions and its gradient, as Keras's reduce_weighted_values: each position's loss times its
    sample weight, summed, over the count of positions; with the output's mask, Keras 3's apply_mask: the masked
    positions weigh 0 and the count is of the unmasked ones (0 when none is)."""
    if mask is None and sample_weight is None:
        count = max(values.size, 1)
        return float(values.sum() / count), (slope / count).astype(dtype)
    weight = np.ones(values.shape) if sample_weight is None else spread(sample_weight, values.shape)
    if mask is None:
        weight = weight / max(values.size, 1)
    else:
        valid = int(np.count_nonzero(mask))
        weight = np.where(mask, weight / valid if valid else 0.0, 0.0)
    return float((values * weight).sum()), (slope * weight[..., None]).astype(dtype)


def weighed(values: np.ndarray, mask, sample_weight) -> tuple[float, float]:
    """(sum, weight): per sample the mean over its positions; with a mask, the unmasked positions' sum and count.
    With sample weights, Keras's reduce_to_samplewise_values: per sample the means over its positions of value ×
    weight and of weight (a masked position weighs 0)."""
    if sample_weight is None:
        if mask is None:
            return float(values.reshape(len(values), -1).mean(axis=1).sum()), float(len(values))
        return float(np.where(mask, values, 0).sum()), float(np.count_nonzero(mask))
    weight = spread(sample_weight, values.shape)
    if mask is not None:
        weight = np.where(mask, weight, 0.0)
    per_sample = lambda a: a.reshape(len(a), -1).mean(axis=1).sum()  # noqa: E731
    return float(per_sample(values * weight)), float(per_sample(weight))
