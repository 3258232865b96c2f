"""Image preprocessing at inference, channels-last: the central crop, Keras's smart_resize (a crop to the target's
aspect ratio, then resize.py's bilinear), and the padding to an aspect ratio that Resizing can do instead."""
from __future__ import annotations

import numpy as np

from .resize import resize, resize_gradient


def center_crop(x, height: int, width: int):
    """keras.layers.CenterCrop on (batch, height, width, channels): the central window, or smart_resize when the
    image is smaller than it on either side."""
    h, w = x.shape[1:3]
    if h < height or w < width:
        return smart_resize(x, height, width)
    top, left = (h - height) // 2, (w - width) // 2
    return x[:, top:top + height, left:left + width]


def smart_resize(x, height: int, width: int):
    """keras.utils.smart_resize: the largest central crop with the target's aspect ratio, resized bilinear."""
    return resize(crop_to_aspect_ratio(x, height, width), (height, width), "bilinear")


def crop_to_aspect_ratio(x, height: int, width: int):
    """The largest central window of (batch, h, w, channels) with the aspect ratio height : width."""
    top, left, crop_h, crop_w = aspect_window(x.shape[1:3], height, width)
    return x[:, top:top + crop_h, left:left + crop_w]


def aspect_window(size, height: int, width: int):
    """(top, left, rows, columns) of crop_to_aspect_ratio on an image of `size` (h, w): the sizes rounded down (at
    least 1) and the start too, as keras.ops.image.resize crops."""
    h, w = size
    crop_h = max(min(h, int(w * height / width)), 1)
    crop_w = max(min(w, int(h * width / height)), 1)
    return int((h - crop_h) / 2), int((w - crop_w) / 2), crop_h, crop_w


def smart_resize_gradient(dy, size):
    """d x of smart_resize(x, height, width) for d output dy; x's spatial size `size`."""
    top, left, crop_h, crop_w = aspect_window(size, *dy.shape[1:3])
    return paste(resize_gradient(dy, (crop_h, crop_w), "bilinear"), size, top, left)


def paste(dy, size, top: int, left: int):
    """d x of x[:, top:top + rows, left:left + columns] for d output dy (rows × columns); x's spatial size `size`."""
    dx = np.zeros((dy.shape[0], *size, dy.shape[3]), dy.dtype)
    dx[:, top:top + dy.shape[1], left:left + dy.shape[2]] = dy
    return dx


def pad_to_aspect_ratio(x, height: int, width: int, fill_value: float):
    """(batch, h, w, channels) padded with fill_value on the short side towards the aspect ratio height : width, as
    keras.ops.image.resize pads: the same whole number of rows (or columns) on both sides, half the shortfall rounded
    down, so an odd shortfall leaves the result one short of the exact ratio."""
    h, w = x.shape[1:3]
    rows = int((max(h, int(w * height / width)) - h) / 2)
    columns = int((max(w, int(h * width / height)) - w) / 2)
    if not rows and not columns:
        return x
    return np.pad(x, ((0, 0), (rows, rows), (columns, columns), (0, 0)), constant_values=fill_value)
