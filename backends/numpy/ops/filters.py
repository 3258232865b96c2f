"""Fixed small 2-D filters on every channel alike, zero-padded to keep the size (Keras's depthwise 'same'
convolution and gaussian_blur), and the Gaussian kernel keras.ops.image.gaussian_blur builds. A filter is linear in
the image: its gradient is the same filtering with the kernel turned half a turn (odd kernels, padded evenly)."""
from __future__ import annotations

import numpy as np


def gaussian_kernel(size: tuple[int, int], sigma: tuple[float, float]) -> np.ndarray:
    """keras's _create_gaussian_kernel: outer(g(size[1], sigma[1]), g(size[0], sigma[0])), each 1-D Gaussian
    normalised to sum 1, so size[1] × size[0] (rows × columns)."""
    def one_dimensional(length, s):
        offsets = np.arange(length) - (length - 1) / 2
        weights = np.exp(-0.5 * (offsets / s) ** 2)
        return weights / weights.sum()
    return np.outer(one_dimensional(size[1], sigma[1]), one_dimensional(size[0], sigma[0]))


def same_filter(x, kernel: np.ndarray):
    """Correlation of each channel of x (batch, height, width, channels) with `kernel` (rows × columns, odd),
    zero-padded to x's size: one multiply-add per kernel tap."""
    rows, columns = kernel.shape
    top, left = (rows - 1) // 2, (columns - 1) // 2
    padded = np.pad(x, ((0, 0), (top, rows - 1 - top), (left, columns - 1 - left), (0, 0)))
    height, width = x.shape[1:3]
    out = np.zeros_like(x)
    for i, j in np.ndindex(rows, columns):
        out += kernel[i, j].astype(x.dtype) * padded[:, i:i + height, j:j + width]
    return out


def same_filter_gradient(dy, kernel: np.ndarray):
    """d x of same_filter(x, kernel) for d output dy."""
    return same_filter(dy, kernel[::-1, ::-1])
