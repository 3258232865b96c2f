"""Transposed convolution in 1, 2 or 3 spatial dimensions, channels-last, inference forward.

The adjoint of a convolution, computed as such rather than as a convolution over a zero-stuffed input: one matmul
takes every input position to its whole window of filter values, (positions, C) @ (C, taps * F), then a col2im
scatter adds each tap's slice of that product into the output at stride steps (prod(kernel_size) vectorised adds),
and Keras's padding crops the result. The multiply-adds are the input positions × taps × C × F, none wasted.
"""
from __future__ import annotations

import itertools

import numpy as np

from graphspec.layers.arith import conv_transpose_crop, conv_transpose_length, effective_kernel

from .activations import activate_inplace
from .conv import BLOCK_BYTES, float_operands


def conv_transpose(x, kernel, bias=None, strides=None, padding="valid", output_padding=None, dilation=None,
                   activation=None):
    """Keras Conv1DTranspose / Conv2DTranspose / Conv3DTranspose forward.

    x (B, *spatial, C); kernel (*kernel_size, F, C) in Keras layout; bias (F,) or None; strides, dilation and
    output_padding one int per spatial axis (output_padding None: Keras's default for the padding); padding
    "valid" or "same". Returns (B, *out, F) with Keras's output lengths.
    """
    x, kernel = float_operands(x, kernel, "conv transpose", "(*kernel_size, F, C)")
    rank, ksize, (filters, channels), dtype = x.ndim - 2, kernel.shape[:-2], kernel.shape[-2:], x.dtype
    strides, dilation = tuple(strides or (1,) * rank), tuple(dilation or (1,) * rank)
    extra = tuple(output_padding or (None,) * rank)
    axes = list(zip(x.shape[1:-1], ksize, strides, extra, dilation))
    out_shape = tuple(conv_transpose_length(n, k, s, padding, p, d) for n, k, s, p, d in axes)
    if min(out_shape) <= 0:
        raise ValueError(f"conv transpose of {x.shape} with kernel {ksize}, padding {padding!r} and output_padding "
                         f"{output_padding} has no output")
    crops = [conv_transpose_crop(k, s, padding, p, d) for _, k, s, p, d in axes]
    # The full scatter, long enough for the crop window too (valid output_padding reaches past the last tap).
    extents = [max((n - 1) * s + effective_kernel(k, d), c + o) for (n, k, s, _, d), c, o in zip(axes, crops, out_shape)]
    weights = np.ascontiguousarray(kernel.reshape(-1, channels).T)  # (C, taps * F), tap-major then filter
    image_bytes = (np.prod(x.shape[1:-1]) * weights.shape[1] + np.prod(extents) * filters) * x.itemsize
    images = int(max(1, min(x.shape[0], BLOCK_BYTES // image_bytes)))
    full = np.empty((images, *extents, filters), dtype)
    out = np.empty((x.shape[0], *out_shape, filters), dtype)
    crop = tuple(slice(c, c + o) for c, o in zip(crops, out_shape))
    for b0 in range(0, x.shape[0], images):
        b1 = min(b0 + images, x.shape[0])
        columns = np.matmul(x[b0:b1].reshape(-1, channels), weights).reshape(b1 - b0, *x.shape[1:-1], *ksize, filters)
        _scatter(columns, strides, dilation, full[: b1 - b0])
        target = out[b0:b1]
        np.copyto(target, full[(slice(0, b1 - b0), *crop)])
        if bias is not None:
            target += np.asarray(bias, dtype)
        activate_inplace(target, activation)
    return out


def _scatter(columns, strides, dilation, full):
    """col2im: full = 0, then for each tap, full[tap * dilation + stride * position] += columns[position, tap]."""
    rank = len(strides)
    spatial, ksize = columns.shape[1:rank + 1], columns.shape[rank + 1:-1]
    full.fill(0)
    for tap in itertools.product(*map(range, ksize)):
        where = tuple(slice(t * d, t * d + (n - 1) * s + 1, s) for t, d, n, s in zip(tap, dilation, spatial, strides))
        full[(slice(None), *where)] += columns[(slice(None),) * (rank + 1) + tap]
