"""Keras's running means of the logs (its Mean metrics): per name a sum and a weight, added batch by batch.

The loss weighs each batch by its sample count (Keras's loss tracker). A metric weighs each sample, or, when the
output carries a mask (Embedding mask_zero through return_sequences), each unmasked position, as Keras 3's
MeanMetricWrapper applies the mask: an epoch's accuracy over padded sequences is the share of right steps among
all real ones, not a mean of per-batch shares, and padded steps never count. A weighted metric weighs each
sample by its sample weight too (weighing.py).
"""
from __future__ import annotations

from .weighing import weighed


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


def batch_tally(loss: float, metrics, labels, prediction, mask, sample_weight=None) -> Tally:
    tally, count = Tally(), labels.shape[0]
    tally.add("loss", loss * count, count)
    for metric, weighs in metrics:  # Keras weighs only its weighted_metrics by the sample weights
        tally.add(metric.name, *weighed(metric.values(labels, prediction), mask, sample_weight if weighs else None))
    return tally
