"""The training-mode normalisations with their backward: standardising over axes (LayerNormalization,
GroupNormalization) and L2 normalising (UnitNormalization, Dot's normalize)."""
from __future__ import annotations

import numpy as np


def standardise(x: np.ndarray, axes: tuple[int, ...], epsilon: float):
    """(x - mean) / sqrt(variance + epsilon) over `axes`: the normalised values and 1 / sigma (kept dims)."""
    centered = x - x.mean(axis=axes, keepdims=True)
    inverse = 1 / np.sqrt(np.mean(np.square(centered), axis=axes, keepdims=True) + epsilon)
    return centered * inverse, inverse


def standardise_backward(d_normalised, normalised, inverse, axes: tuple[int, ...]) -> np.ndarray:
    """d loss / d x from d loss / d normalised: the mean and the variance depend on every x they cover."""
    return inverse * (d_normalised - d_normalised.mean(axis=axes, keepdims=True)
                      - normalised * (d_normalised * normalised).mean(axis=axes, keepdims=True))


def l2_normalize_with_backward(x: np.ndarray, axes: tuple[int, ...], epsilon: float):
    """keras.ops.normalize: x * min(1 / ||x||, 1 / epsilon) over `axes`, and the closure d y -> d x (a clamped,
    near-zero vector is only scaled, so its gradient is the scale)."""
    with np.errstate(divide="ignore"):
        inverse = 1 / np.sqrt(np.sum(np.square(x), axis=axes, keepdims=True))
    unclamped = inverse < 1 / epsilon
    scale = np.where(unclamped, inverse, 1 / epsilon).astype(x.dtype)
    y = x * scale

    def backward(dy: np.ndarray) -> np.ndarray:
        along = np.sum(dy * y, axis=axes, keepdims=True) * unclamped
        return scale * (dy - y * along)
    return y, backward
