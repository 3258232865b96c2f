"""DecomposedConv2D: DecomposeMe (Alvarez & Petersson, arXiv 1606.05426), a kh×kw convolution as a vertical
kh×1 convolution to `intermediate_filters` maps, a nonlinearity, and a horizontal 1×kw convolution.

Strides and dilation split by axis (the vertical stage takes the height's, the horizontal the width's),
so the output shape is the full kh×kw convolution's with the same padding, strides and dilation.
"""

import math
from typing import Literal

from pydantic import Field

from ..diagnostics import Code
from .base import ActivationName, Advice, PositiveInt, activation_suffix, known_product, register, require_known
from .conv import BaseConv, spatial_output, windows_text
from .primitives import Primitive, activation, bias, pick
from .weight_options import weight_options


@register
class DecomposedConv2D(BaseConv, weight_options("kernel", "glorot_uniform", "both stages' kernels"),
                       weight_options("bias", "zeros", "both stages' biases")):
    """No Keras equivalent: stands for Conv2D(K, (kh, 1)) + intermediate_activation + Conv2D(filters, (1, kw)).

    kernel_* and bias_* apply to both stages, as to that pair of Conv2D layers: each stage's kernel is drawn with
    its own fans (kh·C in and kh·K out for the vertical one).
    """

    rank = 2
    option_prefixes = {"vertical_kernel": "kernel", "horizontal_kernel": "kernel", "vertical_bias": "bias",
                       "horizontal_bias": "bias"}
    type: Literal["DecomposedConv2D"] = "DecomposedConv2D"
    intermediate_filters: PositiveInt = Field(description="K: maps between the vertical and horizontal stages.")
    intermediate_activation: ActivationName | None = "relu"

    def _stages(self):
        """(kernel, strides, dilation) of the vertical and of the horizontal stage."""
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.strides, self.dilation_rate
        return ((kh, 1), (sh, 1), (dh, 1)), ((1, kw), (1, sw), (1, dw))

    def intermediate_shape(self, input_shape):
        """The vertical stage's output: (batch, height out, width in, intermediate_filters)."""
        spatial = spatial_output(self, input_shape, *self._stages()[0])
        return (input_shape[0], *spatial, self.intermediate_filters)

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the channels axis")
        # The whole window first, so that an error names the kernel and the input the author wrote.
        spatial_output(self, input_shape, self.kernel_size, self.strides, self.dilation_rate)
        middle = self.intermediate_shape(input_shape)
        return (input_shape[0], *spatial_output(self, middle, *self._stages()[1]), self.filters)

    def weight_shapes(self, input_shape):
        (kh, kw), channels, middle = self.kernel_size, input_shape[-1], self.intermediate_filters
        weights = {"vertical_kernel": (kh, 1, channels, middle)}
        weights |= {"vertical_bias": (middle,)} if self.use_bias else {}
        weights |= {"horizontal_kernel": (1, kw, middle, self.filters)}
        return weights | ({"horizontal_bias": (self.filters,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        (kh, kw), middle = self.kernel_size, self.intermediate_shape(input_shape)
        vertical = known_product(middle[1:-1]) * kh * input_shape[-1] * self.intermediate_filters
        return vertical + known_product(output_shape[1:-1]) * kw * self.intermediate_filters * self.filters

    def advise(self, input_shape):
        return [*super().advise(input_shape), *self._cost_advice(input_shape)]

    def _cost_advice(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            return []
        decomposed, full = sum(self.count_params(input_shape)), self._full_params(channels)
        if decomposed <= full:
            return []
        (kh, kw), bias = self.kernel_size, int(self.use_bias)
        break_even = kh * kw * channels * self.filters / (kh * channels + kw * self.filters + bias)
        message = (f"DecomposedConv2D with intermediate_filters {self.intermediate_filters} has {decomposed:,} "
                   f"parameters, more than the {full:,} of a full {kh}×{kw} Conv2D")
        return [Advice(Code.DECOMPOSITION_COSTS_MORE, message, _saving_hint(break_even, kh, kw))]

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        vertical, horizontal = self._stages()
        return [Primitive("vertical", f"vertical conv, {windows_text(self, *vertical)}",
                          pick(weights, "vertical_kernel")),
                *bias(weights, "vertical_bias", "vertical_bias"),
                *activation(self.intermediate_activation, "intermediate_activation"),
                Primitive("horizontal", f"horizontal conv, {windows_text(self, *horizontal)}",
                          pick(weights, "horizontal_kernel")),
                *bias(weights, "horizontal_bias", "horizontal_bias"), *activation(self.activation)]

    def _full_params(self, channels: int) -> int:
        return math.prod(self.kernel_size) * channels * self.filters + (self.filters if self.use_bias else 0)

    def describe(self):
        kh, kw = self.kernel_size
        text = f"{self.filters} × {kh}×1→1×{kw} via {self.intermediate_filters}"
        text += activation_suffix(self.intermediate_activation)
        return text + (f" → {self.activation}" if self.activation not in (None, "linear") else "")


def _saving_hint(break_even: float, kh: int, kw: int) -> str:
    largest = math.ceil(break_even) - 1
    if largest < 1:
        return f"no intermediate_filters saves parameters here (break-even K ≈ {break_even:.1f}): use a Conv2D"
    return (f"decomposing saves parameters only below the break-even K ≈ {break_even:.1f}: use "
            f"intermediate_filters ≤ {largest}, or a {kh}×{kw} Conv2D")
