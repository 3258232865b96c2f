"""Flatten, Reshape, RepeatVector and Permute: ONNX's Reshape (0 keeps the batch), Tile and Transpose."""
from __future__ import annotations

from ..registry import onnx_op


@onnx_op("Flatten")
def flatten(layer, info, inputs, weights, ctx):
    return ctx.op("Flatten", inputs[0], axis=1)


@onnx_op("Reshape")
def reshape(layer, info, inputs, weights, ctx):
    return ctx.op("Reshape", inputs[0], ctx.ints([0, *layer.target_shape]))


@onnx_op("RepeatVector")
def repeat_vector(layer, info, inputs, weights, ctx):
    steps = ctx.op("Unsqueeze", inputs[0], ctx.ints([1]))
    return ctx.op("Tile", steps, ctx.ints([1, layer.n, 1]))


@onnx_op("Permute")
def permute(layer, info, inputs, weights, ctx):
    return ctx.op("Transpose", inputs[0], perm=[0, *layer.dims])
