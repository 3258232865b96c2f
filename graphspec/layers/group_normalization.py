"""GroupNormalization: each sample's channels split into groups, each group normalised over its channels and the
other axes; with groups -1 (one channel a group) it is instance normalisation."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..types import format_shape
from .axis import layer_axis
from .base import Layer, ShapeError, register, require_known
from .normalization import ScaleAndShift, _affine, _elements, _scale_and_shift
from .primitives import Primitive


def _groups(value: int) -> int:
    if value <= 0 and value != -1:
        raise PydanticCustomError("groups", "groups must be positive, or -1 for one group per channel "
                                  "(instance normalisation)")
    return value


@register
class GroupNormalization(Layer, *ScaleAndShift):
    """keras.layers.GroupNormalization: the channels of `axis` in `groups` groups of equal size; each sample's
    group is normalised by its own mean and variance, then scaled and shifted per channel."""

    supports_masking = True

    type: Literal["GroupNormalization"] = "GroupNormalization"
    groups: Annotated[StrictInt, AfterValidator(_groups)] = Field(
        32, description="How many groups the channels form; it must divide them. -1: one channel a group.")
    axis: StrictInt = Field(-1, description="The channels axis: -1, or 1 for channels_first.")
    epsilon: StrictFloat = Field(1e-3, gt=0)
    center: StrictBool = True
    scale: StrictBool = True

    def group_count(self, input_shape) -> int:
        channels = input_shape[layer_axis(self, self.axis, input_shape)]
        return channels if self.groups == -1 else self.groups

    def compute_output_shape(self, input_shape):
        axis = layer_axis(self, self.axis, input_shape)
        channels = require_known(input_shape, axis, f"axis {self.axis} (the channels GroupNormalization groups)")
        groups = self.group_count(input_shape)
        if channels < groups or channels % groups:
            many = "more groups than channels" if channels < groups else "groups that do not divide the channels"
            divisors = [g for g in range(1, channels + 1) if channels % g == 0]
            raise ShapeError(f"GroupNormalization groups {groups} on {channels} channels (axis {self.axis} of "
                             f"{format_shape(input_shape)}): {many}",
                             f"use a divisor of {channels}: {', '.join(map(str, divisors[-6:]))}, or -1 for one "
                             "channel a group", Code.SHAPE_MISMATCH, "groups")
        return input_shape

    def weight_shapes(self, input_shape):
        return _scale_and_shift(self, (input_shape[self.axis],))

    def macs(self, input_shape, output_shape):
        return _elements(input_shape)

    def describe(self):
        return "instance" if self.groups == -1 else f"{self.groups} groups"

    def primitives(self, input_shape):
        groups = self.group_count(input_shape)
        normalise = Primitive("normalise", f"(x − mean) / √(variance + {self.epsilon:g})",
                              note=f"mean and variance of each sample's {groups} channel groups, over the group's "
                                   "channels and every other axis")
        return [normalise, *_affine(self.weight_shapes(input_shape))]
