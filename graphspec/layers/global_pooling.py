"""GlobalAveragePooling1D/2D/3D and GlobalMaxPooling1D/2D/3D: one value per channel over all steps, pixels or voxels.

With keepdims the spatial axes stay as size 1: (batch, 1, 1, channels), or (batch, channels, 1, 1) channels_first.
"""

from typing import ClassVar, Literal

from pydantic import StrictBool

from .base import Layer, register, sequential_shape
from .conv import _AXES
from .layout import ChannelsLayout
from .pooling import in_layout, layout_hint
from .primitives import Primitive

_OVER = {1: "the steps", 2: "height and width", 3: "depth, height and width"}


class BaseGlobalPooling(ChannelsLayout, Layer):
    rank: ClassVar[int]
    reduction: ClassVar[str]  # what the steps or pixels become, for the diagram

    keepdims: StrictBool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.min_rank = cls.max_rank = cls.rank + 2
        cls.axes = _AXES[cls.rank]

    def compute_output_shape(self, input_shape):
        if not self.keepdims:
            return (input_shape[0], input_shape[self.channels_axis])
        return in_layout(self, input_shape, lambda shape: (shape[0], *(1,) * self.rank, shape[-1]))

    def rank_hint(self, input_shape, declare=sequential_shape):
        return layout_hint(self, input_shape, declare)

    def describe(self):
        return "keepdims" if self.keepdims else ""

    def primitives(self, input_shape):
        kept = ", axes kept as size 1" if self.keepdims else ""
        return [Primitive("pool", f"{self.reduction} over {_OVER[self.rank]}, per channel{kept}")]


@register
class GlobalAveragePooling1D(BaseGlobalPooling):
    """keras.layers.GlobalAveragePooling1D: the mean over the steps (axis 2 with channels_first); masked steps are
    left out of the mean, and no mask goes on."""

    rank = 1
    reduction = "mean"
    supports_masking = True
    type: Literal["GlobalAveragePooling1D", "GlobalAvgPool1D"] = "GlobalAveragePooling1D"


@register
class GlobalMaxPooling1D(BaseGlobalPooling):
    """keras.layers.GlobalMaxPooling1D: the maximum over the steps."""

    # Keras 3's GlobalMaxPooling1D takes no mask: padded steps count towards the maximum.
    rank = 1
    reduction = "maximum"
    type: Literal["GlobalMaxPooling1D", "GlobalMaxPool1D"] = "GlobalMaxPooling1D"


@register
class GlobalAveragePooling2D(BaseGlobalPooling):
    """keras.layers.GlobalAveragePooling2D: the mean over height and width."""

    rank = 2
    reduction = "mean"
    type: Literal["GlobalAveragePooling2D", "GlobalAvgPool2D"] = "GlobalAveragePooling2D"


@register
class GlobalMaxPooling2D(BaseGlobalPooling):
    """keras.layers.GlobalMaxPooling2D: the maximum over height and width."""

    rank = 2
    reduction = "maximum"
    type: Literal["GlobalMaxPooling2D", "GlobalMaxPool2D"] = "GlobalMaxPooling2D"


@register
class GlobalAveragePooling3D(BaseGlobalPooling):
    """keras.layers.GlobalAveragePooling3D: the mean over depth, height and width."""

    rank = 3
    reduction = "mean"
    type: Literal["GlobalAveragePooling3D", "GlobalAvgPool3D"] = "GlobalAveragePooling3D"


@register
class GlobalMaxPooling3D(BaseGlobalPooling):
    """keras.layers.GlobalMaxPooling3D: the maximum over depth, height and width."""

    rank = 3
    reduction = "maximum"
    type: Literal["GlobalMaxPooling3D", "GlobalMaxPool3D"] = "GlobalMaxPooling3D"
