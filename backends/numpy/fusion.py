"""Layers that a compiled plan runs as one step with the layer before them, because the pair is faster fused.

A convolution followed by max pooling (valid, strides equal to the window) is one conv call that pools each
block while it is in cache (ops/conv.py), so the full-size conv output is never written. Pooling commutes
with the bias and with a monotonic activation, so the result is the same as running the two layers.
A fused step looks like a kernel to the plan (forward, output_mask), and can write into a given `out`.
"""
from __future__ import annotations

from .kernels.conv import ConvKernel
from .kernels.decomposed_conv import DecomposedConvKernel
from .kernels.pooling import PoolKernel
from .ops.conv import MONOTONIC, conv


class ConvPool:
    """Conv1D/2D/3D + MaxPooling: keras.layers.Conv2D followed by keras.layers.MaxPooling2D, and the like."""

    accepts_out = True

    def __init__(self, conv_kernel, pool_layer):
        self.kernel, self.window = conv_kernel, pool_layer.pool_size
        self.layer, self.weights = conv_kernel.layer, conv_kernel.weights

    def forward(self, inputs, masks, out=None):
        layer, w = self.layer, self.weights
        return conv(inputs[0], w["kernel"], w.get("bias"), layer.strides, layer.padding, layer.dilation_rate,
                    layer.activation, out=out, pool=self.window, scratch_bytes=self.kernel.scratch_bytes(inputs[0]))

    def output_mask(self, inputs, masks):
        return None


class DecomposedConvPool(ConvPool):
    """DecomposedConv2D + MaxPooling2D: the vertical stage as usual, the pooling fused into the horizontal one."""

    def forward(self, inputs, masks, out=None):
        return self.kernel.horizontal(self.kernel.vertical(inputs[0]), out=out, pool=self.window)


# The kernels whose layer a following max pooling fuses into, by kernel class (never by type name).
FUSED_WITH_MAX_POOLING = {ConvKernel: ConvPool, DecomposedConvKernel: DecomposedConvPool}


def fused_pair(graph, producer: str, consumer: str, kernels: dict):
    """The fused step for `producer` then `consumer`, or None when the pair does not fuse."""
    fused, pool = FUSED_WITH_MAX_POOLING.get(type(kernels[producer])), kernels[consumer]
    if not getattr(kernels[producer], "fuses_max_pooling", True):  # a grouped or channels_first conv
        return None
    if fused is None or not isinstance(pool, PoolKernel) or pool.layer.reduction != "maximum":
        return None
    if pool.layer.channels_first:  # the fused conv pools its channels-last output
        return None
    window, alone = tuple(pool.layer.pool_size), list(graph.graph.successors(producer)) == [consumer]
    if pool.layer.padding != "valid" or tuple(pool.layer.window_strides) != window or producer in graph.outputs:
        return None
    if not alone or kernels[producer].layer.activation not in MONOTONIC:
        return None
    return fused(kernels[producer], pool.layer)
