"""Softmax as a layer, over one axis or several (keras/src/layers/activations/softmax.py)."""

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .axis import layer_axis
from .base import Layer, ShapeError, register
from .primitives import Primitive


@register
class Softmax(Layer):
    """keras.layers.Softmax: exp(x) / sum(exp(x)) over `axis`. A mask reaching it (from an Embedding with mask_zero,
    say) puts -1e9 at the masked positions before and 0 after, aligned with the input's LAST axes as NumPy
    broadcasts: Keras refuses a mask that does not broadcast so, such as an Embedding's (batch, steps) mask on its
    (batch, steps, features) output."""

    supports_masking = True

    type: Literal["Softmax"] = "Softmax"
    axis: StrictInt | Annotated[list[StrictInt], Field(min_length=1)] = Field(-1, description="The axis, or list of axes, to normalise over.")

    def normalised_axes(self, input_shape) -> tuple[int, ...]:
        """The axes as indices into the input shape, each once."""
        axes = [layer_axis(self, a, input_shape) for a in ([self.axis] if isinstance(self.axis, int) else self.axis)]
        if len(set(axes)) < len(axes):
            raise ShapeError(f"Softmax axis {self.axis} names an axis of {format_shape(input_shape)} twice",
                             "list each axis once", Code.BAD_AXIS, "axis")
        return tuple(axes)

    def compute_output_shape(self, input_shape):
        self.normalised_axes(input_shape)
        return input_shape

    def describe(self):
        return f"axis {self.axis}" if isinstance(self.axis, int) else f"axes {', '.join(map(str, self.axis))}"

    def primitives(self, input_shape):
        over = self.describe()
        return [Primitive("exp", f"exp(x − max over {over})"), Primitive("normalise", f"÷ sum over {over}")]
