"""Rescaling and Normalization (mean and variance from the spec or from Keras's adapted weights)."""
from __future__ import annotations

import numpy as np

from ..registry import onnx_op


@onnx_op("Rescaling")
def rescaling(layer, info, inputs, weights, ctx):
    return ctx.op("Add", ctx.op("Mul", inputs[0], ctx.const(layer.scale)), ctx.const(layer.offset))


def statistics(layer, weights, shape):
    """Keras's broadcast: the spec's arrays fill the kept axes from the right; the weights span them all."""
    kept = layer.kept_axes(shape)
    if layer.mean is None:
        values, rank = [weights["mean"], weights["variance"]], len(kept)
    else:
        values = [np.asarray(layer.mean), np.asarray(layer.variance)]
        rank = values[0].ndim
    expanded = [1] * len(shape)
    for axis, size in zip(kept[len(kept) - rank:], values[0].shape):
        expanded[axis] = size
    return [np.reshape(v, expanded) for v in values]


@onnx_op("Normalization")
def normalization(layer, info, inputs, weights, ctx):
    """(x − mean) / max(√variance, 1e-7), or its inverse."""
    mean, variance = (v.astype(ctx.dtype) for v in statistics(layer, weights, ctx.input_types[0].shape))
    std = np.maximum(np.sqrt(variance), np.asarray(1e-7, ctx.dtype))
    mean, std = ctx.const(mean, hint="mean"), ctx.const(std, hint="std")
    if layer.invert:
        return ctx.op("Add", ctx.op("Mul", inputs[0], std), mean)
    return ctx.op("Div", ctx.op("Sub", inputs[0], mean), std)
