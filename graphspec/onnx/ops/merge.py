"""Add, Subtract, Multiply, Average, Maximum, Minimum (Keras 3's broadcasting and masks) and Concatenate."""
from __future__ import annotations

from ..registry import onnx_mask, onnx_op

COMBINE = {"Add": "Add", "Subtract": "Sub", "Multiply": "Mul", "Average": "Add", "Maximum": "Max", "Minimum": "Min"}
ELEMENTWISE = tuple(COMBINE)


def rank_aligned(ctx, inputs):
    """Keras's Merge.call: size-1 axes after the batch up to the highest rank; an expanded input's mask is lost."""
    rank = max(t.rank for t in ctx.input_types)
    values, masks = [], []
    for x, tensor, mask in zip(inputs, ctx.input_types, ctx.input_masks):
        missing = rank - tensor.rank
        values.append(ctx.op("Unsqueeze", x, ctx.ints(list(range(1, 1 + missing)))) if missing else x)
        masks.append(None if missing else mask)
    return values, masks


def either(ctx, masks):
    result = masks[0]
    for mask in masks[1:]:
        result = ctx.op("Or", result, mask)
    return result


def steps(ctx, mask):
    """A (batch, steps) mask broadcast along the features."""
    return ctx.op("Unsqueeze", mask, ctx.ints([-1]))


def combine(ctx, op, values):
    result = values[0]
    for x in values[1:]:
        result = ctx.op(op, result, x)
    return result


def extremum(ctx, op, values, masks):
    """Keras's _apply_merge_op_and_or_mask: at a step one input masks, the other's value stands in for it."""
    result, counted = values[0], None if masks[0] is None else steps(ctx, masks[0])
    for x, mask in zip(values[1:], masks[1:]):
        mask = None if mask is None else steps(ctx, mask)
        if mask is not None:
            x = ctx.op("Where", mask, x, result)
        if counted is not None:
            result = ctx.op("Where", counted, result, x)
        counted = None if mask is None or counted is None else ctx.op("Or", counted, mask)
        result = ctx.op(op, result, x)
    return result


@onnx_op(*ELEMENTWISE)
def elementwise(layer, info, inputs, weights, ctx):
    values, masks = rank_aligned(ctx, inputs)
    op, masked = COMBINE[layer.kind], any(m is not None for m in masks)
    if layer.kind in ("Maximum", "Minimum") and masked:
        return extremum(ctx, op, values, masks)
    if layer.kind == "Multiply" and masked:
        factors = [x if m is None else ctx.op("Where", steps(ctx, m), x, ctx.const(1.0, ctx.output.dtype))
                   for x, m in zip(values, masks)]
        product = combine(ctx, op, factors)
        if any(m is None for m in masks):
            return product
        return ctx.op("Where", steps(ctx, either(ctx, masks)), product, ctx.const(0.0, ctx.output.dtype))
    result = combine(ctx, op, values)
    if layer.kind == "Average":
        result = ctx.op("Div", result, ctx.const(len(values), ctx.output.dtype))
    return result


@onnx_mask(*ELEMENTWISE)
def elementwise_mask(layer, info, inputs, masks, ctx):
    """Keras's Merge.compute_mask: none when an input has none; else a step counts where any input counts it."""
    return None if any(m is None for m in masks) else either(ctx, masks)


@onnx_op("Concatenate")
def concatenate(layer, info, inputs, weights, ctx):
    return ctx.op("Concat", *inputs, axis=layer.axis)


@onnx_mask("Concatenate")
def concatenate_mask(layer, info, inputs, masks, ctx):
    """Keras 3: the masks (all true for an unmasked input) joined along the axis; along the features, any()."""
    if all(m is None for m in masks):
        return None
    rank = ctx.input_types[0].rank
    full = [m if m is not None else ctx.op("Cast", ctx.op("ConstantOfShape", ctx.op("Shape", x, end=rank - 1)),
                                           to=9) for x, m in zip(inputs, masks)]
    axis = layer.axis % rank
    return either(ctx, full) if axis == rank - 1 else ctx.op("Concat", *full, axis=axis)
