"""Keras's running means of the logs (its Mean metrics): per name a sum and a weight, added batch by batch.

The loss weighs each batch by its sample count (Keras's loss tracker). A metric weighs each sample, or, when the
output carries a mask (Embedding mask_zero through return_sequences), each unmasked position, as Keras 3's
MeanMetricWrapper applies the mask: an epoch's accuracy over padded sequences is the share of right steps among
all real ones, not a mean of per-batch shares, and padded steps never count.
"""
from __future__ import annotations

import numpy as np


class Tally:
    def __init__(self):
        self.sums: dict[str, float] = {}
        self.weights: dict[str, float] = {}

    def add(self, name: str, total: float, weight: float) -> None:
        self.sums[name] = self.sums.get(name, 0.0) + total
        self.weights[name] = self.weights.get(name, 0.0) + weight

    def merge(self, other: "Tally") -> None:
        for name, total in other.sums.items():
            self.add(name, total, other.weights[name])

    def means(self) -> dict[str, float]:
        """Keras's divide_no_nan: 0 where nothing was weighed (every position masked)."""
        return {name: self.sums[name] / weight if weight else 0.0 for name, weight in self.weights.items()}


def batch_tally(loss: float, metrics, labels, prediction, mask) -> Tally:
    tally, count = Tally(), labels.shape[0]
    tally.add("loss", loss * count, count)
    for metric in metrics:
        tally.add(metric.name, *_weighed(metric.values(labels, prediction), mask))
    return tally


def _weighed(values: np.ndarray, mask) -> tuple[float, float]:
    """(sum, weight): per sample the mean over its positions; with a mask, the unmasked positions' sum and count."""
    if mask is None:
        return float(values.reshape(len(values), -1).mean(axis=1).sum()), float(len(values))
    return float(np.where(mask, values, 0).sum()), float(np.count_nonzero(mask))
