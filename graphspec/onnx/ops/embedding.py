"""Embedding as a Gather (out-of-range ids mapped to oov_index where it is set, refused otherwise), its mask_zero
mask; Masking; keras_hub's position layers."""
from __future__ import annotations

import numpy as np

from ...layers.fixed_tables import sine_positions
from ..registry import onnx_mask, onnx_op


@onnx_op("Embedding")
def embedding(layer, info, inputs, weights, ctx):
    ids, table, written = inputs[0], weights["embeddings"], ctx.input_types[0].dtype
    if layer.oov_index is None and written in ("int8", "int16", "int32"):
        # Gather reads a negative id from the end of the table, where Keras and the NumPy backend refuse it. Cast
        # to uint32, a negative id becomes 2**31 or more, past the end of any table, and Gather itself refuses it, in
        # any runtime; two casts cost ONNX Runtime a third of the Less and Where that int64 ids need
        return ctx.op("Gather", ctx.weight(table, "embeddings"), ctx.cast(ctx.cast(ids, "uint32"), "int64"), axis=0)
    index_type = written if written in ("int32", "int64") else "int64"  # what Gather and ONNX Runtime's Where take
    if index_type != written:
        ids = ctx.cast(ids, index_type)
    if layer.oov_index is not None:
        outside = ctx.op("Or", ctx.op("Less", ids, ctx.const(0, index_type)),
                         ctx.op("GreaterOrEqual", ids, ctx.const(table.shape[0], index_type)))
        ids = ctx.op("Where", outside, ctx.const(layer.oov_index, index_type), ids)
    elif np.dtype(written).kind == "i":
        # Gather reads a negative id from the end of the table, where Keras and the NumPy backend refuse it: sent
        # past the end instead, it is refused by Gather itself, in any runtime, never looked up wrong
        ids = ctx.op("Where", ctx.op("Less", ids, ctx.const(0, index_type)), ctx.const(table.shape[0], index_type), ids)
    return ctx.op("Gather", ctx.weight(table, "embeddings"), ids, axis=0)


@onnx_mask("Embedding")
def embedding_mask(layer, info, inputs, masks, ctx):
    if not layer.mask_zero:
        return None
    return ctx.op("Not", ctx.op("Equal", inputs[0], ctx.const(0, ctx.input_types[0].dtype)))


@onnx_op("Masking")
def masking(layer, info, inputs, weights, ctx):
    x, mask = inputs[0], steps_kept(layer, ctx, inputs[0])
    return ctx.op("Where", ctx.op("Unsqueeze", mask, ctx.ints([-1])), x, ctx.const(0.0, ctx.input_types[0].dtype))


def steps_kept(layer, ctx, x) -> str:
    """Keras's Masking.compute_mask: any feature differs from mask_value."""
    dtype = ctx.input_types[0].dtype
    differs = ctx.cast(ctx.op("Not", ctx.op("Equal", x, ctx.const(layer.mask_value, dtype))), "int32")
    return ctx.cast(ctx.reduce("ReduceMax", differs, [-1], False), "bool")


@onnx_mask("Masking")
def masking_mask(layer, info, inputs, masks, ctx):
    return steps_kept(layer, ctx, inputs[0])


def broadcast_table(ctx, x, table) -> str:
    """A (steps, features) table broadcast to x's shape: the input gives only its shape."""
    return ctx.op("Expand", table, ctx.op("Shape", x))


@onnx_op("PositionEmbedding")
def position_embedding(layer, info, inputs, weights, ctx):
    steps = ctx.input_types[0].shape[-2]
    table = ctx.weight(weights["embeddings"], "embeddings")
    if steps is None:  # the first `steps` rows of the table, the count read from the input
        count = ctx.op("Slice", ctx.op("Shape", inputs[0]), ctx.ints([-2]), ctx.ints([-1]))
        table = ctx.op("Slice", table, ctx.ints([0]), count, ctx.ints([0]))
    else:
        table = ctx.op("Slice", table, ctx.ints([0]), ctx.ints([steps]), ctx.ints([0]))
    return broadcast_table(ctx, inputs[0], table)


@onnx_op("SinePositionEncoding")
def sine_position_encoding(layer, info, inputs, weights, ctx):
    steps, features = ctx.input_types[0].shape[-2:]
    if steps is not None:
        return broadcast_table(ctx, inputs[0], ctx.const(sine_positions(steps, features, layer.max_wavelength)))
    # the table for the steps that arrive: positions × keras_hub's timescales, sin on even features, cos on odd
    j = np.arange(features)
    timescales = np.power(np.float32(1 / layer.max_wavelength), (2 * (j // 2)).astype(np.float32) / np.float32(features))
    count = ctx.op("Squeeze", ctx.op("Slice", ctx.op("Shape", inputs[0]), ctx.ints([-2]), ctx.ints([-1])), ctx.ints([0]))
    positions = ctx.cast(ctx.op("Range", ctx.const(0, "int64"), count, ctx.const(1, "int64")), "float32")
    angles = ctx.op("Mul", ctx.op("Unsqueeze", positions, ctx.ints([1])), ctx.const(timescales, "float32"))
    table = ctx.op("Where", ctx.const(j % 2 == 0, "bool"), ctx.op("Sin", angles), ctx.op("Cos", angles))
    return broadcast_table(ctx, inputs[0], table if ctx.dtype == "float32" else ctx.cast(table, ctx.dtype))
