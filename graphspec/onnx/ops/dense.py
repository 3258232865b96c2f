"""Dense: a MatMul over the last axis (ONNX broadcasts the leading ones), the bias, the activation."""
from __future__ import annotations

from ..registry import onnx_op
from .activations import activate


def linear(ctx, x: str, kernel, bias=None) -> str:
    y = ctx.op("MatMul", x, ctx.weight(kernel, "kernel"))
    return y if bias is None else ctx.op("Add", y, ctx.weight(bias, "bias"))


@onnx_op("Dense")
def dense(layer, info, inputs, weights, ctx):
    return activate(ctx, linear(ctx, inputs[0], weights["kernel"], weights.get("bias")), layer.activation)
