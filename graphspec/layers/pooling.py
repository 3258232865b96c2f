"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: a window slides as in convolution, but has no weights.

Keras 3 gives MaxPooling a default pool_size of 2 per axis; AveragePooling has none: pool_size is required.
"""

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from ..types import format_shape
from .base import Layer, Padding, PerAxis, ShapeError, register, sequential_shape, spatial_tuple
from .conv import _AXES, channels_hint, spatial_output, window_text, windows_text
from .layout import ChannelsLayout
from .primitives import Primitive


def in_layout(layer, input_shape, rule):
    """rule(channels-last shape) -> channels-last shape, stated in the layer's data_format; an error quotes the
    input as given."""
    last = layer.to_last(input_shape)
    try:
        return layer.from_last(rule(last))
    except ShapeError as error:
        if layer.channels_first:
            error.message = error.message.replace(format_shape(last), f"{format_shape(input_shape)} (channels_first)")
        raise


def layout_hint(layer, input_shape, declare) -> str | None:
    """The missing-channels hint assumes channels-last."""
    return None if layer.channels_first else channels_hint(layer, input_shape, declare)


POOL_SIZE = "Window size: one per spatial axis, or one for all."


class BasePooling(ChannelsLayout, Layer):
    rank: ClassVar[int]
    reduction: ClassVar[str]  # what a window becomes, for the diagram

    pool_size: PerAxis = Field(2, description=POOL_SIZE)
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
        return in_layout(self, input_shape, self._pooled)

    def _pooled(self, shape):
        out = spatial_output(self, shape, self.pool_size, self.window_strides, (1,) * self.rank)
        return (shape[0], *out, shape[-1])

    def rank_hint(self, input_shape, declare=sequential_shape):
        return layout_hint(self, input_shape, declare)

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
    """keras.layers.MaxPooling1D."""

    rank = 1
    reduction = "maximum"
    type: Literal["MaxPooling1D", "MaxPool1D"] = "MaxPooling1D"


@register
class MaxPooling2D(BasePooling):
    """keras.layers.MaxPooling2D."""

    rank = 2
    reduction = "maximum"
    type: Literal["MaxPooling2D", "MaxPool2D"] = "MaxPooling2D"


@register
class AveragePooling1D(BasePooling):
    """keras.layers.AveragePooling1D; with `same`, the padding is left out of each average."""

    rank = 1
    reduction = "mean"
    type: Literal["AveragePooling1D", "AvgPool1D"] = "AveragePooling1D"
    pool_size: PerAxis = Field(description=POOL_SIZE)


@register
class AveragePooling2D(BasePooling):
    """keras.layers.AveragePooling2D; with `same`, the padding is left out of each average."""

    rank = 2
    reduction = "mean"
    type: Literal["AveragePooling2D", "AvgPool2D"] = "AveragePooling2D"
    pool_size: PerAxis = Field(description=POOL_SIZE)


@register
class MaxPooling3D(BasePooling):
    """keras.layers.MaxPooling3D: over depth, height and width (video clips, volumes)."""

    rank = 3
    reduction = "maximum"
    type: Literal["MaxPooling3D", "MaxPool3D"] = "MaxPooling3D"


@register
class AveragePooling3D(BasePooling):
    """keras.layers.AveragePooling3D; with `same`, the padding is left out of each average."""

    rank = 3
    reduction = "mean"
    type: Literal["AveragePooling3D", "AvgPool3D"] = "AveragePooling3D"
    pool_size: PerAxis = Field(description=POOL_SIZE)
