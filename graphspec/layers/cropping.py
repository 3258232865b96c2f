"""Cropping1D/2D/3D: rows, columns or frames cut off the start and end of each spatial axis.

The values take ZeroPadding's forms (padding.py). Keras 3's Cropping1D has no data_format: it crops axis 1.
"""

from typing import Literal

from pydantic import Field, field_validator

from ..diagnostics import Code
from ..dim_rules import surely_empty
from ..types import format_shape
from .base import ShapeError, register
from .layout import ChannelsLayout, from_last, to_last
from .padding import PerAxisPairs, SpatialLayer, amounts_text, stored_pairs
from .primitives import Primitive


_NOUNS = {1: ["steps"], 2: ["rows", "columns"], 3: ["depth slices", "rows", "columns"]}  # what each axis holds


class BaseCropping(SpatialLayer):
    cropping: PerAxisPairs

    @field_validator("cropping")
    @classmethod
    def _pairs(cls, value):
        return stored_pairs(value, cls.rank)

    @property
    def crops(self) -> tuple[tuple[int, int], ...]:
        return (self.cropping,) if self.rank == 1 else self.cropping

    def compute_output_shape(self, input_shape):
        shape = to_last(self, input_shape)
        spatial = [None if n is None else n - a - b for n, (a, b) in zip(shape[1:-1], self.crops)]
        emptied = [i for i, n in enumerate(spatial) if surely_empty(n)]
        if emptied:
            (a, b), size, noun = self.crops[emptied[0]], shape[1 + emptied[0]], _NOUNS[self.rank][emptied[0]]
            raise ShapeError(f"cropping crops {a} + {b} of the {size} {noun} of the input {format_shape(input_shape)}: "
                             "nothing is left", "crop less than each spatial size: before + after must stay below "
                             "it", Code.EMPTY_OUTPUT, "cropping")
        return from_last(self, (shape[0], *spatial, shape[-1]))

    def describe(self):
        return f"crop {amounts_text(self.crops)}"

    def primitives(self, input_shape):
        return [Primitive("crop", f"cut off: {amounts_text(self.crops)}")]


@register
class Cropping1D(BaseCropping):
    """keras.layers.Cropping1D: steps cut off (batch, steps, features); cropping 1 or [before, after]."""

    rank = 1
    type: Literal["Cropping1D"] = "Cropping1D"
    cropping: PerAxisPairs = Field((1, 1), description="Steps cut off the start and end: a number or [before, after].")


@register
class Cropping2D(ChannelsLayout, BaseCropping):
    """keras.layers.Cropping2D: cropping 2, [2, 4] (height, width) or [[top, bottom], [left, right]]."""

    rank = 2
    type: Literal["Cropping2D"] = "Cropping2D"
    cropping: PerAxisPairs = Field(((0, 0), (0, 0)), description="A number, one per axis [height, width], "
                                                                 "or [[top, bottom], [left, right]].")


@register
class Cropping3D(ChannelsLayout, BaseCropping):
    """keras.layers.Cropping3D: cropping 1, [1, 2, 2] (one per axis) or a [before, after] pair per axis."""

    rank = 3
    type: Literal["Cropping3D"] = "Cropping3D"
    cropping: PerAxisPairs = Field(((1, 1), (1, 1), (1, 1)), description="A number, one per axis [depth, height, "
                                                                          "width], or a [before, after] pair per axis.")
