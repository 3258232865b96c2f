"""Keras 3's metrics as per-position values, averaged over an epoch as Keras's MeanMetricWrapper does.

"accuracy" resolves as Keras's compile_utils.get_metric resolves it, from the shapes: a 1-unit output is binary
accuracy (threshold 0.5), labels of lower rank or of last axis 1 beside several classes are sparse categorical
accuracy, else categorical accuracy.
"""
from __future__ import annotations

import numpy as np

from graphspec.diagnostics import RunError

from .losses import same_rank
from .registry import METRICS


class Metric:
    name: str

    def __init__(self, name=None):
        self.name = name or self.name


@METRICS.register("binary_accuracy")
class BinaryAccuracy(Metric):
    name = "binary_accuracy"

    def __init__(self, name=None, threshold=0.5):
        super().__init__(name)
        self.threshold = threshold

    def values(self, y_true, y_pred):
        t = same_rank(np.asarray(y_true), y_pred)  # as Keras: a soft label (0.7) equals neither 0 nor 1
        return ((y_pred > self.threshold).astype(t.dtype) == t).mean(axis=-1)


@METRICS.register("categorical_accuracy")
class CategoricalAccuracy(Metric):
    name = "categorical_accuracy"

    def values(self, y_true, y_pred):
        return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(np.float64)


@METRICS.register("sparse_categorical_accuracy")
class SparseCategoricalAccuracy(Metric):
    name = "sparse_categorical_accuracy"

    def values(self, y_true, y_pred):
        ids = np.asarray(y_true)
        if ids.ndim == y_pred.ndim and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return (ids == np.argmax(y_pred, axis=-1)).astype(np.float64)


@METRICS.register("mean_absolute_error", "mae")
class MeanAbsoluteError(Metric):
    name = "mean_absolute_error"

    def values(self, y_true, y_pred):
        return np.abs(y_pred - same_rank(np.asarray(y_true), y_pred)).mean(axis=-1)


@METRICS.register("mean_squared_error", "mse")
class MeanSquaredError(Metric):
    name = "mean_squared_error"

    def values(self, y_true, y_pred):
        return np.square(y_pred - same_rank(np.asarray(y_true), y_pred)).mean(axis=-1)


def resolve_metric(config, label_shape: tuple, output_shape: tuple) -> Metric:
    """A metric from its name or config; "accuracy"/"acc" as Keras chooses it, and named as the user wrote it."""
    if config in METRICS.also:
        if output_shape[-1] == 1:
            cls = BinaryAccuracy
        elif len(label_shape) < len(output_shape) or label_shape[-1] == 1:
            cls = SparseCategoricalAccuracy
        else:
            cls = CategoricalAccuracy
        return cls(name=config)
    metric = METRICS.resolve(config)
    if isinstance(config, str):
        metric.name = config
    return metric


def resolve_metrics(metrics, weighted_metrics, label_shape: tuple, output_shape: tuple) -> list[tuple[Metric, bool]]:
    """Keras's CompileMetrics: (metric, weighs by sample weight) for the metrics, then the weighted_metrics; a
    weighted one named like an earlier metric is named weighted_<name>."""
    resolved, names = [], set()
    for config, weighs in [(c, False) for c in metrics] + [(c, True) for c in weighted_metrics]:
        metric = resolve_metric(config, label_shape, output_shape)
        if weighs and metric.name in names:
            metric.name = f"weighted_{metric.name}"
        names.add(metric.name)
        resolved.append((metric, weighs))
    return resolved


def checked_metrics(configs, argument: str) -> list:
    """Keras's compile(metrics=...): a list of names or {"type": ...} mappings, each checked when compile_training
    is called rather than at the first step."""
    if configs is None:
        return []
    if not isinstance(configs, (list, tuple)):
        raise RunError(f"{argument} is a list of metric names, e.g. {argument}=['accuracy']; got {configs!r}")
    for config in configs:
        if not isinstance(config, (str, dict)):
            raise RunError(f"{argument}: {config!r} is not a metric; give names such as 'accuracy' or 'mae'")
        if config not in METRICS.also:
            try:
                METRICS.resolve(config)
            except RunError as exc:
                raise RunError(f"{argument}: {exc}") from None
    return list(configs)
