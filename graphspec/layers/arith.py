"""Window arithmetic shared by the shape rules and the kernels of convolution and pooling.

Follows Keras (and TensorFlow): `valid` drops what does not fit, `same` gives ceil(n / stride)
positions and, when the padding is odd, puts the extra element at the end; `causal` (Conv1D) pads only before.
"""

import math

from ..dim_rules import or_unknown


def effective_kernel(kernel: int, dilation: int) -> int:
    """Span of a dilated kernel: a 3-tap kernel with dilation 2 covers 5 elements."""
    return (kernel - 1) * dilation + 1


def conv_output_length(length: int | None, kernel: int, stride: int, padding: str, dilation: int = 1) -> int | None:
    """Output length along one axis; None stays None (an unknown size); may be <= 0 when the window does not fit."""
    if length is None:
        return None
    return or_unknown(lambda: _output_length(length, kernel, stride, padding, dilation))


def _output_length(length, kernel: int, stride: int, padding: str, dilation: int):
    """For a named length too: T - 2 after a valid width-3 window, 8 * h after stride 2 on 16 * h; a length not
    known to divide by the stride (T / 2) is not expressible and becomes unknown (None)."""
    if padding in ("same", "causal"):  # causal pads (kernel - 1) * dilation before: as many outputs as same
        return math.ceil(length / stride)
    return (length - effective_kernel(kernel, dilation)) // stride + 1


def same_padding(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding that `same` adds along one axis."""
    out = math.ceil(length / stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - length, 0)
    return total // 2, total - total // 2


def causal_padding(kernel: int, dilation: int = 1) -> int:
    """Keras Conv1D `causal`: this many zeros before the steps (none after), so output t sees inputs up to t."""
    return (kernel - 1) * dilation


def conv_transpose_length(length: int | None, kernel: int, stride: int, padding: str, output_padding: int | None,
                          dilation: int = 1) -> int | None:
    """Keras's transposed-convolution output length (backend_utils._get_output_shape_given_tf_padding)."""
    if length is None:
        return None
    span = effective_kernel(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (length - 1) * stride + span + extra
    if output_padding is None:
        return length * stride
    return (length - 1) * stride + span % 2 + output_padding


def conv_transpose_crop(kernel: int, stride: int, padding: str, output_padding: int | None, dilation: int = 1) -> int:
    """How many leading positions of the full scatter ((length - 1) * stride + span positions) Keras drops:
    span - 1 minus the left padding JAX's conv_transpose is given (backend_utils, ..._keras_to_jax)."""
    span = effective_kernel(kernel, dilation)
    if padding == "valid":
        return 0
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    return span - 1 - min(total // 2 + total % 2, span - 1)
