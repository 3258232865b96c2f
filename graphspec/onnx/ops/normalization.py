"""BatchNormalization (moving statistics folded into one scale and shift, as the NumPy backend folds them),
LayerNormalization over any axes, GroupNormalization and UnitNormalization."""
from __future__ import annotations

import numpy as np

from ..registry import onnx_op


def along(ctx, vector, axis: int, rank: int, key: str) -> str:
    """A per-channel vector shaped to broadcast along `axis` of a rank-`rank` value."""
    shape = [1] * rank
    shape[axis] = -1
    return ctx.weight(np.reshape(vector, shape), key)


@onnx_op("BatchNormalization")
def batch_norm(layer, info, inputs, weights, ctx):
    rank = ctx.input_types[0].rank
    axis = layer.channel_axis % rank
    scale = 1 / np.sqrt(weights["moving_variance"].astype(np.float64) + layer.epsilon)
    if "gamma" in weights:
        scale = scale * weights["gamma"]
    shift = -weights["moving_mean"].astype(np.float64) * scale
    if "beta" in weights:
        shift = shift + weights["beta"]
    y = ctx.op("Mul", inputs[0], along(ctx, scale.astype(ctx.dtype), axis, rank, "scale"))
    return ctx.op("Add", y, along(ctx, shift.astype(ctx.dtype), axis, rank, "shift"))


def normalised(ctx, x, axes, epsilon):
    """(x − mean) / √(variance + epsilon) over `axes`."""
    centered = ctx.op("Sub", x, ctx.reduce("ReduceMean", x, axes))
    variance = ctx.reduce("ReduceMean", ctx.op("Mul", centered, centered), axes)
    inverse = ctx.op("Reciprocal", ctx.op("Sqrt", ctx.op("Add", variance, ctx.const(epsilon))))
    return ctx.op("Mul", centered, inverse)


@onnx_op("LayerNormalization")
def layer_norm(layer, info, inputs, weights, ctx):
    tensor = ctx.input_types[0]
    rank = tensor.rank
    axes = sorted(a % rank for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis]))
    y = normalised(ctx, inputs[0], axes, layer.epsilon)
    broadcast = [tensor.shape[i] if i in axes else 1 for i in range(rank)]
    if "gamma" in weights:
        y = ctx.op("Mul", y, ctx.weight(weights["gamma"].reshape(broadcast), "gamma"))
    if "beta" in weights:
        y = ctx.op("Add", y, ctx.weight(weights["beta"].reshape(broadcast), "beta"))
    return y


@onnx_op("GroupNormalization")
def group_norm(layer, info, inputs, weights, ctx):
    """Channels moved last, viewed as (batch, positions, groups, channels per group), normalised over 1 and 3."""
    tensor = ctx.input_types[0]
    rank, axis = tensor.rank, layer.axis % tensor.rank
    groups = layer.group_count(tensor.shape)
    channels = tensor.shape[axis]
    perm = [i for i in range(rank) if i != axis] + [axis]
    x = inputs[0] if axis == rank - 1 else ctx.op("Transpose", inputs[0], perm=perm)
    grouped = ctx.op("Reshape", x, ctx.ints([0, -1, groups, channels // groups]))
    y = normalised(ctx, grouped, [1, 3], layer.epsilon)
    if "gamma" in weights:
        y = ctx.op("Mul", y, ctx.weight(weights["gamma"].reshape(groups, -1), "gamma"))
    if "beta" in weights:
        y = ctx.op("Add", y, ctx.weight(weights["beta"].reshape(groups, -1), "beta"))
    y = ctx.op("Reshape", y, ctx.op("Shape", x))
    return y if axis == rank - 1 else ctx.op("Transpose", y, perm=list(np.argsort(perm)))


@onnx_op("UnitNormalization")
def unit_norm(layer, info, inputs, weights, ctx):
    """x · min(1 / √Σx², 1 / 1e-12), as keras.ops.normalize."""
    rank, x = ctx.input_types[0].rank, inputs[0]
    axes = [a % rank for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis])]
    inverse = ctx.op("Reciprocal", ctx.op("Sqrt", ctx.reduce("ReduceSum", ctx.op("Mul", x, x), axes)))
    return ctx.op("Mul", x, ctx.op("Min", inverse, ctx.const(1e12)))
