"""Constant tables that a layer's fields (and static sizes) fix alone: keras.ops.image.resize's interpolation weights
and keras_hub's sine position table. The NumPy backend computes with them and the ONNX exporter stores them, so both
give the same numbers.

Resizing as jax.image.resize computes it: half-pixel centres, output pixel i samples the input at
(i + 0.5) * in / out - 0.5. Nearest takes the pixel at floor((i + 0.5) * in / out), in float32 as JAX does. The other
methods weigh the input pixels near each sample with a kernel (triangle for bilinear, Keys cubic with a = -0.5,
Lanczos 3 or 5), widened by in / out when downsizing with antialias; weights falling outside the image are dropped and
the rest renormalised, so edges are not darkened.
"""

from functools import lru_cache

import numpy as np


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x):
    inner = ((1.5 * x - 2.5) * x) * x + 1.0
    outer = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, outer, inner))


def _lanczos(radius):
    def kernel(x):
        with np.errstate(invalid="ignore", divide="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x ** 2)
        return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))
    return kernel


RESIZE_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}
RESIZE_METHODS = ("nearest", *RESIZE_KERNELS)


@lru_cache(maxsize=64)
def nearest_indices(size, length):
    position = (np.arange(length, dtype=np.float32) + np.float32(0.5)) * np.float32(size) / np.float32(length)
    index = np.minimum(np.floor(position).astype(np.intp), size - 1)
    index.setflags(write=False)
    return index


def weight_matrix(size, length, method, antialias=False):
    """(size, length): how much input pixel j gives output pixel i, float64 (jax.image's compute_weight_mat)."""
    inverse = size / length
    kernel_scale = max(inverse, 1.0) if antialias else 1.0
    sample = (np.arange(length) + 0.5) * inverse - 0.5
    weights = RESIZE_KERNELS[method](np.abs(sample[None, :] - np.arange(size)[:, None]) / kernel_scale)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, weights / np.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= size - 0.5)
    return np.where(inside[None, :], weights, 0.0)


def sine_positions(steps: int, features: int, max_wavelength: float) -> np.ndarray:
    """keras_hub's SinePositionEncoding table (steps, features), in float32 as keras_hub computes it:
    angle[p, j] = p · (1 / max_wavelength) ** (2 · (j // 2) / features); sin on even j, cos on odd j."""
    j = np.arange(features)
    timescales = np.power(np.float32(1 / max_wavelength), (2 * (j // 2)).astype(np.float32) / np.float32(features))
    angles = np.arange(steps, dtype=np.float32)[:, np.newaxis] * timescales
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))
