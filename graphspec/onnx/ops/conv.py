"""Conv1D/2D/3D (groups, causal), DepthwiseConv1D/2D, SeparableConv1D/2D and DecomposedConv2D as ONNX Conv nodes,
channels-first inside (ONNX Runtime's layout transformer removes the transposes between neighbours)."""
from __future__ import annotations

import numpy as np

from ...layers.arith import conv_output_length
from ..registry import onnx_op
from .activations import activate
from .spatial import from_onnx_layout, onnx_kernel, padding_attrs, spatial_sizes, to_onnx_layout


def conv_node(ctx, x, kernel, bias, sizes, strides, padding, dilation, group=1, key="kernel"):
    """One ONNX Conv on a channels-first value; kernel in ONNX's (out, in / group, *k) layout."""
    ksize = kernel.shape[2:]
    inputs = [x, ctx.weight(kernel, key)] + ([] if bias is None else [ctx.weight(bias, "bias")])
    return ctx.op("Conv", *inputs, kernel_shape=list(ksize), strides=list(strides), dilations=list(dilation),
                  group=group, **padding_attrs(padding, sizes, ksize, strides, dilation))


@onnx_op("Conv1D", "Conv2D", "Conv3D")
def conv(layer, info, inputs, weights, ctx):
    rank = ctx.input_types[0].rank
    x = to_onnx_layout(ctx, layer, inputs[0], rank)
    y = conv_node(ctx, x, onnx_kernel(weights["kernel"]), weights.get("bias"), spatial_sizes(layer, ctx.input_types[0]),
                  layer.strides, layer.padding, layer.dilation_rate, layer.groups)
    return from_onnx_layout(ctx, layer, activate(ctx, y, layer.activation), rank)


def depthwise_kernel(kernel: np.ndarray) -> np.ndarray:
    """Keras's (*k, C, M) depthwise kernel as ONNX's (C * M, 1, *k) for a Conv of C groups (output c * M + m)."""
    rank = kernel.ndim - 2
    channels, multiplier = kernel.shape[-2:]
    return np.transpose(kernel.reshape(*kernel.shape[:-2], channels * multiplier), (rank, *range(rank)))[:, None]


@onnx_op("DepthwiseConv1D", "DepthwiseConv2D")
def depthwise_conv(layer, info, inputs, weights, ctx):
    rank, kernel = ctx.input_types[0].rank, weights["kernel"]
    x = to_onnx_layout(ctx, layer, inputs[0], rank)
    y = conv_node(ctx, x, depthwise_kernel(kernel), weights.get("bias"), spatial_sizes(layer, ctx.input_types[0]),
                  layer.strides, layer.padding, layer.dilation_rate, group=kernel.shape[-2])
    return from_onnx_layout(ctx, layer, activate(ctx, y, layer.activation), rank)


@onnx_op("SeparableConv1D", "SeparableConv2D")
def separable_conv(layer, info, inputs, weights, ctx):
    rank, depthwise = ctx.input_types[0].rank, weights["depthwise_kernel"]
    x = to_onnx_layout(ctx, layer, inputs[0], rank)
    maps = conv_node(ctx, x, depthwise_kernel(depthwise), None, spatial_sizes(layer, ctx.input_types[0]),
                     layer.strides, layer.padding, layer.dilation_rate, group=depthwise.shape[-2],
                     key="depthwise_kernel")
    pointwise = onnx_kernel(weights["pointwise_kernel"])
    y = conv_node(ctx, maps, pointwise, weights.get("bias"), (None,) * (rank - 2), (1,) * (rank - 2), "valid",
                  (1,) * (rank - 2), key="pointwise_kernel")
    return from_onnx_layout(ctx, layer, activate(ctx, y, layer.activation), rank)


@onnx_op("DecomposedConv2D")
def decomposed_conv(layer, info, inputs, weights, ctx):
    """The kh×1 convolution, the intermediate activation, then the 1×kw convolution."""
    (sh, sw), (dh, dw), sizes = layer.strides, layer.dilation_rate, ctx.input_types[0].shape[1:3]
    x = ctx.channels_first(inputs[0], 4)
    vertical = onnx_kernel(weights["vertical_kernel"])
    z = conv_node(ctx, x, vertical, weights.get("vertical_bias"), sizes, (sh, 1), layer.padding, (dh, 1),
                  key="vertical_kernel")
    z = activate(ctx, z, layer.intermediate_activation)
    middle = (conv_output_length(sizes[0], vertical.shape[2], sh, layer.padding, dh), sizes[1])
    horizontal = onnx_kernel(weights["horizontal_kernel"])
    y = conv_node(ctx, z, horizontal, weights.get("horizontal_bias"), middle, (1, sw), layer.padding, (1, dw),
                  key="horizontal_kernel")
    return ctx.channels_last(activate(ctx, y, layer.activation), 4)
