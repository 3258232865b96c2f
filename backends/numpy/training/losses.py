"""Keras 3's losses, each returning the mean loss over the batch and its gradient in y_pred.

Reduction is Keras's "sum_over_batch_size": each sample's loss (the mean or sum over its last axis, as the Keras
function takes it), then the mean over every remaining position. Math in float64; the gradient in y_pred's dtype.
"""
from __future__ import annotations

import numpy as np

from .registry import LOSSES
from .weighing import reduced

EPSILON = 1e-7  # keras.config.epsilon(), which the probability losses clip to


def same_rank(y_true, y_pred):
    """keras's squeeze_or_expand_to_same_rank: labels (B,) beside predictions (B, 1) get the last axis, and back."""
    if y_true.ndim == y_pred.ndim - 1:
        return y_true[..., None]
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        return y_true[..., 0]
    return y_true


class Loss:
    """values(y_true, y_pred) -> per-position losses and their derivative in y_pred (both float64)."""

    def __call__(self, y_true, y_pred, mask=None, sample_weight=None):
        values, slope = self.values(self.labels(y_true, y_pred), y_pred.astype(np.float64))
        return reduced(values, slope, mask, y_pred.dtype, sample_weight)

    def labels(self, y_true, y_pred):
        return same_rank(np.asarray(y_true), y_pred).astype(np.float64)


class MeanOverLast(Loss):
    """Losses that Keras averages over the last axis (mean_squared_error and its kin)."""

    def values(self, y_true, y_pred):
        values, slope = self.elementwise(y_true, y_pred)
        n = y_pred.shape[-1] if y_pred.ndim else 1
        return values.mean(axis=-1), slope / n


@LOSSES.register("mean_squared_error", "mse", "MSE")
class MeanSquaredError(MeanOverLast):
    def __init__(self, reduction="sum_over_batch_size", name=None):
        _only_mean(reduction)

    def elementwise(self, t, p):
        return np.square(p - t), 2 * (p - t)


@LOSSES.register("mean_absolute_error", "mae", "MAE")
class MeanAbsoluteError(MeanOverLast):
    def __init__(self, reduction="sum_over_batch_size", name=None):
        _only_mean(reduction)

    def elementwise(self, t, p):
        return np.abs(p - t), np.sign(p - t)


@LOSSES.register("huber", "huber_loss")
class Huber(MeanOverLast):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name=None):
        _only_mean(reduction)
        self.delta = float(delta)

    def elementwise(self, t, p):
        error, d = p - t, self.delta
        small = np.abs(error) <= d
        values = np.where(small, 0.5 * error * error, d * np.abs(error) - 0.5 * d * d)
        return values, np.where(small, error, d * np.sign(error))


@LOSSES.register("binary_crossentropy", "bce")
class BinaryCrossentropy(MeanOverLast):
    """From probabilities, clipped to [1e-7, 1 - 1e-7] as Keras clips them (no gradient where clipped); from logits
    through log-sigmoids, finite for any logit."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name=None):
        _only_mean(reduction)
        self.from_logits, self.label_smoothing = bool(from_logits), float(label_smoothing)

    def elementwise(self, t, p):
        if self.label_smoothing:
            t = t * (1 - self.label_smoothing) + 0.5 * self.label_smoothing
        if self.from_logits:
            values = t * np.logaddexp(0, -p) + (1 - t) * np.logaddexp(0, p)
            return values, _sigmoid(p) - t
        q = np.clip(p, EPSILON, 1 - EPSILON)
        inside = (p > EPSILON) & (p < 1 - EPSILON)
        values = -(t * np.log(q) + (1 - t) * np.log(1 - q))
        return values, np.where(inside, -t / q + (1 - t) / (1 - q), 0.0)


@LOSSES.register("categorical_crossentropy", "cce")
class CategoricalCrossentropy(Loss):
    """From probabilities: Keras divides by their sum, clips to [1e-7, 1 - 1e-7], takes -sum(t log p); from logits:
    -sum(t log_softmax(z)), finite for any logit."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name=None):
        _only_mean(reduction)
        self.from_logits, self.label_smoothing = bool(from_logits), float(label_smoothing)

    def targets(self, y_true, y_pred):
        t = self.labels(y_true, y_pred)
        if self.label_smoothing:
            t = t * (1 - self.label_smoothing) + self.label_smoothing / y_pred.shape[-1]
        return t

    def __call__(self, y_true, y_pred, mask=None, sample_weight=None):
        t, p = self.targets(y_true, y_pred), y_pred.astype(np.float64)
        if self.from_logits:
            shifted = p - p.max(axis=-1, keepdims=True)
            log_prob = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
            values, slope = -(t * log_prob).sum(axis=-1), np.exp(log_prob) * t.sum(axis=-1, keepdims=True) - t
        else:
            total = p.sum(axis=-1, keepdims=True)
            q = p / total
            inside = (q > EPSILON) & (q < 1 - EPSILON)
            clipped = np.clip(q, EPSILON, 1 - EPSILON)
            values = -(t * np.log(clipped)).sum(axis=-1)
            dq = np.where(inside, -t / clipped, 0.0)  # then through q = p / sum(p)
            slope = (dq - (dq * q).sum(axis=-1, keepdims=True)) / total
        return reduced(values, slope, mask, y_pred.dtype, sample_weight)


@LOSSES.register("sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Class ids (B,) or (B, 1) against (B, classes): the categorical loss of their one-hot rows."""

    def __init__(self, from_logits=False, ignore_class=None, axis=-1, reduction="sum_over_batch_size", name=None):
        super().__init__(from_logits, 0.0, axis, reduction, name)
        if ignore_class is not None:
            raise ValueError("ignore_class is not supported yet")

    def targets(self, y_true, y_pred):
        ids = np.asarray(y_true)
        if ids.ndim == y_pred.ndim and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return np.eye(y_pred.shape[-1])[ids.astype(np.intp)]


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _only_mean(reduction):
    if reduction != "sum_over_batch_size":
        raise ValueError(f"reduction {reduction!r} is not supported: graphspec averages over the batch, as Keras's "
                         "default 'sum_over_batch_size' does")
