"""Sampling images at arbitrary points, as keras.ops.image.map_coordinates does (order 0 or 1), with its transpose.

x is (batch, height, width, channels); rows and cols (batch, out_height, out_width) say where each output pixel
reads. Bilinear (order 1) weighs the four pixels around the point; nearest (order 0) takes the one at the rounded
point (half to even, as jnp.round and torch.round do). A point off the image reads the padding Keras pads with:
reflect (d c b a | a b c d | d c b a), mirror (d c b | a b c d | c b a), wrap (a b c d | a b c d), nearest
(the edge pixel) or constant (fill_value).

The output is linear in x for fixed points, so the gradient is the transpose: each output pixel's gradient added
back, by the same weights, to the pixels it read.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ORDERS = {"nearest": 0, "bilinear": 1}


def fold(index, size: int, fill_mode: str):
    """(index folded onto [0, size), where it lies inside the image — None unless fill_mode is constant)."""
    if fill_mode == "nearest":
        return np.clip(index, 0, size - 1), None
    if fill_mode == "wrap":
        return np.mod(index, size), None
    if fill_mode == "reflect":
        folded = np.mod(index, 2 * size)
        return np.where(folded < size, folded, 2 * size - 1 - folded), None
    if fill_mode == "mirror":
        period = max(2 * size - 2, 1)
        folded = np.mod(index, period)
        return np.where(folded < size, folded, period - folded), None
    inside = (index >= 0) & (index < size)
    return np.clip(index, 0, size - 1), inside


@dataclass
class Taps:
    """Per tap: the flat (batch, row, col) index of the pixel read, and its weight (0 for constant's padding); and
    how much of each output pixel is fill_value (constant's padding)."""
    index: list[np.ndarray]
    weight: list[np.ndarray]
    fill: np.ndarray | None


def taps(shape, rows, cols, interpolation: str, fill_mode: str) -> Taps:
    batch, height, width = shape[:3]
    if ORDERS[interpolation] == 0:
        corners = [(np.rint(rows), np.rint(cols), np.ones_like(rows))]
    else:
        top, left = np.floor(rows), np.floor(cols)
        down, right = rows - top, cols - left
        corners = [(top + i, left + j, (down if i else 1 - down) * (right if j else 1 - right))
                   for i in (0, 1) for j in (0, 1)]
    base = np.arange(batch).reshape(-1, 1, 1) * height
    index, weight, fill = [], [], None if fill_mode != "constant" else np.zeros_like(rows)
    for row, col, w in corners:
        row, row_inside = fold(row.astype(np.int64), height, fill_mode)
        col, col_inside = fold(col.astype(np.int64), width, fill_mode)
        if fill is not None:
            fill = fill + np.where(row_inside & col_inside, 0, w)
            w = np.where(row_inside & col_inside, w, 0)
        index.append((base + row) * width + col)
        weight.append(w)
    return Taps(index, weight, fill)


def sample(x, taps: Taps, fill_value: float = 0.0):
    """x (batch, height, width, channels) read at the taps: (batch, out_height, out_width, channels)."""
    flat = x.reshape(-1, x.shape[-1])
    out = sum(flat[i] * w[..., None].astype(x.dtype) for i, w in zip(taps.index, taps.weight))
    if taps.fill is not None and fill_value:
        out = out + (fill_value * taps.fill[..., None]).astype(x.dtype)
    return out


def sample_gradient(dy, taps: Taps, shape):
    """d x of sample(x, taps) for d output dy; x's shape `shape`."""
    dx = np.zeros((int(np.prod(shape[:3])), shape[3]), dy.dtype)
    for i, w in zip(taps.index, taps.weight):
        np.add.at(dx, i, dy * w[..., None].astype(dy.dtype))
    return dx.reshape(shape)
