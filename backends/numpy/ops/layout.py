"""Keras's data_format for the kernels: where the spatial axes are, and the channels-last view ops compute on.

A channels_first array has its channels axis moved last on the way in (a view) and back to axis 1 on the way out
(one copy, so the next kernel reads contiguous data).
"""
from __future__ import annotations

import numpy as np


def spatial_axes(ndim: int, channels_first: bool) -> range:
    """The spatial axes of a (batch, *spatial, channels) or (batch, channels, *spatial) array."""
    return range(2, ndim) if channels_first else range(1, ndim - 1)


def channels_last(x: np.ndarray, channels_first: bool) -> np.ndarray:
    """(B, C, *spatial) viewed as (B, *spatial, C) when channels_first; x itself otherwise."""
    return np.moveaxis(x, 1, -1) if channels_first else x


def channels_back(y: np.ndarray, channels_first: bool) -> np.ndarray:
    """A channels-last result in the layer's own layout, C-contiguous."""
    return np.ascontiguousarray(np.moveaxis(y, -1, 1)) if channels_first else y
