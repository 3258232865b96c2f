"""Transposed convolution in 1, 2 or 3 spatial dimensions, channels-last, inference forward.

The adjoint of a convolution, computed as such rather than as a convolution over a zero-stuffed input: one matmul
takes every input position to its whole window of filter values (per tap, (positions, C) @ (C, F), one batched
matmul), then a col2im scatter adds each tap's product into the output at stride steps (prod(kernel_size)
vectorised adds, into a phase-major buffer so that each add runs along whole rows), and Keras's padding crops it. The multiply-adds are the input positions × taps × C × F, none wasted.
"""
from __future__ import annotations

import itertools

import numpy as np

from graphspec.layers.arith import conv_transpose_crop, conv_transpose_length

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
    # Output position p = stride * i + tap * dilation - crop of input i. Held phase-major, p = stride * q + r as
    # [r][q], every tap adds into one phase at consecutive q: whole rows, as fast as a contiguous add.
    rows = [-(-o // s) for o, s in zip(out_shape, strides)]
    weights = np.ascontiguousarray(kernel.reshape(-1, filters, channels).transpose(0, 2, 1))  # (taps, C, F)
    positions = int(np.prod(x.shape[1:-1]))
    image_bytes = (positions * len(weights) + np.prod(strides) * np.prod(rows)) * filters * x.itemsize
    images = int(max(1, min(x.shape[0], BLOCK_BYTES // image_bytes)))
    phases = np.empty((images, *strides, *rows, filters), dtype)
    product = np.empty((len(weights), images * positions, filters), dtype)  # per tap, reused: no page faults
    out = np.empty((x.shape[0], *out_shape, filters), dtype)
    taps = [_tap_place(tap, x.shape[1:-1], strides, dilation, crops, rows) for tap in itertools.product(*map(range, ksize))]
    natural = (0, *(a for axis in range(rank) for a in (1 + rank + axis, 1 + axis)), 1 + 2 * rank)
    for b0 in range(0, x.shape[0], images):
        b1 = min(b0 + images, x.shape[0])
        block = x[b0:b1].reshape(1, -1, channels)
        columns = np.matmul(block, weights, out=product[:, : block.shape[1]])  # (taps, positions, F)
        _scatter(columns.reshape(len(weights), b1 - b0, *x.shape[1:-1], filters), taps, phases[: b1 - b0])
        interleaved = phases[: b1 - b0].transpose(natural).reshape(b1 - b0, *(q * s for q, s in zip(rows, strides)), filters)
        target = out[b0:b1]
        np.copyto(target, interleaved[(slice(None), *(slice(0, o) for o in out_shape))])
        if bias is not None:
            target += np.asarray(bias, dtype)
        activate_inplace(target, activation)
    return out


def _tap_place(tap, spatial, strides, dilation, crops, rows):
    """(input slices, phase, output-row slices) of one tap: the inputs whose position falls inside the output."""
    inputs, phase, targets = [], [], []
    for t, n, s, d, c, q in zip(tap, spatial, strides, dilation, crops, rows):
        shift, r = divmod(t * d - c, s)  # p = s * (i + shift) + r
        first, last = max(0, -shift), min(n, q - shift)
        inputs.append(slice(first, max(first, last)))
        phase.append(r)
        targets.append(slice(first + shift, max(first, last) + shift))
    return tuple(inputs), tuple(phase), tuple(targets)


def _scatter(columns, taps, phases):
    """col2im: phases = 0, then each tap's products added at its phase and rows (a tap may miss the output)."""
    phases.fill(0)
    for number, (inputs, phase, targets) in enumerate(taps):
        phases[(slice(None), *phase, *targets)] += columns[(number, slice(None), *inputs)]
