"""Masking: marks the steps whose features all equal `mask_value` as padding, for the layers after it to skip."""

from typing import Literal

from pydantic import Field, StrictFloat

from .base import Layer, register
from .primitives import INPUT, Primitive


@register
class Masking(Layer):
    """keras.layers.Masking: a step of (batch, steps, features) whose features all equal mask_value is masked:
    its output is zeros, and recurrent layers and GlobalAveragePooling1D after it skip it, as after mask_zero."""

    supports_masking = True
    dtype_rule = "preserve"  # Keras computes where(mask, x, 0) in the input's own dtype

    type: Literal["Masking"] = "Masking"
    mask_value: StrictFloat = Field(0.0, description="The value that marks a padded step (in every feature).")

    def describe(self):
        return f"= {self.mask_value:g}"

    def primitives(self, input_shape):
        return [Primitive("mask", f"mask = any(x ≠ {self.mask_value:g}) over the features", consumes=(INPUT,),
                          note="passed on to the layers after"),
                Primitive("zero", "where(mask, x, 0)", consumes=(INPUT, "mask"))]
