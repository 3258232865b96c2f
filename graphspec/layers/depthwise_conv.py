"""DepthwiseConv1D/2D and SeparableConv1D/2D: each input channel convolved with its own depth_multiplier filters
(channel c's m-th map is output channel c * depth_multiplier + m, as Keras orders them); separable adds a 1×1
convolution mixing those maps into `filters`. Keras refuses `causal` padding for both, so graphspec does too.
"""

import math
from typing import Literal

from pydantic import Field

from .base import PositiveInt, activation_suffix, known_product, register
from .windows import Windowed, input_channels, window_text
from .layout import ChannelsLayout, from_last, to_last
from .primitives import Primitive, activation, bias, pick
from .weight_options import weight_options

MULTIPLIER = Field(1, description="Output maps per input channel.")


# pydantic orders fields from the last base to the first: the layer's own, data_format, then the weight options.
class BaseDepthwiseConv(weight_options("bias", "zeros"), weight_options("depthwise", "glorot_uniform"),
                        ChannelsLayout, Windowed):
    """keras.layers.DepthwiseConv1D/2D: weights kernel (*kernel_size, C, depth_multiplier), bias (C * m,)."""

    keras_refuses_strided_dilation = False  # Keras builds and runs depthwise convolutions with both
    option_prefixes = {"kernel": "depthwise"}  # Keras 3 names the weight kernel, its options depthwise_*
    depth_multiplier: PositiveInt = MULTIPLIER

    def compute_output_shape(self, input_shape):
        maps = input_channels(self, input_shape) * self.depth_multiplier
        return from_last(self, (input_shape[0], *self.output_positions(input_shape), maps))

    def weight_shapes(self, input_shape):
        channels = input_channels(self, input_shape)
        weights = {"kernel": (*self.kernel_size, channels, self.depth_multiplier)}
        return weights | ({"bias": (channels * self.depth_multiplier,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        return known_product(to_last(self, output_shape)[1:]) * math.prod(self.kernel_size)

    def describe(self):
        multiplier = f" ×{self.depth_multiplier}" if self.depth_multiplier > 1 else ""
        return (f"depthwise {window_text(self.kernel_size)}{multiplier}{self.settings_text()}"
                f"{activation_suffix(self.activation)}")

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        return [self.sliding(), _depthwise(self.depth_multiplier, pick(weights, "kernel")), *bias(weights),
                *activation(self.activation)]


def _depthwise(multiplier: int, weights: dict) -> Primitive:
    each = "its own taps" if multiplier == 1 else f"{multiplier} sets of its own taps"
    return Primitive("depthwise", f"× kernel per channel: each channel's window by {each}", weights)


@register
class DepthwiseConv1D(BaseDepthwiseConv):
    """keras.layers.DepthwiseConv1D."""

    rank = 1
    type: Literal["DepthwiseConv1D"] = "DepthwiseConv1D"


@register
class DepthwiseConv2D(BaseDepthwiseConv):
    """keras.layers.DepthwiseConv2D."""

    rank = 2
    type: Literal["DepthwiseConv2D"] = "DepthwiseConv2D"


class BaseSeparableConv(weight_options("bias", "zeros"), weight_options("pointwise", "glorot_uniform"),
                        weight_options("depthwise", "glorot_uniform"), ChannelsLayout, Windowed):
    """keras.layers.SeparableConv1D/2D: a depthwise convolution without bias, a 1×1 convolution to `filters`, the
    bias; weights depthwise_kernel (*kernel_size, C, m), pointwise_kernel (1, ..., C * m, filters), bias."""

    keras_refuses_strided_dilation = False
    option_prefixes = {"depthwise_kernel": "depthwise", "pointwise_kernel": "pointwise"}
    filters: PositiveInt
    depth_multiplier: PositiveInt = MULTIPLIER

    def compute_output_shape(self, input_shape):
        input_channels(self, input_shape)
        return from_last(self, (input_shape[0], *self.output_positions(input_shape), self.filters))

    def weight_shapes(self, input_shape):
        channels = input_channels(self, input_shape)
        weights = {"depthwise_kernel": (*self.kernel_size, channels, self.depth_multiplier),
                   "pointwise_kernel": (*(1,) * self.rank, channels * self.depth_multiplier, self.filters)}
        return weights | ({"bias": (self.filters,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        positions = known_product(to_last(self, output_shape)[1:-1])
        maps = input_channels(self, input_shape) * self.depth_multiplier
        return positions * maps * (math.prod(self.kernel_size) + self.filters)

    def describe(self):
        multiplier = f" ×{self.depth_multiplier}" if self.depth_multiplier > 1 else ""
        return (f"{self.filters} × {window_text(self.kernel_size)} separable{multiplier}{self.settings_text()}"
                f"{activation_suffix(self.activation)}")

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        return [self.sliding(), _depthwise(self.depth_multiplier, pick(weights, "depthwise_kernel")),
                Primitive("pointwise", "1×1 convolution: each position @ pointwise_kernel", pick(weights, "pointwise_kernel")),
                *bias(weights), *activation(self.activation)]


@register
class SeparableConv1D(BaseSeparableConv):
    """keras.layers.SeparableConv1D."""

    rank = 1
    type: Literal["SeparableConv1D", "SeparableConvolution1D"] = "SeparableConv1D"


@register
class SeparableConv2D(BaseSeparableConv):
    """keras.layers.SeparableConv2D."""

    rank = 2
    type: Literal["SeparableConv2D", "SeparableConvolution2D"] = "SeparableConv2D"
