"""Max and average pooling (Keras excludes padding from an average: count_include_pad 0) and global pooling, with
the mask a mask_zero or Masking layer sends to GlobalAverage/MaxPooling1D."""
from __future__ import annotations

from ..registry import onnx_mask, onnx_op
from .spatial import from_onnx_layout, padding_attrs, spatial_sizes, to_onnx_layout

MASKED_MAX = -3.4028234663852886e38  # a masked step never wins the maximum (NumPy puts -inf, cast to the dtype)


@onnx_op("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D")
def pool(layer, info, inputs, weights, ctx):
    rank, window, strides = ctx.input_types[0].rank, list(layer.pool_size), list(layer.window_strides)
    x = to_onnx_layout(ctx, layer, inputs[0], rank)
    pads = padding_attrs(layer.padding, spatial_sizes(layer, ctx.input_types[0]), window, strides, [1] * len(window))
    if layer.reduction == "maximum":
        y = ctx.op("MaxPool", x, kernel_shape=window, strides=strides, **pads)
    else:
        y = ctx.op("AveragePool", x, kernel_shape=window, strides=strides, count_include_pad=0, **pads)
    return from_onnx_layout(ctx, layer, y, rank)


def spatial_axes(layer, rank: int) -> list[int]:
    return list(range(2, rank)) if layer.channels_first else list(range(1, rank - 1))


@onnx_op("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
         "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D")
def global_pool(layer, info, inputs, weights, ctx):
    rank, x = ctx.input_types[0].rank, inputs[0]
    mask = ctx.input_masks[0] if layer.supports_masking else None
    axes = spatial_axes(layer, rank)
    keep = int(layer.keepdims)
    if mask is None:
        op = "ReduceMax" if layer.reduction == "maximum" else "ReduceMean"
        return ctx.reduce(op, x, axes, keep)
    step = 2 if layer.channels_first else 1  # the mask (batch, steps) broadcast along the channels
    mask = ctx.op("Unsqueeze", mask, ctx.ints([1 if layer.channels_first else 2]))
    if layer.reduction == "maximum":
        return ctx.reduce("ReduceMax", ctx.op("Where", mask, x, ctx.const(MASKED_MAX)), [step], keep)
    counted = ctx.cast(mask, ctx.dtype)
    total = ctx.reduce("ReduceSum", ctx.op("Mul", x, counted), [step], keep)
    return ctx.op("Div", total, ctx.reduce("ReduceSum", counted, [step], keep))


@onnx_mask("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D")
def no_mask(layer, info, inputs, masks, ctx):
    return None
