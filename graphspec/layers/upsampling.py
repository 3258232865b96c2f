"""UpSampling1D/2D/3D: each step, pixel or voxel repeated `size` times along its axis (UpSampling2D may interpolate).

Keras 3's UpSampling1D takes one int and has no data_format; UpSampling2D's `interpolation` other than nearest
resizes with keras.ops.image.resize (half-pixel centres, no antialiasing), as Resizing does.
"""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from ..types import format_shape
from .base import PerAxis, PositiveInt, register, spatial_tuple
from .conv import window_text
from .layout import ChannelsLayout, from_last, to_last
from .padding import SpatialLayer
from .primitives import Primitive

METHODS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")  # what keras.ops.image.resize runs on JAX


def _known_method(value):
    if value == "area":
        raise PydanticCustomError("interpolation_backend", "'area' runs on Keras's TensorFlow backend only (JAX and "
                                                           "torch refuse it); graphspec runs {methods}",
                                  {"methods": ", ".join(METHODS), "stated": True})
    return value


# Resizing takes the name as written; UpSampling2D lower-cases it first, as Keras does.
Interpolation = Annotated[Literal[METHODS], BeforeValidator(_known_method)]


class BaseUpSampling(SpatialLayer):
    size: PerAxis

    @field_validator("size")
    @classmethod
    def _one_per_axis(cls, value):
        return spatial_tuple(value, cls.rank)

    @property
    def factors(self) -> tuple[int, ...]:
        return self.size

    def compute_output_shape(self, input_shape):
        shape = to_last(self, input_shape)
        spatial = [None if n is None else n * f for n, f in zip(shape[1:-1], self.factors)]
        return from_last(self, (shape[0], *spatial, shape[-1]))

    def describe(self):
        return f"× {window_text(self.factors)}"

    def primitives(self, input_shape):
        return [Primitive("repeat", f"each element repeated {window_text(self.factors)}")]


@register
class UpSampling1D(BaseUpSampling):
    """keras.layers.UpSampling1D: each step repeated `size` times, (batch, steps, features)."""

    rank = 1
    type: Literal["UpSampling1D"] = "UpSampling1D"
    size: PositiveInt = Field(2, description="How many times each step is repeated (one whole number).")

    @field_validator("size", mode="before")
    @classmethod
    def _one_per_axis(cls, value):
        if isinstance(value, (list, tuple)):
            raise PydanticCustomError("one_size", "Keras's UpSampling1D takes one whole number, not a list")
        return value

    @property
    def factors(self) -> tuple[int, ...]:
        return (self.size,)


@register
class UpSampling2D(ChannelsLayout, BaseUpSampling):
    """keras.layers.UpSampling2D: rows and columns repeated (nearest), or the image resized by `size` (bilinear...)."""

    rank = 2
    type: Literal["UpSampling2D"] = "UpSampling2D"
    size: PerAxis = Field((2, 2), description="Factor per axis [height, width], or one for both.")
    interpolation: Annotated[Interpolation, BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v)] = \
        Field("nearest", description=f"How new pixels are made: {', '.join(METHODS)}.")

    @property
    def dtype_rule(self):
        """Repeating keeps the dtype; interpolating computes in float, as keras.ops.image.resize does."""
        return "preserve" if self.interpolation == "nearest" else "float"

    def describe(self):
        return super().describe() + ("" if self.interpolation == "nearest" else f", {self.interpolation}")

    def primitives(self, input_shape):
        if self.interpolation == "nearest":
            return super().primitives(input_shape)
        shape = self.compute_output_shape(input_shape)
        return [Primitive("resize", f"{self.interpolation} resize to {format_shape(shape)}, half-pixel centres")]


@register
class UpSampling3D(ChannelsLayout, BaseUpSampling):
    """keras.layers.UpSampling3D: each voxel repeated `size` times along depth, height and width."""

    rank = 3
    type: Literal["UpSampling3D"] = "UpSampling3D"
    size: PerAxis = Field((2, 2, 2), description="Factor per axis [depth, height, width], or one for all.")
