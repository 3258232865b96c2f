from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictFloat, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import InputShape, Layer, ShapeError, register
from .primitives import Primitive


@register
class Dropout(Layer):
    """keras.layers.Dropout: zeroes a fraction `rate` of the inputs while training; the identity at inference."""

    supports_masking = True

    type: Literal["Dropout"] = "Dropout"
    rate: StrictFloat = Field(ge=0, le=1, description="Fraction of the inputs to drop while training.")
    noise_shape: InputShape | None = Field(None, description="Shape of the drop mask, with the batch, e.g. "
                                                             "[null, 1, 64] to drop the same features at every step.")
    seed: StrictInt | None = None

    def compute_output_shape(self, input_shape):
        if self.noise_shape is not None and not self._broadcasts(input_shape):
            raise ShapeError(f"noise_shape {format_shape(self.noise_shape)} does not fit the input "
                             f"{format_shape(input_shape)}", "give noise_shape one size per input axis, "
                             "each equal to the input's, 1 (shared) or null", Code.SHAPE_MISMATCH, "noise_shape")
        return input_shape

    def _broadcasts(self, input_shape) -> bool:
        pairs = zip(self.noise_shape, input_shape)
        return len(self.noise_shape) == len(input_shape) and all(n in (None, 1, d) or d is None for n, d in pairs)

    def describe(self):
        return f"{self.rate:g}"

    def primitives(self, input_shape):
        return [Primitive("drop", f"× random mask of 0 (rate {self.rate:g}) and 1 / (1 − rate)",
                          note="while training; the identity at inference")]
