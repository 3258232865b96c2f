"""What the convolution and pooling mappings share: the channels-first view ONNX's operators take, and Keras's
padding as ONNX pads."""
from __future__ import annotations

import numpy as np

from ...layers.arith import causal_padding, same_padding


def to_onnx_layout(ctx, layer, x: str, rank: int) -> str:
    """A channels-last value seen channels-first; a channels_first layer's input is already so."""
    return x if getattr(layer, "channels_first", False) else ctx.channels_first(x, rank)


def from_onnx_layout(ctx, layer, y: str, rank: int) -> str:
    return y if getattr(layer, "channels_first", False) else ctx.channels_last(y, rank)


def spatial_sizes(layer, tensor) -> tuple:
    """The spatial sizes of a tensor in the layer's data_format (None where unknown)."""
    shape = tensor.shape
    return shape[2:] if getattr(layer, "channels_first", False) else shape[1:-1]


def padding_attrs(padding: str, sizes, kernel, strides, dilation) -> dict:
    """ONNX pads (all begins, then all ends) for Keras's valid / same / causal; SAME_UPPER where a size is unknown
    (TensorFlow's same: the odd element at the end, as SAME_UPPER puts it)."""
    rank = len(kernel)
    if padding == "valid":
        return {"pads": [0] * (2 * rank)}
    if padding == "causal":
        return {"pads": [causal_padding(kernel[0], dilation[0]), 0]}
    if None in sizes:
        return {"auto_pad": "SAME_UPPER"}
    pairs = [same_padding(n, k, s, d) for n, k, s, d in zip(sizes, kernel, strides, dilation)]
    return {"pads": [p[0] for p in pairs] + [p[1] for p in pairs]}


def onnx_kernel(kernel: np.ndarray) -> np.ndarray:
    """Keras's (*kernel_size, in, out) kernel as ONNX Conv's (out, in, *kernel_size)."""
    rank = kernel.ndim - 2
    return np.transpose(kernel, (rank + 1, rank, *range(rank)))
