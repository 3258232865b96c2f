"""Resizing: images resized to (height, width) by keras.ops.image.resize, whatever size they come in.

Half-pixel centres; `antialias` widens the kernel when downsizing, as jax.image.resize does. crop_to_aspect_ratio
first takes the largest central window of the target's aspect ratio; pad_to_aspect_ratio first pads the short side
with fill_value (the same number of rows or columns on both sides, rounded down, as Keras pads); one or the other.
Integer images (uint8, say) come back in their dtype, rounded and clipped to its range, as Keras 3 computes them
(though Keras's symbolic output claims float32); where the exact value is a tie (x.5, frequent with bilinear) JAX's
float32 sums may round it the other way, 1 apart.
"""

from typing import Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..types import format_shape
from .base import Advice, PositiveInt, register
from .layout import ChannelsLayout
from .padding import SpatialLayer
from .primitives import Primitive
from .upsampling import METHODS, Interpolation


@register
class Resizing(ChannelsLayout, SpatialLayer):
    """keras.layers.Resizing: (batch, h, w, channels) -> (batch, height, width, channels), by interpolation."""

    rank = 2
    dtype_rule = "preserve"  # Keras resizes integer images in float, then rounds them back to their own dtype

    type: Literal["Resizing"] = "Resizing"
    height: PositiveInt = Field(description="Height of the output images.")
    width: PositiveInt = Field(description="Width of the output images.")
    interpolation: Interpolation = Field("bilinear", description=f"One of {', '.join(METHODS)}.")
    crop_to_aspect_ratio: StrictBool = Field(False, description="First crop the largest central window with the "
                                                                 "aspect ratio height : width (no distortion).")
    pad_to_aspect_ratio: StrictBool = Field(False, description="First pad the short side with fill_value to the "
                                                                "aspect ratio height : width (no distortion).")
    fill_mode: Literal["constant"] = Field("constant", description="How pad_to_aspect_ratio fills: Keras has only "
                                                                   "constant.")
    fill_value: StrictFloat | StrictInt = Field(0.0, description="The value pad_to_aspect_ratio pads with.")
    antialias: StrictBool = Field(False, description="Widen the kernel when downsizing (not for nearest).")

    @model_validator(mode="after")
    def _crop_or_pad(self):
        if self.crop_to_aspect_ratio and self.pad_to_aspect_ratio:
            raise PydanticCustomError("aspect_ratio", "crop_to_aspect_ratio and pad_to_aspect_ratio are both true: "
                                      "Keras takes only one of them (crop the image to the aspect ratio, or pad it)")
        return self

    def compute_output_shape(self, input_shape):
        shape = self.to_last(input_shape)
        return self.from_last((shape[0], self.height, self.width, shape[-1]))

    @property
    def smooths(self) -> bool:
        """Keras ignores antialias for nearest (every backend: torch sets it to False, JAX's and NumPy's nearest
        reads no kernel)."""
        return self.antialias and self.interpolation != "nearest"

    def advise(self, input_shape):
        if self.antialias and not self.smooths:
            return [Advice(Code.IGNORED_FIELD, "antialias has no effect with interpolation nearest: Keras ignores it",
                           "leave antialias out, or choose bilinear, bicubic, lanczos3 or lanczos5 to smooth when "
                           "downsizing", "antialias")]
        return []

    def describe(self):
        extra = "" if self.interpolation == "bilinear" else f", {self.interpolation}"
        fit = ", crop to ratio" if self.crop_to_aspect_ratio else ", pad to ratio" if self.pad_to_aspect_ratio else ""
        return f"{self.height}×{self.width}{extra}" + (", antialias" if self.smooths else "") + fit

    def primitives(self, input_shape):
        shape = self.compute_output_shape(input_shape)
        smooth = ", antialiased" if self.smooths else ""
        resize = Primitive("resize", f"{self.interpolation} resize to {format_shape(shape)}, half-pixel centres{smooth}")
        ratio = f"{self.height} : {self.width}"
        if self.crop_to_aspect_ratio:
            return [Primitive("crop", f"largest central window of aspect ratio {ratio}"), resize]
        if self.pad_to_aspect_ratio:
            return [Primitive("pad", f"pad the short side with {self.fill_value:g} towards aspect ratio {ratio}"),
                    resize]
        return [resize]
