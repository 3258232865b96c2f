"""Conv1D/2D/3DTranspose as ONNX ConvTranspose: Keras's crop of the full scatter as the leading pads, and its
output length reached by trailing pads or output_padding (neither depends on the input length)."""
from __future__ import annotations

import numpy as np

from ...layers.arith import conv_transpose_crop, conv_transpose_length, effective_kernel
from ..registry import onnx_op
from .activations import activate
from .spatial import from_onnx_layout, to_onnx_layout

PROBE = 7  # any input length: the pads below do not depend on it


def axis_pads(k, s, padding, extra, d) -> tuple[int, int, int]:
    """(pad before, pad after, output_padding) of one axis."""
    crop = conv_transpose_crop(k, s, padding, extra, d)
    full = (PROBE - 1) * s + effective_kernel(k, d)
    after = full - crop - conv_transpose_length(PROBE, k, s, padding, extra, d)
    return crop, max(after, 0), max(-after, 0)


@onnx_op("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")
def conv_transpose(layer, info, inputs, weights, ctx):
    rank, kernel = ctx.input_types[0].rank, weights["kernel"]
    spatial = rank - 2
    ksize = kernel.shape[:spatial]
    extra = layer.output_padding or (None,) * spatial
    extra = (extra,) * spatial if isinstance(extra, int) else extra
    axes = [axis_pads(k, s, layer.padding, p, d) for k, s, p, d in zip(ksize, layer.strides, extra, layer.dilation_rate)]
    onnx_kernel = np.transpose(kernel, (spatial + 1, spatial, *range(spatial)))  # (*k, F, C) -> (C, F, *k)
    x = to_onnx_layout(ctx, layer, inputs[0], rank)
    operands = [x, ctx.weight(onnx_kernel, "kernel")] + ([ctx.weight(weights["bias"], "bias")] if "bias" in weights else [])
    y = ctx.op("ConvTranspose", *operands, kernel_shape=list(ksize), strides=list(layer.strides),
               dilations=list(layer.dilation_rate), pads=[a[0] for a in axes] + [a[1] for a in axes],
               output_padding=[a[2] for a in axes])
    return from_onnx_layout(ctx, layer, activate(ctx, y, layer.activation), rank)
