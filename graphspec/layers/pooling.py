"""MaxPooling1D/2D and AveragePooling1D/2D: a window slides as in convolution, but has no weights."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from .base import Layer, Padding, PerAxis, register, sequential_shape, spatial_tuple
from .conv import _AXES, channels_hint, spatial_output, window_text, windows_text
from .primitives import Primitive


class BasePooling(Layer):
    rank: ClassVar[int]
    reduction: ClassVar[str]  # what a window becomes, for the diagram

    pool_size: PerAxis = 2
    strides: PerAxis | None = Field(None, description="Step between windows; default: pool_size.")
    padding: Padding = "valid"

    @field_validator("pool_size", "strides")
    @classmethod
    def _one_per_axis(cls, value):
        return None if value is None else spatial_tuple(value, cls.rank)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.min_rank = cls.max_rank = cls.rank + 2
        cls.axes = _AXES[cls.rank]

    @property
    def window_strides(self) -> tuple[int, ...]:
        """Keras's strides=None: windows side by side, not overlapping."""
        return self.strides or self.pool_size

    def compute_output_shape(self, input_shape):
        out = spatial_output(self, input_shape, self.pool_size, self.window_strides, (1,) * self.rank)
        return (input_shape[0], *out, input_shape[-1])

    def rank_hint(self, input_shape, declare=sequential_shape):
        return channels_hint(self, input_shape, declare)

    def describe(self):
        text = window_text(self.pool_size)
        if self.window_strides != self.pool_size:
            text += f", strides {window_text(self.window_strides)}"
        return text + (", same" if self.padding == "same" else "")

    def primitives(self, input_shape):
        sliding = windows_text(self, self.pool_size, self.window_strides, (1,) * self.rank)
        return [Primitive("windows", f"sliding {sliding}"),
                Primitive("pool", f"{self.reduction} of each window, per channel")]


@register
class MaxPooling1D(BasePooling):
    """keras.layers.MaxPooling1D, channels-last."""

    rank = 1
    reduction = "maximum"
    type: Literal["MaxPooling1D", "MaxPool1D"] = "MaxPooling1D"


@register
class MaxPooling2D(BasePooling):
    """keras.layers.MaxPooling2D, channels-last."""

    rank = 2
    reduction = "maximum"
    type: Literal["MaxPooling2D", "MaxPool2D"] = "MaxPooling2D"


@register
class AveragePooling1D(BasePooling):
    """keras.layers.AveragePooling1D, channels-last; with `same`, the padding is left out of each average."""

    rank = 1
    reduction = "mean"
    type: Literal["AveragePooling1D", "AvgPool1D"] = "AveragePooling1D"


@register
class AveragePooling2D(BasePooling):
    """keras.layers.AveragePooling2D, channels-last; with `same`, the padding is left out of each average."""

    rank = 2
    reduction = "mean"
    type: Literal["AveragePooling2D", "AvgPool2D"] = "AveragePooling2D"
