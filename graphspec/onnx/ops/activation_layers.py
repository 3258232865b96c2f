"""Activation, ReLU, LeakyReLU, ELU, PReLU and Softmax (its mask as Keras applies it) with Keras 3's formulas."""
from __future__ import annotations

from ..registry import onnx_op
from .activations import activate, clip

LARGE_NEGATIVE = -1e9  # keras/src/layers/activations/softmax.py: what a masked position becomes


@onnx_op("Activation")
def activation(layer, info, inputs, weights, ctx):
    return activate(ctx, inputs[0], layer.activation)


@onnx_op("ReLU")
def relu(layer, info, inputs, weights, ctx):
    """x above threshold (else 0), clipped to max_value, minus negative_slope · max(threshold − x, 0)."""
    x, slope, top, threshold = inputs[0], layer.negative_slope, layer.max_value, layer.threshold
    if top is None and threshold == 0:
        return ctx.op("LeakyRelu", x, alpha=float(slope)) if slope else ctx.op("Relu", x)
    kept = ctx.op("Where", ctx.op("Greater", x, ctx.const(threshold)), x, ctx.const(0.0))
    if top is not None:
        kept = clip(ctx, kept, 0.0, float(top))
    if not slope:
        return kept
    below = ctx.op("Relu", ctx.op("Sub", ctx.const(threshold), x))
    return ctx.op("Sub", kept, ctx.op("Mul", below, ctx.const(slope)))


@onnx_op("LeakyReLU")
def leaky_relu(layer, info, inputs, weights, ctx):
    return ctx.op("LeakyRelu", inputs[0], alpha=float(layer.negative_slope))


@onnx_op("ELU")
def elu(layer, info, inputs, weights, ctx):
    return ctx.op("Elu", inputs[0], alpha=float(layer.alpha))


@onnx_op("PReLU")
def prelu(layer, info, inputs, weights, ctx):
    """relu(x) − alpha · relu(−x): alpha (the input's shape without the batch) broadcasts as ONNX's PRelu's slope."""
    x = inputs[0]
    negative = ctx.op("Relu", ctx.op("Neg", x))
    return ctx.op("Sub", ctx.op("Relu", x), ctx.op("Mul", ctx.weight(weights["alpha"], "alpha"), negative))


@onnx_op("Softmax")
def softmax(layer, info, inputs, weights, ctx):
    x, rank, mask = inputs[0], ctx.input_types[0].rank, ctx.input_masks[0]
    axes = layer.normalised_axes(ctx.input_types[0].shape)
    axes = [axes] if isinstance(axes, int) else list(axes)
    if mask is not None:
        x = ctx.op("Where", mask, x, ctx.const(LARGE_NEGATIVE))
    if len(axes) == 1:
        y = ctx.op("Softmax", x, axis=axes[0] % rank)
    else:  # over several axes: shifted by their maximum, exp, normalised by the sum
        shifted = ctx.op("Exp", ctx.op("Sub", x, ctx.reduce("ReduceMax", x, axes, 1)))
        y = ctx.op("Div", shifted, ctx.reduce("ReduceSum", shifted, axes, 1))
    return y if mask is None else ctx.op("Where", mask, y, ctx.const(0.0))
