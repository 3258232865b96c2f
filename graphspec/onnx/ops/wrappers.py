"""TimeDistributed and Bidirectional, each exporting its wrapped layers through their own mappings (the NumPy
kernels' counterparts: backends/numpy/kernels/time_distributed.py and bidirectional.py).

TimeDistributed folds the steps into the batch with a Reshape, runs its layer once on all of them and unfolds, so
there is no loop over time; the layer sees no mask. Bidirectional runs its forward and backward recurrent layers on
the same input and mask; with return_sequences each direction's outputs at masked steps are zeros (Keras forces
zero_output_for_mask there) and the backward outputs are flipped back to the input's order before merge_mode.
"""
from __future__ import annotations

from contextlib import contextmanager

from ...types import TensorType
from ..registry import ONNX_OPS, ExportRefused, onnx_mask, onnx_op

LAST = -(2 ** 63)  # Slice's end for "through the first element" when stepping backwards


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


def run_inner(ctx, layer, inputs: list[str], weights: dict) -> str:
    result = ONNX_OPS[layer.kind](layer, None, inputs, weights, ctx)
    if not isinstance(result, str):
        result = result[0]  # a wrapped layer's main output (a wrapper wires one)
    return result


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
        y = run_inner(ctx, layer.layer, [folded], weights)
    head = ctx.ints([-1, steps]) if type(steps) is int else sizes(ctx, x, given.shape[:2], 0)
    return ctx.op("Reshape", y, ctx.op("Concat", head, sizes(ctx, y, inner_out.shape, 1), axis=0))


@onnx_mask("TimeDistributed")
def time_distributed_mask(layer, info, inputs, masks, ctx):
    return masks[0]


def direction_output(ctx, prefix: str, inner, x: str, weights: dict, output: TensorType) -> str:
    """One direction's outputs, zero at masked steps with return_sequences (in its reading order)."""
    own = {w[len(prefix):]: a for w, a in weights.items() if w.startswith(prefix)}
    mask = ctx.input_masks[0]
    with inner_layer(ctx, prefix.rstrip("_"), output, ctx.input_types, ctx.input_masks):
        y = run_inner(ctx, inner, [x], own)
    if mask is None or not inner.return_sequences:
        return y
    read = reverse_steps(ctx, mask) if inner.go_backwards else mask
    keep = ctx.op("Unsqueeze", read, ctx.ints([2]))
    return ctx.op("Where", keep, y, ctx.const(0.0, output.dtype, "zero"))


def reverse_steps(ctx, value: str) -> str:
    return ctx.op("Slice", value, ctx.ints([-1]), ctx.ints([LAST]), ctx.ints([1]), ctx.ints([-1]))


MERGE = {"concat": lambda ctx, a, b: ctx.op("Concat", a, b, axis=-1),
         "sum": lambda ctx, a, b: ctx.op("Add", a, b), "mul": lambda ctx, a, b: ctx.op("Mul", a, b),
         "ave": lambda ctx, a, b: ctx.op("Div", ctx.op("Add", a, b), ctx.const(2.0, hint="two"))}


@onnx_op("Bidirectional")
def bidirectional(layer, info, inputs, weights, ctx):
    if len(info.outputs) > 1 or len(inputs) > 1:
        raise ExportRefused("ONNX export of a Bidirectional with several outputs (merge_mode null, return_state) "
                            "or initial_state is not written yet", "merge the directions (merge_mode concat, sum, "
                            "mul or ave) without return_state or initial_state to export it")
    wanted = ctx.output
    outputs = []
    for prefix, inner in layer.directions().items():
        units = (inner.units,)
        shape = (None, wanted.shape[1], *units) if inner.return_sequences else (None, *units)
        outputs.append(direction_output(ctx, prefix, inner, inputs[0], weights, TensorType(shape, wanted.dtype)))
    y, y_rev = outputs
    if layer.return_sequences:
        y_rev = reverse_steps(ctx, y_rev)
    return MERGE[layer.merge_mode](ctx, y, y_rev)


@onnx_mask("Bidirectional")
def bidirectional_mask(layer, info, inputs, masks, ctx):
    return masks[0] if layer.return_sequences else None
