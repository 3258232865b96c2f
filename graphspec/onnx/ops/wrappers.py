"""TimeDistributed, exporting its wrapped layer through that layer's own mapping (the NumPy kernel's counterpart:
backends/numpy/kernels/time_distributed.py), and the wrapped-layer helpers Bidirectional (bidirectional.py) shares.

TimeDistributed folds the steps into the batch with a Reshape, runs its layer once on all of them and unfolds, so
there is no loop over time; the layer sees no mask.
"""
from __future__ import annotations

from contextlib import contextmanager

from ...types import TensorType
from ..registry import ONNX_OPS, onnx_mask, onnx_op


@contextmanager
def inner_layer(ctx, prefix: str, output: TensorType, input_types: list, masks: list):
    """Points the builder at a wrapped layer: its output and input types, its masks, value names under prefix."""
    saved = ctx.layer, ctx.output, ctx.input_types, ctx.input_masks
    ctx.layer = f"{ctx.layer}/{prefix}" if prefix else ctx.layer
    ctx.output, ctx.input_types, ctx.input_masks = output, input_types, masks
    try:
        yield
    finally:
        ctx.layer, ctx.output, ctx.input_types, ctx.input_masks = saved


def run_inner(ctx, layer, inputs: list[str], weights: dict) -> list[str]:
    """The wrapped layer's outputs through its own mapping: its main output, then any states it returns."""
    result = ONNX_OPS[layer.kind](layer, None, inputs, weights, ctx)
    return [result] if isinstance(result, str) else list(result)


def sizes(ctx, value: str, shape: tuple, start: int) -> str:
    """shape[start:] as an int64 vector: a constant where every size is known, else read from the value."""
    rest = shape[start:]
    if all(type(n) is int for n in rest):
        return ctx.ints(list(rest))
    return ctx.op("Slice", ctx.op("Shape", value), ctx.ints([start]), ctx.ints([len(shape)]))


@onnx_op("TimeDistributed")
def time_distributed(layer, info, inputs, weights, ctx):
    x, given, wanted = inputs[0], ctx.input_types[0], ctx.output
    steps = given.shape[1]
    folded = ctx.op("Reshape", x, ctx.op("Concat", ctx.ints([-1]), sizes(ctx, x, given.shape, 2), axis=0))
    inner_in = TensorType((None, *given.shape[2:]), given.dtype)
    inner_out = TensorType((None, *wanted.shape[2:]), wanted.dtype)
    with inner_layer(ctx, "", inner_out, [inner_in], [None]):
        y = run_inner(ctx, layer.layer, [folded], weights)[0]
    head = ctx.ints([-1, steps]) if type(steps) is int else sizes(ctx, x, given.shape[:2], 0)
    return ctx.op("Reshape", y, ctx.op("Concat", head, sizes(ctx, y, inner_out.shape, 1), axis=0))


@onnx_mask("TimeDistributed")
def time_distributed_mask(layer, info, inputs, masks, ctx):
    return masks[0]
