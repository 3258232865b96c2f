"""ZeroPadding1D/2D/3D as Pad and Cropping1D/2D/3D as Slice, on the spatial axes of either data_format."""
from __future__ import annotations

from ..registry import onnx_op

END = 2 ** 62  # a Slice end past any size: "to the end"


def spatial_axes(layer, rank: int) -> list[int]:
    return list(range(2, rank)) if getattr(layer, "channels_first", False) else list(range(1, rank - 1))


@onnx_op("ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D")
def zero_padding(layer, info, inputs, weights, ctx):
    rank = ctx.input_types[0].rank
    before, after = [0] * rank, [0] * rank
    for axis, (b, a) in zip(spatial_axes(layer, rank), layer.pads):
        before[axis], after[axis] = b, a
    return ctx.op("Pad", inputs[0], ctx.ints(before + after), ctx.const(0, ctx.input_types[0].dtype))


@onnx_op("Cropping1D", "Cropping2D", "Cropping3D")
def cropping(layer, info, inputs, weights, ctx):
    axes = spatial_axes(layer, ctx.input_types[0].rank)
    starts = [b for b, _ in layer.crops]
    ends = [-a if a else END for _, a in layer.crops]
    return ctx.op("Slice", inputs[0], ctx.ints(starts), ctx.ints(ends), ctx.ints(axes))
