"""Conv1D, Conv2D and Conv3D: one rule, stated once for any number of spatial axes (the window fields and helpers
they share with the rest of the family and with pooling are in windows.py)."""

import math
from typing import Annotated, Literal

from pydantic import BeforeValidator, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from .base import PositiveInt, ShapeError, activation_suffix, known_product, register
from .layout import ChannelsLayout, from_last, to_last
from .primitives import Primitive, activation, bias
from .weight_options import weight_options
from .windows import (_AXES, Windowed, channels_hint, input_channels, spatial_output,  # noqa: F401
                      window_text, windows_text)  # pooling and decomposed_conv import these from here

# Keras lets Conv1D (and only it in the family) pad `causal`: zeros before the steps only.
CausalPadding = Annotated[Literal["valid", "same", "causal"],
                          BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v)]



class BaseConv(Windowed):
    """A full convolution: every output filter sums over the whole window of (a group of) the input channels."""

    filters: PositiveInt

    def kernel_channels(self, channels: int) -> int:
        """The input channels each filter sees."""
        return channels

    def compute_output_shape(self, input_shape):
        self.kernel_channels(input_channels(self, input_shape))
        return from_last(self, (input_shape[0], *self.output_positions(input_shape), self.filters))

    def weight_shapes(self, input_shape):
        channels = self.kernel_channels(input_channels(self, input_shape))
        weights = {"kernel": (*self.kernel_size, channels, self.filters)}
        return weights | ({"bias": (self.filters,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        positions = known_product(to_last(self, output_shape)[1:-1])
        return positions * math.prod(self.weight_shapes(input_shape)["kernel"])

    def describe(self):
        return (f"{self.filters} × {window_text(self.kernel_size)}{self.settings_text()}"
                f"{activation_suffix(self.activation)}")

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        return [self.sliding(), Primitive("kernel", "× kernel, summed over each window", {"kernel": weights["kernel"]}),
                *bias(weights), *activation(self.activation)]


# pydantic orders fields from the last base to the first: the layer's own, data_format, then the weight options.
class Conv(weight_options("bias", "zeros"), weight_options("kernel", "glorot_uniform"), ChannelsLayout, BaseConv):
    """keras.layers.Conv1D/2D/3D's arguments beyond the shared ones: groups, data_format, the weight options."""

    groups: PositiveInt = 1

    @field_validator("groups")
    @classmethod
    def _groups_divide_filters(cls, groups, info: ValidationInfo):
        filters = info.data.get("filters")
        if filters is not None and filters % groups:
            raise PydanticCustomError("groups_divide_filters", "filters ({filters}) must be divisible by groups "
                                      "({groups}), as Keras requires", {"filters": filters, "groups": groups, "stated": True,
                                      "hint": f"use a groups value that divides both filters {filters} and the "
                                              "input's channels"})
        return groups

    def kernel_channels(self, channels):
        if channels % self.groups:
            raise ShapeError(f"the input has {channels} channels, which groups {self.groups} does not divide",
                             f"use a groups value that divides both {channels} and filters {self.filters}",
                             Code.SHAPE_MISMATCH, field="groups")
        return channels // self.groups

    def describe(self):
        grouped = f" in {self.groups} groups" if self.groups > 1 else ""
        return (f"{self.filters} × {window_text(self.kernel_size)}{grouped}{self.settings_text()}"
                f"{activation_suffix(self.activation)}")

    def primitives(self, input_shape):
        if self.groups == 1:
            return super().primitives(input_shape)
        weights = self.weight_shapes(input_shape)
        label = (f"× kernel per group: {self.groups} groups of {weights['kernel'][-2]} channels, "
                 f"{self.filters // self.groups} filters each, summed over each window")
        return [self.sliding(), Primitive("kernel", label, {"kernel": weights["kernel"]}), *bias(weights),
                *activation(self.activation)]


@register
class Conv1D(Conv):
    """keras.layers.Conv1D; `causal` padding puts (kernel_size - 1) * dilation_rate zeros before the steps."""

    rank = 1
    type: Literal["Conv1D", "Convolution1D"] = "Conv1D"
    padding: CausalPadding = "valid"


@register
class Conv2D(Conv):
    """keras.layers.Conv2D."""

    rank = 2
    type: Literal["Conv2D", "Convolution2D"] = "Conv2D"


@register
class Conv3D(Conv):
    """keras.layers.Conv3D."""

    rank = 3
    type: Literal["Conv3D", "Convolution3D"] = "Conv3D"
