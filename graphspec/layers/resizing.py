"""Resizing: images resized to (height, width) by keras.ops.image.resize, whatever size they come in.

Half-pixel centres; `antialias` widens the kernel when downsizing, as jax.image.resize does. Cropping or padding
to the target's aspect ratio first is not run here: crop_to_aspect_ratio and pad_to_aspect_ratio must be false.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from ..types import format_shape
from .base import PositiveInt, register
from .layout import ChannelsLayout
from .padding import SpatialLayer
from .primitives import Primitive
from .upsampling import METHODS, Interpolation


@register
class Resizing(ChannelsLayout, SpatialLayer):
    """keras.layers.Resizing: (batch, h, w, channels) -> (batch, height, width, channels), by interpolation."""

    rank = 2
    dtype_rule = "float"  # Keras's preprocessing layers cast their input to float32

    type: Literal["Resizing"] = "Resizing"
    height: PositiveInt = Field(description="Height of the output images.")
    width: PositiveInt = Field(description="Width of the output images.")
    interpolation: Interpolation = Field("bilinear", description=f"One of {', '.join(METHODS)}.")
    crop_to_aspect_ratio: StrictBool = False
    pad_to_aspect_ratio: StrictBool = False
    fill_mode: Literal["constant"] = "constant"
    fill_value: StrictFloat | StrictInt = 0.0
    antialias: StrictBool = Field(False, description="Widen the kernel when downsizing (not for nearest).")

    @field_validator("crop_to_aspect_ratio", "pad_to_aspect_ratio")
    @classmethod
    def _not_run(cls, value):
        if value:
            raise PydanticCustomError("aspect_ratio", "true is not supported: graphspec resizes to height and width "
                                                      "as they are; for the aspect ratio, crop (Cropping2D) or pad "
                                                      "(ZeroPadding2D) before the Resizing", {"stated": True})
        return value

    def compute_output_shape(self, input_shape):
        shape = self.to_last(input_shape)
        return self.from_last((shape[0], self.height, self.width, shape[-1]))

    def describe(self):
        extra = "" if self.interpolation == "bilinear" else f", {self.interpolation}"
        return f"{self.height}×{self.width}{extra}" + (", antialias" if self.antialias else "")

    def primitives(self, input_shape):
        shape = self.compute_output_shape(input_shape)
        smooth = ", antialiased" if self.antialias and self.interpolation != "nearest" else ""
        return [Primitive("resize", f"{self.interpolation} resize to {format_shape(shape)}, half-pixel centres{smooth}")]
