"""Zero padding, cropping and repeat-upsampling along the spatial axes, in either data_format.

Each works on the axes given, so a channels-first array needs no transpose; crop returns a view of its input.
"""
from __future__ import annotations

import numpy as np


def zero_pad(x, pads, axes):
    """keras.layers.ZeroPadding1D/2D/3D: pads[i] = (before, after) zeros along axes[i]."""
    widths = [(0, 0)] * x.ndim
    for axis, pair in zip(axes, pads):
        widths[axis] = tuple(pair)
    return np.pad(x, widths)


def crop(x, crops, axes):
    """keras.layers.Cropping1D/2D/3D: crops[i] = (before, after) elements cut off axes[i]; a view."""
    index = [slice(None)] * x.ndim
    for axis, (before, after) in zip(axes, crops):
        if before + after >= x.shape[axis]:
            raise ValueError(f"cropping ({before}, {after}) leaves nothing of axis {axis} of size {x.shape[axis]} "
                             f"(input {x.shape})")
        index[axis] = slice(before, x.shape[axis] - after)
    return x[tuple(index)]


def repeat(x, factors, axes):
    """keras.layers.UpSampling1D/2D/3D (nearest): each element repeated factors[i] times along axes[i]."""
    for axis, factor in zip(axes, factors):
        if factor != 1:
            x = np.repeat(x, factor, axis=axis)
    return x


def repeat_gradient(dy, factors, axes):
    """The gradient of repeat: each run of factors[i] elements along axes[i] summed back into one."""
    for axis, factor in zip(axes, factors):
        if factor != 1:
            shape = dy.shape
            dy = dy.reshape(*shape[:axis], shape[axis] // factor, factor, *shape[axis + 1:]).sum(axis=axis + 1)
    return dy
