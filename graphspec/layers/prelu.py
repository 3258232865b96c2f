"""PReLU: the leaky ReLU whose negative slopes are weights (keras/src/layers/activations/prelu.py)."""

from typing import Literal

from pydantic import Field, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import Layer, ShapeError, known_product, register
from .primitives import Primitive
from .weight_options import weight_options


@register
class PReLU(Layer, weight_options("alpha", "zeros")):
    """keras.layers.PReLU: max(x, 0) − alpha × max(−x, 0), alpha one weight per input element except along
    `shared_axes`, where one slope serves the whole axis (the spatial axes of a conv feature map, say)."""

    supports_masking = True

    type: Literal["PReLU"] = "PReLU"
    shared_axes: StrictInt | list[StrictInt] | None = Field(
        None, description="Axes (1 is the first after the batch) that share one slope, e.g. [1, 2] for images.")

    def _shared(self, input_shape) -> set[int]:
        axes = [] if self.shared_axes is None else (
            [self.shared_axes] if isinstance(self.shared_axes, int) else self.shared_axes)
        rank = len(input_shape)
        bad = [a for a in axes if not 1 <= a < rank]
        if bad:
            raise ShapeError(f"PReLU shared_axes {bad[0]} is not an axis after the batch of the input "
                             f"{format_shape(input_shape)}", f"use axes from 1 to {rank - 1}: Keras counts "
                             "them from the batch axis 0 and reads a negative one as another axis",
                             Code.BAD_AXIS, "shared_axes")
        return set(axes)

    def compute_output_shape(self, input_shape):
        self.weight_shapes(input_shape)
        return input_shape

    def weight_shapes(self, input_shape):
        shared = self._shared(input_shape)
        unknown = [i for i in range(1, len(input_shape)) if i not in shared and input_shape[i] is None]
        if unknown:
            raise ShapeError(f"PReLU needs a slope per element, but axis {unknown[0]} of the input "
                             f"{format_shape(input_shape)} has no fixed size",
                             f"share that axis (shared_axes: [{unknown[0]}]) or give it a fixed size",
                             Code.UNKNOWN_DIMENSION, "shared_axes")
        return {"alpha": tuple(1 if i in shared else input_shape[i] for i in range(1, len(input_shape)))}

    def macs(self, input_shape, output_shape):
        return known_product(input_shape[1:])

    def describe(self):
        if self.shared_axes is None:
            return ""
        axes = [self.shared_axes] if isinstance(self.shared_axes, int) else self.shared_axes
        return f"shared axes {', '.join(map(str, axes))}"

    def primitives(self, input_shape):
        return [Primitive("prelu", "max(x, 0) − alpha · max(−x, 0)", self.weight_shapes(input_shape))]
