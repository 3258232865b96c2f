"""keras.ops.image.rgb_to_hsv and hsv_to_rgb (dm_pix's formulas, channels-last), each with its vector-Jacobian
product, for the hue and saturation layers' backward.

rgb_to_hsv: v = the largest channel (red, then green, on ties, as Keras's where chain picks), s = (v − min) / v,
h = (the next channel − the one after, cyclically from v's) / (6 (v − min)) + v's channel / 3, taken mod 1.
Its gradient is that of those formulas at the pixel's own max and min channels (defined away from ties).
"""
from __future__ import annotations

import numpy as np


def _largest(x):
    """The channel Keras takes as v: red where it is the max, else green where it is, else blue."""
    v = x.max(axis=-1)
    return np.where(x[..., 0] == v, 0, np.where(x[..., 1] == v, 1, 2))


def _one_hot(index, dtype):
    return (index[..., None] == np.arange(3)).astype(dtype)


def rgb_to_hsv(x):
    """(h, s, v), each (..., ) without the channels axis, and the backward mapping (dh, ds, dv) to d x. Values
    within the dtype's eps of 0 count as 0, as Keras sets them."""
    tiny = np.abs(x) < np.finfo(x.dtype).eps
    x = np.where(tiny, 0, x)
    top, bottom = _largest(x), np.argmin(x, axis=-1)
    pick = lambda index: np.take_along_axis(x, index[..., None], -1)[..., 0]  # noqa: E731
    v, m, p, q = pick(top), pick(bottom), pick((top + 1) % 3), pick((top + 2) % 3)
    span = v - m
    moving = span > 0
    safe_span, safe_v = np.where(moving, span, 1), np.where(v > 0, v, 1)
    h = np.where(moving, (p - q) / (6 * safe_span) + top / 3, 0)
    h = (h + (h < 0)).astype(x.dtype)
    s = np.where(v > 0, span / safe_v, 0)

    def backward(dh, ds, dv):
        hot_top, hot_bottom = _one_hot(top, x.dtype), _one_hot(bottom, x.dtype)
        d_span = np.where(moving, -dh * (p - q) / (6 * safe_span ** 2), 0) + np.where(v > 0, ds / safe_v, 0)
        d_v = dv + np.where(v > 0, -ds * span / safe_v ** 2, 0)
        d_pq = np.where(moving, dh / (6 * safe_span), 0)
        dx = ((d_v + d_span)[..., None] * hot_top - d_span[..., None] * hot_bottom
              + d_pq[..., None] * (_one_hot((top + 1) % 3, x.dtype) - _one_hot((top + 2) % 3, x.dtype)))
        return np.where(tiny, 0, dx).astype(x.dtype)
    return (h, s, v), backward


def _ramps(h):
    """dm_pix's per-channel ramps of the hue (each in [0, 1]) and their slopes d ramp / d h."""
    dh = np.mod(h, 1.0) * 6.0
    raw = np.stack([np.abs(dh - 3.0) - 1.0, 2.0 - np.abs(dh - 2.0), 2.0 - np.abs(dh - 4.0)], -1)
    slope = 6 * np.stack([np.sign(dh - 3.0), -np.sign(dh - 2.0), -np.sign(dh - 4.0)], -1)
    return np.clip(raw, 0, 1), np.where((raw > 0) & (raw < 1), slope, 0)


def hsv_to_rgb(h, s, v):
    """The (..., 3) image, and the backward mapping its d output to (dh, ds, dv)."""
    ramp, slope = _ramps(h)
    s_, v_ = s[..., None], v[..., None]
    y = v_ * (1 - s_ + s_ * ramp)

    def backward(dy):
        return ((dy * v_ * s_ * slope).sum(-1), (dy * v_ * (ramp - 1)).sum(-1), (dy * (1 - s_ + s_ * ramp)).sum(-1))
    return y.astype(v.dtype), backward
