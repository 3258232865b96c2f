"""Keras's data_format around a channels-last computation: channels_first arrays have their channels axis moved
last on the way in and back to axis 1 on the way out (one copy each way, as the kernels need contiguous data)."""
from __future__ import annotations

import numpy as np


def channels_last(x: np.ndarray, channels_first: bool) -> np.ndarray:
    """(B, C, *spatial) as (B, *spatial, C) when channels_first; x itself otherwise."""
    return np.moveaxis(x, 1, -1) if channels_first else x


def in_layout(y: np.ndarray, channels_first: bool) -> np.ndarray:
    """A channels-last result in the layer's layout, C-contiguous."""
    return np.ascontiguousarray(np.moveaxis(y, -1, 1)) if channels_first else y
