"""UnitNormalization: each sample scaled to unit L2 norm over `axis`."""

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from .base import Layer, known_product, register
from .normalization import distinct_axes
from .primitives import Primitive


@register
class UnitNormalization(Layer):
    """keras.layers.UnitNormalization: x / ‖x‖₂ over `axis` (an axis or several), with no weights; a zero vector
    stays zero."""

    supports_masking = True

    type: Literal["UnitNormalization"] = "UnitNormalization"
    axis: StrictInt | Annotated[list[StrictInt], Field(min_length=1)] = Field(
        -1, description="The axis or axes whose L2 norm becomes 1.")

    def _axes(self) -> list[int]:
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def compute_output_shape(self, input_shape):
        distinct_axes(self, self._axes(), input_shape)
        return input_shape

    def macs(self, input_shape, output_shape):
        """One multiply-add per element for the sum of squares, one multiply for the scaling."""
        return 2 * known_product(input_shape[1:])

    def describe(self):
        return "" if self.axis == -1 else f"axis {self.axis}"

    def primitives(self, input_shape):
        return [Primitive("normalise", f"x · min(1 / √(Σ x²), 10¹²) over axis {self.axis}")]
