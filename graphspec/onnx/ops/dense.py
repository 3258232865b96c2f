"""Dense: a MatMul over the last axis (ONNX broadcasts the leading ones), the bias, the activation; on a (batch,
features) input a Gemm, as torch exports a Linear."""
from __future__ import annotations

from ..registry import onnx_op
from .activations import activate


def linear(ctx, x: str, kernel, bias=None) -> str:
    y = ctx.op("MatMul", x, ctx.weight(kernel, "kernel"))
    return y if bias is None else ctx.op("Add", y, ctx.weight(bias, "bias"))


@onnx_op("Dense")
def dense(layer, info, inputs, weights, ctx):
    if ctx.input_types[0].rank == 2 and "bias" in weights:
        # ONNX Runtime fuses a Gemm with the activation after it, which it does not always do for MatMul + Add
        y = ctx.op("Gemm", inputs[0], ctx.weight(weights["kernel"], "kernel"), ctx.weight(weights["bias"], "bias"))
    else:
        y = linear(ctx, inputs[0], weights["kernel"], weights.get("bias"))
    return activate(ctx, y, layer.activation)
