"""Image preprocessing at inference: the central crop, and Keras's smart_resize (a crop, then resize.py's bilinear)."""
from __future__ import annotations

from .resize import resize


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
    h, w = x.shape[1:3]
    crop_h = max(min(h, int(w * height / width)), 1)
    crop_w = max(min(w, int(h * width / height)), 1)
    top, left = int((h - crop_h) / 2), int((w - crop_w) / 2)
    return resize(x[:, top:top + crop_h, left:left + crop_w], (height, width), "bilinear")
