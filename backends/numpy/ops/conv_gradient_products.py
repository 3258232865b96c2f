"""The conv's gradients as few, large matrix products (conv_gradients.py runs them without groups).

d kernel: the windows of a block of images gathered side by side (im2col, (positions, taps × C), a block of ~2 MB
that stays in cache) and multiplied by the block's d output: one GEMM per block, d output read once. A product per
tap read d output once per tap, as a matrix-vector product where C is 1: for 256 × 64 × 64 × 1 → 3×3×64, 286 ms
against 88 here, and for 256 × 31 × 31 × 64 → 3×3×64, 0.77 of its time (paired, 0.63-0.99).

d input of a stride-1 conv: the full correlation of d output with the kernel flipped, which is the forward conv
(conv.py) of d output padded by the kernel's reach: 324 ms for the second case, against 465 for a product and a
strided add per tap.
"""
from __future__ import annotations

import numpy as np

from .conv import conv

BLOCK_BYTES = 2 << 20  # of gathered windows: 2 MB ran the cases above 10-40 % faster than 6 or 16 MB


def kernel_gradient(padded, kernel_shape, windows, dz):
    """d kernel (*k, C, F) from the padded input (B, *extents, C), each tap's window of it (conv_gradients._taps)
    and dz (B, *out, F), the gradient of the pre-activation output."""
    channels, filters = padded.shape[-1], dz.shape[-1]
    per_image = int(np.prod(dz.shape[1:-1])) * len(windows) * channels * padded.itemsize
    images = max(1, BLOCK_BYTES // max(per_image, 1))
    dkernel = np.zeros((len(windows) * channels, filters), dz.dtype)
    for start in range(0, padded.shape[0], images):
        block = padded[start:start + images]
        columns = np.stack([block[window] for _, window in windows], axis=-2).reshape(-1, dkernel.shape[0])
        dkernel += columns.T @ dz[start:start + images].reshape(-1, filters)
    return dkernel.reshape(kernel_shape)


def input_gradient(kernel, dz, dilation):
    """d padded input (B, *out + reach, C) of a stride-1 conv, the padded extent conv_gradients.conv_pads gives."""
    reach = [(k - 1) * d for k, d in zip(kernel.shape[:-2], dilation)]
    spread = np.pad(dz, [(0, 0), *((r, r) for r in reach), (0, 0)])
    flipped = np.ascontiguousarray(np.flip(kernel, tuple(range(kernel.ndim - 2))).swapaxes(-1, -2))
    return conv(spread, flipped, None, None, "valid", dilation)
