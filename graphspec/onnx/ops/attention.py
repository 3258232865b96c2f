"""Dot (Keras's batch_dot as one Einsum), Attention and AdditiveAttention: scores, the masked softmax, the values
weighed by it; the query's mask zeroes its rows and is passed on."""
from __future__ import annotations

from ..registry import onnx_mask, onnx_op

LETTERS = "abcdefghijklmnopqrstuvwxy"
EPSILON = 1e-7  # keras.backend.epsilon(), the floor of the norm in keras.ops.normalize
MASKED = 1e9  # Keras subtracts 1e9 from a hidden step's score


def l2_normalize(ctx, x, axis):
    inverse = ctx.op("Reciprocal", ctx.op("Sqrt", ctx.reduce("ReduceSum", ctx.op("Mul", x, x), [axis])))
    return ctx.op("Mul", x, ctx.op("Min", inverse, ctx.const(1 / EPSILON)))


def batch_dot_equation(x_rank, y_rank, a1, a2) -> str:
    x_axes = "z" + LETTERS[:x_rank - 1]
    y_axes = "z" + LETTERS[x_rank - 1:x_rank + y_rank - 2]
    y_axes = y_axes[:a2] + x_axes[a1] + y_axes[a2:-1]
    out = x_axes.replace(x_axes[a1], "") + y_axes[1:].replace(x_axes[a1], "")
    return f"{x_axes},{y_axes}->{out}"


@onnx_op("Dot")
def dot(layer, info, inputs, weights, ctx):
    (xt, yt), (x, y) = ctx.input_types, inputs
    a1, a2 = layer.pair([xt.shape, yt.shape])
    if layer.normalize:
        x, y = l2_normalize(ctx, x, a1), l2_normalize(ctx, y, a2)
    equation = batch_dot_equation(xt.rank, yt.rank, a1, a2)
    result = ctx.op("Einsum", x, y, equation=equation)
    return ctx.op("Unsqueeze", result, ctx.ints([1])) if len(equation.split("->")[1]) == 1 else result


def tanh_sums(ctx, query, key, inner=None, outer=None):
    pairs = ctx.op("Add", ctx.op("Unsqueeze", query, ctx.ints([2])), ctx.op("Unsqueeze", key, ctx.ints([1])))
    summed = ctx.op("Tanh", pairs if inner is None else ctx.op("Mul", pairs, inner))
    return ctx.reduce("ReduceSum", summed, [-1], False) if outer is None else ctx.op("MatMul", summed, outer)


def causal_mask(ctx, query, key):
    """The lower-triangular (1, Tq, Tv) mask, for any lengths."""
    tq = ctx.op("Slice", ctx.op("Shape", query), ctx.ints([1]), ctx.ints([2]))
    tv = ctx.op("Slice", ctx.op("Shape", key), ctx.ints([1]), ctx.ints([2]))
    ones = ctx.op("ConstantOfShape", ctx.op("Concat", ctx.ints([1]), tq, tv, axis=0), value=ctx.tensor_attr(1.0))
    return ctx.cast(ctx.op("Trilu", ones, upper=0), "bool")


def attend(layer, ctx, scores, query, key, value):
    value_mask = ctx.input_masks[1] if len(ctx.input_masks) > 1 else None
    mask = None if value_mask is None else ctx.op("Unsqueeze", value_mask, ctx.ints([1]))
    if layer.use_causal_mask:
        lower = causal_mask(ctx, query, key)
        mask = lower if mask is None else ctx.op("And", mask, lower)
    if mask is not None:
        scores = ctx.op("Where", mask, scores, ctx.op("Sub", scores, ctx.const(MASKED)))
    weights = ctx.op("Softmax", scores, axis=-1)
    output = ctx.op("MatMul", weights, value)
    query_mask = ctx.input_masks[0]
    if query_mask is not None:
        output = ctx.op("Where", ctx.op("Unsqueeze", query_mask, ctx.ints([2])), output, ctx.const(0.0))
    return [output, weights] if layer.return_attention_scores else output


def operands(inputs):
    query, value, *key = inputs
    return query, value, key[0] if key else value


@onnx_op("Attention")
def attention(layer, info, inputs, weights, ctx):
    query, value, key = operands(inputs)
    scale = ctx.weight(weights["scale"], "scale") if "scale" in weights else None
    if layer.score_mode == "dot":
        scores = ctx.op("MatMul", query, ctx.op("Transpose", key, perm=[0, 2, 1]))
        scores = scores if scale is None else ctx.op("Mul", scores, scale)
    else:
        scores = ctx.op("Mul", ctx.weight(weights["concat_score_weight"], "concat_score_weight"),
                        tanh_sums(ctx, query, key, inner=scale))
    return attend(layer, ctx, scores, query, key, value)


@onnx_op("AdditiveAttention")
def additive_attention(layer, info, inputs, weights, ctx):
    query, value, key = operands(inputs)
    scale = ctx.weight(weights["scale"], "scale") if "scale" in weights else None
    return attend(layer, ctx, tanh_sums(ctx, query, key, outer=scale), query, key, value)


@onnx_mask("Attention", "AdditiveAttention")
def query_mask(layer, info, inputs, masks, ctx):
    return masks[0] if masks else None
