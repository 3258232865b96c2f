"""Image resizing as keras.ops.image.resize computes it on JAX (jax.image.resize), channels-last.

Half-pixel centres: output pixel i samples the input at (i + 0.5) * in / out - 0.5. Nearest takes the pixel at
floor((i + 0.5) * in / out), in float32 as JAX does. The other methods weigh the input pixels near each sample
with a kernel (triangle for bilinear, Keys cubic with a = -0.5, Lanczos 3 or 5), widened by in / out when
downsizing with antialias; weights falling outside the image are dropped and the rest renormalised, so edges
are not darkened. An axis whose size does not change is left as it is (JAX does not resample it).

Each axis is resampled on its own. Its weights, a few taps per output pixel, are worked out once per
(sizes, method) and cached: an axis costs one gather and one multiply-add per tap.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from graphspec.layers.fixed_tables import RESIZE_KERNELS, RESIZE_METHODS, nearest_indices, weight_matrix


KERNELS, METHODS = RESIZE_KERNELS, RESIZE_METHODS


def resize(x, size, method="bilinear", antialias=False):
    """keras.ops.image.resize of x (B, H, W, C) to size (height, width); float input keeps its dtype."""
    if method not in METHODS:
        raise ValueError(f"resize method must be one of {', '.join(METHODS)}, got {method!r}")
    if method != "nearest" and x.dtype.kind != "f":
        x = x.astype(np.float32)
    for axis, length in zip((1, 2), size):
        x = resample_axis(x, axis, length, method, antialias)
    return x


def resample_axis(x, axis, length, method, antialias=False):
    """x resampled to `length` elements along `axis`."""
    if x.shape[axis] == length:
        return x
    if method == "nearest":
        return np.take(x, nearest_indices(x.shape[axis], length), axis=axis)
    index, weight = taps(x.shape[axis], length, method, antialias)
    weight = weight.astype(x.dtype).reshape(length, index.shape[1], *(1,) * (x.ndim - axis - 1))
    out = np.take(x, index[:, 0], axis=axis) * weight[:, 0]
    for tap in range(1, index.shape[1]):
        out += np.take(x, index[:, tap], axis=axis) * weight[:, tap]
    return out


@lru_cache(maxsize=64)
def taps(size, length, method, antialias=False):
    """(index, weight), each (length, taps): the input pixels each output pixel reads (a run from the first one
    with weight), and their weights; taps beyond the image have weight 0."""
    matrix = weight_matrix(size, length, method, antialias)
    nonzero = matrix != 0
    first = np.argmax(nonzero, axis=0)
    last = size - 1 - np.argmax(nonzero[::-1], axis=0)
    count = int(max(1, (last - first + 1).max()))
    index = first[:, None] + np.arange(count)
    inside = index < size
    index = np.minimum(index, size - 1)
    weight = np.where(inside, matrix[index, np.arange(length)[:, None]], 0.0)
    index.setflags(write=False)
    weight.setflags(write=False)
    return index, weight


def resize_gradient(dy, size, method="bilinear", antialias=False):
    """d x of resize(x, (height, width)) = y, for dy (B, height, width, C) and x's spatial size `size`: each
    resampled axis's weight matrix applied back (resize is linear in x; nearest's matrix is 1 where it picks)."""
    for axis, length in zip((2, 1), size[::-1]):
        if dy.shape[axis] != length:
            matrix = _axis_matrix(length, dy.shape[axis], method, antialias).astype(dy.dtype)
            dy = np.moveaxis(np.moveaxis(dy, axis, -1) @ matrix.T, -1, axis)
    return dy


def _axis_matrix(size, length, method, antialias):
    """(size, length): how much input pixel j gives output pixel i along one axis, as resample_axis computes it."""
    if method != "nearest":
        return weight_matrix(size, length, method, antialias)
    matrix = np.zeros((size, length))
    matrix[nearest_indices(size, length), np.arange(length)] = 1
    return matrix
