"""Keras's sample_weight and class_weight, checked before any step: a weight per sample, or per output position
(a sequence output's steps), which the loss and the weighted metrics weigh each position by (weighing.py)."""
from __future__ import annotations

import numpy as np

from graphspec.diagnostics import RunError


def checked_sample_weight(sample_weight, class_weight, labels: np.ndarray, output_shape: tuple, what: str):
    """float64 weights shaped (samples,) or like the loss's positions, from sample_weight or class_weight; or None."""
    if class_weight is not None:
        if sample_weight is not None:
            raise RunError(f"{what}: give sample_weight or class_weight, not both (class_weight becomes a weight per "
                           "sample: multiply the two yourself and pass sample_weight)")
        return _class_weights(class_weight, labels, output_shape, what)
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight)
    positions = labels.shape[:len(output_shape) - 1]  # the loss's values: the output without its last axis
    if weights.dtype.kind not in "biuf":
        raise RunError(f"{what}: sample_weight has dtype {weights.dtype}; it needs numbers, one per sample")
    if weights.ndim > 1 and weights.shape[-1] == 1 and weights.shape != positions:
        weights = weights[..., 0]
    if weights.shape not in (positions, positions[:1]):
        steps = f" or {positions}, one per output position" if len(positions) > 1 else ""
        raise RunError(f"{what}: sample_weight has shape {weights.shape}; it needs {positions[:1]}, one per "
                       f"sample{steps}")
    return _checked_values(weights.astype(np.float64), what)


def _checked_values(weights: np.ndarray, what: str) -> np.ndarray:
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        position = tuple(int(i) for i in np.argwhere(bad)[0])
        raise RunError(f"{what}: sample_weight holds {weights[position]:g} at position {position}; weights are finite "
                       "numbers of at least 0 (0 leaves a sample out)")
    return weights


def _class_weights(class_weight, labels: np.ndarray, output_shape: tuple, what: str) -> np.ndarray:
    """Keras's class_weight_to_sample_weights: each sample weighs its class's weight, 1 for classes not named."""
    if not isinstance(class_weight, dict):
        raise RunError(f"{what}: class_weight is a dict from class id to weight, e.g. {{0: 1.0, 1: 5.0}}; "
                       f"got {type(class_weight).__name__}")
    classes = output_shape[-1] if output_shape[-1] > 1 else 2
    table = np.ones(classes)
    for key, value in class_weight.items():
        whole = isinstance(key, (int, float, np.number)) and not isinstance(key, bool) and float(key).is_integer()
        if not whole or not 0 <= key < classes:  # 1.0 names class 1, as Keras's class_weight.get(1) finds it
            raise RunError(f"{what}: class_weight names class {key!r}; the output's classes are 0 to {classes - 1}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value) or value < 0:
            raise RunError(f"{what}: class_weight gives class {int(key)} the weight {value!r}; weights are finite "
                           "numbers of at least 0 (0 leaves the class out)")
        table[int(key)] = value
    ids = _classes(labels, output_shape)
    if ids.ndim != 1:
        raise RunError(f"{what}: class_weight weighs whole samples by their class, but each sample has "
                       f"{int(np.prod(ids.shape[1:]))} labels (one per step): pass sample_weight shaped "
                       f"{ids.shape}, one per step, instead")
    known = (ids >= 0) & (ids < classes)  # a label of no class (2.0 beside a sigmoid) weighs 1, as in Keras
    return np.where(known, table[np.where(known, ids, 0).astype(np.intp)], 1.0)


def _classes(labels: np.ndarray, output_shape: tuple) -> np.ndarray:
    """Each label's class as Keras reads it: class ids as they are, one-hot rows by their argmax, a 1-unit output's
    labels rounded."""
    if labels.dtype.kind in "iu":
        return labels
    if output_shape[-1] > 1:
        return np.argmax(labels, axis=-1)
    return np.round(labels[..., 0] if labels.ndim == len(output_shape) else labels)
