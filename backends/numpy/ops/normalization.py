"""Batch and layer normalization over the last axis, inference forward."""
from __future__ import annotations

import math

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


def group_norm(x, groups, gamma, beta, epsilon=1e-3):
    """keras.layers.GroupNormalization over the last axis (the channels): each sample's `groups` groups of channels
    normalised by their mean and variance over the group's channels and every other axis. gamma / beta may be None."""
    x = _as_float(x)
    batch, channels = x.shape[0], x.shape[-1]
    grouped = x.reshape(batch, math.prod(x.shape[1:-1]), groups, channels // groups)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    variance = np.mean(np.square(grouped - mean), axis=(1, 3), keepdims=True)
    # Keras's order: one scale (1/σ · gamma) and one shift (−mean · scale + beta) per sample and channel.
    scale = 1 / np.sqrt(variance + epsilon)
    if gamma is not None:
        scale = scale * np.asarray(gamma, x.dtype).reshape(groups, channels // groups)
    shift = -mean * scale
    if beta is not None:
        shift = shift + np.asarray(beta, x.dtype).reshape(groups, channels // groups)
    return (grouped * scale + shift).reshape(x.shape)


def unit_norm(x, axes, epsilon=1e-12):
    """keras.layers.UnitNormalization: x · min(1 / √Σx², 1 / epsilon) over `axes`, as keras.ops.normalize does."""
    x = _as_float(x)
    with np.errstate(divide="ignore"):
        inverse = 1 / np.sqrt(np.sum(np.square(x), axis=tuple(axes), keepdims=True))
    return x * np.minimum(inverse, 1 / epsilon).astype(x.dtype)
