"""Window arithmetic shared by the shape rules and the kernels of convolution and pooling.

Follows Keras (and TensorFlow): `valid` drops what does not fit, `same` gives ceil(n / stride)
positions and, when the padding is odd, puts the extra element at the end.
"""
from __future__ import annotations

import math


def effective_kernel(kernel: int, dilation: int) -> int:
    """Span of a dilated kernel: a 3-tap kernel with dilation 2 covers 5 elements."""
    return (kernel - 1) * dilation + 1


def conv_output_length(length: int | None, kernel: int, stride: int, padding: str, dilation: int = 1) -> int | None:
    """Output length along one axis; None stays None (an unknown size); may be <= 0 when the window does not fit."""
    if length is None:
        return None
    if padding == "same":
        return math.ceil(length / stride)
    return (length - effective_kernel(kernel, dilation)) // stride + 1


def same_padding(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding that `same` adds along one axis."""
    out = math.ceil(length / stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - length, 0)
    return total // 2, total - total // 2
