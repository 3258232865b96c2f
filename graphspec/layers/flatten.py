
import math
from typing import Literal

from .base import Layer, register
from .primitives import Primitive


@register
class Flatten(Layer):
    """keras.layers.Flatten: (None, 30, 2) -> (None, 60); keeps the dtype, so integer indices stay indices."""

    dtype_rule = "preserve"

    type: Literal["Flatten"] = "Flatten"

    def compute_output_shape(self, input_shape):
        dims = input_shape[1:]
        return (input_shape[0], None if None in dims else math.prod(dims))

    def primitives(self, input_shape):
        return [Primitive("reshape", "reshape to (batch, features), row-major", note="no value changes")]
