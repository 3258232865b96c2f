"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: the adjoint of a convolution (what its gradient does to
its input), used to upsample. Each input position spreads its kernel_size window of `filters` values onto the
output at `strides` steps; the windows overlap and add. Keras's length rule, per axis, with span the dilated kernel:
valid (n - 1) * stride + max(span, stride), or + span + output_padding; same n * stride, or
(n - 1) * stride + span % 2 + output_padding. The kernel is (*kernel_size, filters, C): a Conv's, in and out swapped.
"""

import math
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..dim_rules import surely_empty
from ..types import format_shape
from .arith import conv_transpose_length
from .base import PerAxis, PositiveInt, ShapeError, activation_suffix, register
from .windows import Windowed, input_channels, window_text
from .layout import ChannelsLayout, from_last, to_last
from .primitives import Primitive, activation, bias, pick
from .weight_options import weight_options


# pydantic orders fields from the last base to the first: the layer's own, data_format, then the weight options.
class BaseConvTranspose(weight_options("bias", "zeros"), weight_options("kernel", "glorot_uniform"), ChannelsLayout,
                        Windowed):
    filters: PositiveInt
    output_padding: PerAxis | None = Field(None, description="Extra positions at the end of each axis, each below "
                                                             "its stride; default: Keras's rule for the padding.")

    @field_validator("output_padding")
    @classmethod
    def _below_strides(cls, value, info: ValidationInfo):
        if value is None:
            return None
        values = (value,) * cls.rank if isinstance(value, int) else tuple(value)
        if len(values) != cls.rank:
            raise PydanticCustomError("tuple_length", "needs 1 or {rank} values (one per spatial axis)",
                                      {"rank": cls.rank})
        if min(values) < 0:
            raise PydanticCustomError("negative", "values must be 0 or more")
        strides = info.data.get("strides")
        if strides is not None and any(p >= s for p, s in zip(values, strides)):
            raise PydanticCustomError("output_padding_stride", "each output_padding must be smaller than its "
                                      "stride (strides {strides}), as Keras requires", {"strides": list(strides)})
        return values

    def output_positions(self, input_shape):
        shape = to_last(self, input_shape)
        padding = self.output_padding or (None,) * self.rank
        out = tuple(conv_transpose_length(n, k, s, self.padding, p, d) for n, k, s, p, d
                    in zip(shape[1:-1], self.kernel_size, self.strides, padding, self.dilation_rate))
        if any(surely_empty(n) for n in out):
            raise ShapeError(f"a transposed {window_text(self.kernel_size)} convolution with padding same and "
                             f"output_padding {self.output_padding} gives no output for {format_shape(input_shape)}",
                             "raise output_padding (below strides), use an odd kernel, or padding valid",
                             Code.EMPTY_OUTPUT, field="output_padding")
        return out

    def compute_output_shape(self, input_shape):
        input_channels(self, input_shape)
        return from_last(self, (input_shape[0], *self.output_positions(input_shape), self.filters))

    def weight_shapes(self, input_shape):
        weights = {"kernel": (*self.kernel_size, self.filters, input_channels(self, input_shape))}
        return weights | ({"bias": (self.filters,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        """Per input position: its channels times every tap of every filter."""
        positions = math.prod(d for d in to_last(self, input_shape)[1:-1] if d is not None)
        return positions * math.prod(self.weight_shapes(input_shape)["kernel"])

    def describe(self):
        return (f"{self.filters} × {window_text(self.kernel_size)} transposed{self.settings_text()}"
                f"{activation_suffix(self.activation)}")

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        steps = "" if set(self.strides) == {1} else f" at strides {window_text(self.strides)}"
        spread = "" if set(self.dilation_rate) == {1} else f", taps dilated {window_text(self.dilation_rate)}"
        extra = f", output_padding {window_text(self.output_padding)}" if self.output_padding else ""
        return [Primitive("project", f"each input position @ kernel: {window_text(self.kernel_size)} taps × "
                                     f"{self.filters} filters{spread}", pick(weights, "kernel")),
                Primitive("scatter", f"overlap-add the windows{steps}, cropped to padding {self.padding}{extra}"),
                *bias(weights), *activation(self.activation)]


@register
class Conv1DTranspose(BaseConvTranspose):
    """keras.layers.Conv1DTranspose."""

    rank = 1
    type: Literal["Conv1DTranspose", "Convolution1DTranspose"] = "Conv1DTranspose"


@register
class Conv2DTranspose(BaseConvTranspose):
    """keras.layers.Conv2DTranspose."""

    rank = 2
    type: Literal["Conv2DTranspose", "Convolution2DTranspose"] = "Conv2DTranspose"


@register
class Conv3DTranspose(BaseConvTranspose):
    """keras.layers.Conv3DTranspose."""

    rank = 3
    type: Literal["Conv3DTranspose", "Convolution3DTranspose"] = "Conv3DTranspose"
