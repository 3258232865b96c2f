"""Batch and layer normalization over the last axis, inference forward."""
from __future__ import annotations

import numpy as np


def batch_norm(x, gamma, beta, moving_mean, moving_variance, epsilon=1e-3):
    """keras.layers.BatchNormalization at inference (axis=-1), with the moving statistics.

    gamma is None when scale=False and beta None when center=False.
    """
    x = _as_float(x)
    # Fold the four vectors into one scale and shift (in float64: they are tiny), so the array
    # itself is touched twice, once by the multiply and once, in place, by the add.
    scale = 1 / np.sqrt(np.asarray(moving_variance, np.float64) + epsilon)
    if gamma is not None:
        scale = scale * gamma
    shift = -np.asarray(moving_mean, np.float64) * scale
    if beta is not None:
        shift = shift + beta
    result = np.multiply(x, scale.astype(x.dtype))
    result += shift.astype(x.dtype)
    return result


def layer_norm(x, gamma, beta, epsilon=1e-3):
    """keras.layers.LayerNormalization over the last axis; gamma / beta may be None."""
    x = _as_float(x)
    centered = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(np.square(centered), axis=-1, keepdims=True)
    centered *= 1 / np.sqrt(variance + epsilon)
    if gamma is not None:
        centered *= np.asarray(gamma, x.dtype)
    if beta is not None:
        centered += np.asarray(beta, x.dtype)
    return centered


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float32)
