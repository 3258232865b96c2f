"""Embedding as a Gather (out-of-range ids mapped to oov_index where it is set; the onnxruntime backend checks the
range before a run otherwise), its mask_zero mask; Masking; keras_hub's position layers."""
from __future__ import annotations

from ...layers.fixed_tables import sine_positions
from ..registry import onnx_mask, onnx_op


@onnx_op("Embedding")
def embedding(layer, info, inputs, weights, ctx):
    ids, table = inputs[0], weights["embeddings"]
    if layer.oov_index is not None:
        dtype = ctx.input_types[0].dtype
        outside = ctx.op("Or", ctx.op("Less", ids, ctx.const(0, dtype)),
                         ctx.op("GreaterOrEqual", ids, ctx.const(table.shape[0], dtype)))
        ids = ctx.op("Where", outside, ctx.const(layer.oov_index, dtype), ids)
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
    if steps is None:
        from ..registry import ExportRefused
        raise ExportRefused("SinePositionEncoding of a sequence of unknown length cannot be exported yet",
                            "give the sequence a fixed length in the spec")
    return broadcast_table(ctx, inputs[0], ctx.const(sine_positions(steps, features, layer.max_wavelength)))
