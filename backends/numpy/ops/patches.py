"""Patch matrices for im2col convolution, built a block at a time into reused buffers.

A block (a few images, or a band of output rows of one) is copied into a zero-padded buffer; one copy
from a sliding-window view of that buffer fills the patch matrix, which carries a column of ones so that
a bias row in the weights adds the bias inside the GEMM. With max pooling fused after the convolution
(`pool`, non-overlapping windows), the rows are grouped by pooling phase: phase (a, b) holds the conv
outputs at (pool * i + a, pool * j + b), so pooling is an elementwise maximum of contiguous row groups,
2-3x faster than the same maximum over strided views of conv outputs in their natural order.
"""
from __future__ import annotations

import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graphspec.layers.arith import effective_kernel

# Below this many channels the patch copy has runs too short to be fast channels-last; a
# tap-major patch matrix (taps * C, positions) is copied along output rows instead (5-7x faster at C=1).
TAP_MAJOR_CHANNELS = 4


class Direct:
    """1x1 kernel with stride 1: a block of the input, viewed as (positions, C)."""

    def __init__(self, x):
        self.x = x

    def block(self, b0, b1, r0, r1):
        return self.x[b0:b1, r0:r1].reshape(-1, self.x.shape[-1])


class Patches:
    """Reused buffers: the zero-padded input of one block and its patch matrix (with a ones column).

    grid: the output positions per spatial axis (pooled positions when pooling is fused); pool: pooling
    window per axis (all 1 without pooling); images and rows: the block's extent along batch and axis 1.
    """

    def __init__(self, x, ksize, strides, dilation, pads, grid, pool, images, rows):
        spans = [effective_kernel(k, d) for k, d in zip(ksize, dilation)]
        self.x, self.pads, self.ksize, self.channels = x, pads, tuple(ksize), x.shape[-1]
        self.step0 = strides[0] * pool[0]  # input rows between two output rows of the block
        self.block_grid = (rows, *grid[1:])
        # The conv outputs a block needs per axis, and the padded extent their windows read.
        conv_grid = [n * p for n, p in zip(self.block_grid, pool)]
        extents = [(n - 1) * s + span for n, s, span in zip(conv_grid, strides, spans)]
        # Without padding, a block of whole images reads its windows from the input itself: no copy to pad.
        self.in_place = rows == grid[0] and not any(pads) and all(e <= n for e, n in zip(extents, x.shape[1:-1]))
        self.source = x if self.in_place else np.zeros((images, *extents, x.shape[-1]), x.dtype)  # padded rows
        windows = _windows(self.source, spans, strides, dilation)  # (images, *conv grid, *kernel, C)
        self.views = [windows[(slice(None), *(slice(a, a + n * p, p) for a, p, n in zip(phase, pool, self.block_grid)))]
                      for phase in itertools.product(*map(range, pool))]
        self.phases, self.columns = len(self.views), int(np.prod(ksize)) * x.shape[-1]
        self.tap_major = x.shape[-1] < TAP_MAJOR_CHANNELS
        positions = self.phases * images * int(np.prod(self.block_grid))
        shape = (self.columns + 1, positions) if self.tap_major else (positions, self.columns + 1)
        self.matrix = np.empty(shape, x.dtype)  # the copies fill all but the ones that multiply the bias row
        (self.matrix[-1] if self.tap_major else self.matrix[:, -1]).fill(1)

    def block(self, b0, b1, r0, r1):
        """The patch matrix (phases * positions, columns + 1) of images b0..b1, output rows r0..r1."""
        images, rows = b1 - b0, r1 - r0
        if not self.in_place:
            self._pad(b0, b1, r0 * self.step0 - self.pads[0])
        part = (slice(b0, b1) if self.in_place else slice(0, images), slice(0, rows))
        grid = (images, rows, *self.block_grid[1:])
        used = self.phases * int(np.prod(grid))  # a partial last block uses a prefix: still one BLAS operand
        rank = len(self.ksize)
        if self.tap_major:  # (columns + 1, positions): its transpose is BLAS-ready
            taps = self.matrix[: self.columns, :used].reshape(*self.ksize, self.channels, self.phases, *grid)
            for phase, view in enumerate(self.views):
                window_first = view[part].transpose(*range(rank + 1, 2 * rank + 2), *range(rank + 1))
                np.copyto(taps[(slice(None),) * (rank + 1) + (phase,)], window_first)
            return self.matrix[:, :used].T
        taps = self.matrix[:used, : self.columns].reshape(self.phases, *grid, *self.ksize, self.channels)
        for phase, view in enumerate(self.views):
            np.copyto(taps[phase], view[part])
        return self.matrix[:used]

    def _pad(self, b0, b1, start):
        """Copy input rows start.. of images b0..b1 into the padded buffer; zero what lies outside."""
        padded, x = self.source[: b1 - b0], self.x
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
