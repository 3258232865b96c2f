"""Image preprocessing at inference: the central crop, and Keras's smart_resize with its bilinear resize."""
from __future__ import annotations

import numpy as np


def center_crop(x, height: int, width: int):
    """keras.layers.CenterCrop on (batch, height, width, channels): the central window, or smart_resize when the
    image is smaller than it on either side."""
    h, w = x.shape[1:3]
    if h < height or w < width:
        return smart_resize(x, height, width)
    top, left = (h - height) // 2, (w - width) // 2
    return x[:, top:top + height, left:left + width]


def smart_resize(x, height: int, width: int):
    """keras.utils.smart_resize: the largest central crop with the target's aspect ratio, resized bilinear."""
    h, w = x.shape[1:3]
    crop_h = max(min(h, int(w * height / width)), 1)
    crop_w = max(min(w, int(h * width / height)), 1)
    top, left = int((h - crop_h) / 2), int((w - crop_w) / 2)
    return resize_bilinear(x[:, top:top + crop_h, left:left + crop_w], height, width)


def resize_bilinear(x, height: int, width: int):
    """Bilinear resize of (batch, height, width, channels) with half-pixel centres and no antialiasing, as
    jax.image.resize (Keras's JAX backend) computes it: one interpolation matrix per axis."""
    rows = _linear_weights(x.shape[1], height).astype(x.dtype)
    cols = _linear_weights(x.shape[2], width).astype(x.dtype)
    return np.einsum("oh,bhwc,pw->bopc", rows, x, cols, optimize=True)


def _linear_weights(size: int, out: int) -> np.ndarray:
    """(out, size): each output position's weights over the input positions, a triangle of width 1 around its
    sample point, renormalised where the triangle leaves the image (which holds the edge value)."""
    sample = (np.arange(out) + 0.5) * (size / out) - 0.5
    weights = np.maximum(0.0, 1 - np.abs(sample[:, None] - np.arange(size)[None, :]))
    total = weights.sum(axis=1, keepdims=True)
    return np.where(total > 0, weights / np.where(total == 0, 1, total), 0.0)
