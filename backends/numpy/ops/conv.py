"""Convolution in 1, 2 or 3 spatial dimensions, channels-last, inference forward.

im2col in blocks: a few images at a time (or a band of output rows of one large image) are
copied into a reused zero-padded buffer; one copy from a sliding-window view of it fills a reused
patch matrix, and one BLAS call multiplies that by the kernel straight into the output. A block of
a few MB stays in cache from the copies through the matmul and the activation. The patch matrix
carries a column of ones and the weights the bias as their last row, so the GEMM adds the bias.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graphspec.layers.arith import conv_output_length, effective_kernel, same_padding

from .activations import activate_inplace

# Bytes of patch matrix plus output per block. Measured on 2 cores (AMD EPYC, 2 MB L2 each,
# 32 MB L3): 5-8 MB ran 3x3x64->64 fastest, 2.6 MB and 13 MB about 10-20 % slower.
BLOCK_BYTES = 6 << 20
# Below this many channels the patch copy has runs too short to be fast channels-last; a
# tap-major patch matrix (taps * C, positions) is copied along output rows instead (5-7x faster at C=1).
TAP_MAJOR_CHANNELS = 4


def conv(x, kernel, bias=None, strides=None, padding="valid", dilation=None, activation=None, out=None):
    """Keras Conv1D / Conv2D / Conv3D forward.

    x (B, *spatial, C); kernel (*kernel_size, C, F) in Keras layout; bias (F,) or None;
    strides and dilation: one int per spatial axis (default 1); padding "valid" or "same";
    activation: an optional name, applied block by block. Returns (B, *out, F) in x's float dtype,
    written into `out` when given (a C-contiguous array a compiled plan reuses between calls).
    """
    x, kernel = _check(x, kernel)
    rank, filters = x.ndim - 2, kernel.shape[-1]
    strides, dilation = tuple(strides or (1,) * rank), tuple(dilation or (1,) * rank)
    out_shape = _output_shape(x.shape[1:-1], kernel.shape[:-2], strides, padding, dilation)
    out = _output(out, (x.shape[0], *out_shape, filters), x.dtype)
    images, rows = _block_size(x.shape[0], out_shape, (kernel[..., 0].size + 1 + filters) * x.itemsize)
    direct = all(k == 1 for k in kernel.shape[:-2]) and all(s == 1 for s in strides)
    if direct:
        patches, weights = _Direct(x), kernel.reshape(-1, filters)  # the input is the patch matrix
    else:
        patches = _Patches(x, kernel.shape[:-2], strides, dilation, padding, out_shape, images, rows)
        weights = np.concatenate([kernel.reshape(-1, filters), _bias_row(bias, filters, x.dtype)])
    for b0 in range(0, x.shape[0], images):
        for r0 in range(0, out_shape[0], rows):
            b1, r1 = min(b0 + images, x.shape[0]), min(r0 + rows, out_shape[0])
            target = out[b0:b1, r0:r1].reshape(-1, filters)
            np.matmul(patches.block(b0, b1, r0, r1), weights, out=target)
            if direct and bias is not None:
                target += bias
            activate_inplace(target, activation)
    return out


def _output_shape(spatial, ksize, strides, padding, dilation):
    out_shape = tuple(conv_output_length(n, k, s, padding, d) for n, k, s, d in zip(spatial, ksize, strides, dilation))
    if min(out_shape) <= 0:
        raise ValueError(f"conv window {ksize} with dilation {dilation} does not fit input {spatial} with {padding!r} padding")
    return out_shape


def _check(x, kernel):
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    x, kernel = np.ascontiguousarray(x, dtype), np.ascontiguousarray(kernel, dtype)
    if kernel.ndim not in (3, 4, 5) or x.ndim != kernel.ndim:
        raise ValueError(f"conv expects x (B, *spatial, C) and kernel (*kernel_size, C, F) of one rank "
                         f"in 3..5, got x {x.shape} and kernel {kernel.shape}")
    if x.shape[-1] != kernel.shape[-2]:
        raise ValueError(f"conv input has {x.shape[-1]} channels but kernel {kernel.shape} expects {kernel.shape[-2]}")
    return x, kernel


def _output(out, shape, dtype):
    if out is None:
        return np.empty(shape, dtype)
    if out.shape != shape or out.dtype != dtype or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous {dtype} array of shape {shape}, got {out.dtype} {out.shape}")
    return out


def _bias_row(bias, filters, dtype):
    return np.zeros((1, filters), dtype) if bias is None else np.asarray(bias, dtype).reshape(1, filters)


def _block_size(batch, out_shape, position_bytes):
    """(images, output rows) per block so that its patches and output take about BLOCK_BYTES."""
    row_bytes = position_bytes * int(np.prod(out_shape[1:]))
    image_bytes = row_bytes * out_shape[0]
    if image_bytes <= BLOCK_BYTES:
        return max(1, min(batch, BLOCK_BYTES // image_bytes)), out_shape[0]
    return 1, max(1, BLOCK_BYTES // row_bytes)


class _Direct:
    """1x1 kernel with stride 1: a block of the input, viewed as (positions, C)."""

    def __init__(self, x):
        self.x = x

    def block(self, b0, b1, r0, r1):
        return self.x[b0:b1, r0:r1].reshape(-1, self.x.shape[-1])


class _Patches:
    """Reused buffers: the zero-padded input of one block and its patch matrix (with a ones column)."""

    def __init__(self, x, ksize, strides, dilation, padding, out_shape, images, rows):
        spans = [effective_kernel(k, d) for k, d in zip(ksize, dilation)]
        self.pads = [same_padding(n, k, s, d)[0] if padding == "same" else 0
                     for n, k, s, d in zip(x.shape[1:-1], ksize, strides, dilation)]
        # The padded extent the block's windows read: (rows - 1) * stride + span per axis.
        extents = [(n - 1) * s + span for n, s, span in zip((rows, *out_shape[1:]), strides, spans)]
        self.x, self.stride0, self.row_positions = x, strides[0], int(np.prod(out_shape[1:]))
        self.padded = np.zeros((images, *extents, x.shape[-1]), x.dtype)
        windows = _windows(self.padded, spans, strides, dilation)  # (b, *out, *k, C)
        columns = int(np.prod(ksize)) * x.shape[-1]
        positions = images * rows * self.row_positions
        if x.shape[-1] < TAP_MAJOR_CHANNELS:  # (columns + 1, positions): its transpose is BLAS-ready
            self.matrix = np.ones((columns + 1, positions), x.dtype)
            rank = len(ksize)
            self.windows = windows.transpose(*range(rank + 1, 2 * rank + 2), *range(rank + 1))
            self.taps = self.matrix[:columns].reshape(*ksize, x.shape[-1], images, rows, *out_shape[1:])
            self.lead = (slice(None),) * (rank + 1)  # window axes come before (b, rows)
        else:
            self.matrix = np.ones((positions, columns + 1), x.dtype)
            self.windows = windows
            self.taps = self.matrix[:, :columns].reshape(images, rows, *windows.shape[2:])
            self.lead = ()

    def block(self, b0, b1, r0, r1):
        images, rows = b1 - b0, r1 - r0
        self._pad(b0, b1, r0 * self.stride0 - self.pads[0])
        part = self.lead + (slice(0, images), slice(0, rows))
        np.copyto(self.taps[part], self.windows[part])
        # A partial last block uses a prefix of the positions, so the matrix stays one BLAS operand.
        positions = images * rows * self.row_positions
        if self.lead:
            return self.matrix[:, :positions].T
        return self.matrix[:positions]

    def _pad(self, b0, b1, start):
        """Copy input rows start.. of images b0..b1 into the padded buffer; zero what lies outside."""
        padded, x = self.padded[: b1 - b0], self.x
        first, last = max(start, 0), min(start + padded.shape[1], x.shape[1])
        padded[:, : first - start] = 0
        padded[:, max(last - start, 0):] = 0
        inner = [slice(p, p + min(n, e - p)) for p, n, e in zip(self.pads[1:], x.shape[2:-1], padded.shape[2:-1])]
        source = [slice(0, s.stop - s.start) for s in inner]
        if last > first:
            padded[(slice(None), slice(first - start, last - start), *inner)] = x[(slice(b0, b1), slice(first, last), *source)]


def _windows(padded, spans, strides, dilation):
    """View (images, *out, *kernel_size, C) of `padded`: window taps at stride and dilation steps."""
    rank = len(spans)
    view = sliding_window_view(padded, spans, axis=tuple(range(1, rank + 1)))
    view = view[(slice(None), *(slice(None, None, s) for s in strides), slice(None), *(slice(None, None, d) for d in dilation))]
    # sliding_window_view puts the window axes after C; the kernel layout wants them before it.
    return view.transpose(0, *range(1, rank + 1), *range(rank + 2, 2 * rank + 2), rank + 1)
