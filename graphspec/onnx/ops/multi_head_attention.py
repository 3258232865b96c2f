"""MultiHeadAttention as Keras computes it: Einsum projections per head, Keras's own attention equations
(_build_attention_equation), the masks and-ed as _compute_attention_mask, a softmax over the attention axes (hidden
pairs set to −1e9, and to 0 after it on Keras's softmax path), the weighted sum and the output projection."""
from __future__ import annotations

import math

from ..registry import onnx_mask, onnx_op
from .attention import causal_mask

LETTERS = "abcdefghijklmnop"
FEATURE, HEADS, HEAD, OUT = "z", "y", "x", "uvw"  # letters no position takes (ranks up to 8)


def attention_equations(rank: int, axes: tuple[int, ...]) -> tuple[str, str]:
    """Keras's (key, query -> scores) and (scores, value -> heads) equations for projected tensors of `rank`."""
    target = LETTERS[:rank]
    batch = [i for i in range(rank - 1) if i not in axes]
    source, offset = "", rank
    for i in range(rank):
        source += target[i] if i in batch or i == rank - 1 else LETTERS[offset]
        offset += i not in batch and i != rank - 1
    product = "".join([target[i] for i in batch] + [target[i] for i in axes] + [source[i] for i in axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}"


def project(ctx, x, weights, name, rank):
    positions = LETTERS[:rank - 1]
    heads = ctx.op("Einsum", x, ctx.weight(weights[f"{name}/kernel"], f"{name}/kernel"),
                   equation=f"{positions}{FEATURE},{FEATURE}{HEADS}{HEAD}->{positions}{HEADS}{HEAD}")
    bias = weights.get(f"{name}/bias")
    return heads if bias is None else ctx.op("Add", heads, ctx.weight(bias, f"{name}/bias"))


def band(ctx, query, value, window: int):
    """|i − j| < window over (1, T, S): the sliding window."""
    lower = causal_mask(ctx, query, value)  # a bool (1, T, S) of the right size, made float to cut
    ones = ctx.cast(ctx.op("Or", lower, ctx.op("Not", lower)), "float32")
    below = ctx.op("Trilu", ones, ctx.ints(window - 1), upper=0)
    above = ctx.op("Trilu", ones, ctx.ints(1 - window), upper=1)
    return ctx.cast(ctx.op("Mul", below, above), "bool")


def attention_mask(layer, ctx, query, value, count: int):
    parts = []
    masks = ctx.input_masks + [None] * 3
    if masks[0] is not None:
        parts.append(ctx.op("Unsqueeze", masks[0], ctx.ints([-1])))
    parts += [ctx.op("Unsqueeze", m, ctx.ints([-2])) for m in (masks[1], masks[2] if count > 2 else None) if m is not None]
    if layer.use_causal_mask:
        parts.append(causal_mask(ctx, query, value))
    if layer.sliding_window:
        parts.append(band(ctx, query, value, layer.sliding_window))
    mask = parts[0] if parts else None
    for part in parts[1:]:
        mask = ctx.op("And", mask, part)
    input_masked = any(m is not None for m in masks[:count])
    rank = max([ctx.input_types[0].rank] * input_masked + [3] * bool(layer.use_causal_mask or layer.sliding_window),
               default=0)
    return mask, rank


def softmax(ctx, scores, axes: int):
    if axes == 1:
        return ctx.op("Softmax", scores, axis=-1)
    shape = ctx.op("Shape", scores)
    flat = ctx.op("Reshape", scores, ctx.op("Concat", ctx.op("Slice", shape, ctx.ints([0]), ctx.ints([-axes])),
                                             ctx.ints([-1]), axis=0))
    return ctx.op("Reshape", ctx.op("Softmax", flat, axis=-1), shape)


@onnx_op("MultiHeadAttention")
def multi_head_attention(layer, info, inputs, weights, ctx):
    query, value, *key = inputs
    key = key[0] if key else value
    rank = ctx.input_types[0].rank
    axes = layer.attention_axes_of(rank)
    q, k, v = (project(ctx, x, weights, n, rank) for n, x in (("query", query), ("key", key), ("value", value)))
    q = ctx.op("Mul", q, ctx.const(1 / math.sqrt(layer.key_dim)))
    dot, combine = attention_equations(rank + 1, axes)
    scores = ctx.op("Einsum", k, q, equation=dot)
    mask, mask_rank = attention_mask(layer, ctx, query, value, len(inputs))
    score_rank = rank + 1 - len(axes) - 1 + 2 * len(axes)
    if mask is not None:
        for _ in range(score_rank - mask_rank):
            mask = ctx.op("Unsqueeze", mask, ctx.ints([-2 * len(axes) - 1]))
        scores = ctx.op("Where", mask, scores, ctx.const(-1e9))
    weights_ = softmax(ctx, scores, len(axes))
    if mask is not None and (layer.dropout > 0 or layer.return_attention_scores or rank != 3):
        weights_ = ctx.op("Where", mask, weights_, ctx.const(0.0))  # Keras's softmax path
    heads = ctx.op("Einsum", weights_, v, equation=combine)
    if layer.use_gate:
        heads = ctx.op("Mul", heads, ctx.op("Sigmoid", project(ctx, query, weights, "gate", rank)))
    positions, out = LETTERS[:rank - 1], OUT[:weights["attention_output/kernel"].ndim - 2]
    output = ctx.op("Einsum", heads, ctx.weight(weights["attention_output/kernel"], "attention_output/kernel"),
                    equation=f"{positions}{HEADS}{HEAD},{HEADS}{HEAD}{out}->{positions}{out}")
    if "attention_output/bias" in weights:
        output = ctx.op("Add", output, ctx.weight(weights["attention_output/bias"], "attention_output/bias"))
    return [output, weights_] if layer.return_attention_scores else output


@onnx_mask("MultiHeadAttention")
def query_mask(layer, info, inputs, masks, ctx):
    return masks[0] if masks else None
