"""Dot: the dot product of two inputs along one axis of each, sample by sample (keras/src/layers/merging/dot.py)."""

import warnings
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import Forms, ShapeError, known_product, register
from .merge import Merge
from .primitives import Primitive


# Keras names Dot's field `axes`, which is also Layer's class constant naming the axes in rank errors; the field
# shadows it on Dot alone, and pydantic's warning about that is expected.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "axes"', category=UserWarning)

    @register
    class Dot(Merge):
        """keras.layers.Dot: sums x1 × x2 over axes[0] of x1 and axes[1] of x2 (Keras's batch_dot). The output keeps
        x1's other axes, then x2's; two vectors give (batch, 1). normalize: L2-normalise both along those axes first,
        so the result is the cosine similarity."""

        min_inputs = max_inputs = 2
        supports_masking = False  # Keras's Dot.compute_mask returns None

        type: Literal["Dot"] = "Dot"
        axes: Annotated[StrictInt | tuple[StrictInt, StrictInt],
                        Forms("one axis or a pair [axis of the first input, axis of the second]")] = Field(
            description="The axis to sum over: one for both inputs, or [axis of x1, axis of x2].")
        normalize: StrictBool = Field(False, description="L2-normalise both inputs along the axes first (cosine).")

        def pair(self, shapes) -> tuple[int, int]:
            """The axes as indices into each input's shape; Keras counts a negative axis from each input's end."""
            axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
            pair = []
            for which, (axis, shape) in enumerate(zip(axes, shapes)):
                rank = len(shape)
                if not -rank <= axis < rank or axis % rank == 0:
                    raise ShapeError(f"Dot axes {self.axes}: axis {axis} of input {which + 1} {format_shape(shape)} "
                                     f"is {'the batch axis' if -rank <= axis < rank else 'not an axis'}",
                                     f"use an axis from 1 to {rank - 1}, or -1 for the last", Code.BAD_AXIS, "axes")
                pair.append(axis % rank)
            return tuple(pair)

        def compute_output_shape(self, input_shape):
            shapes = [tuple(s) for s in input_shape]
            a1, a2 = self.pair(shapes)
            d1, d2 = shapes[0][a1], shapes[1][a2]
            if d1 != d2:
                raise ShapeError(f"Dot of {format_shape(shapes[0])} and {format_shape(shapes[1])} sums over axis {a1} "
                                 f"of the first ({d1}) and axis {a2} of the second ({d2}), which differ",
                                 "choose axes of one size (axes: [i, j]); Keras also refuses a None against a size",
                                 Code.SHAPE_MISMATCH, "axes")
            out = (shapes[0][0], *(s for i, s in enumerate(shapes[0]) if i not in (0, a1)),
                   *(s for i, s in enumerate(shapes[1]) if i not in (0, a2)))
            return out if len(out) > 1 else (*out, 1)

        def macs(self, input_shape, output_shape):
            a1, _ = self.pair(input_shape)
            return known_product(output_shape[1:]) * (input_shape[0][a1] or 1)

        def describe(self):
            axes = self.axes if isinstance(self.axes, int) else list(self.axes)
            return f"axes {axes}" + (", normalized" if self.normalize else "")

        def primitives(self, input_shape):
            a1, a2 = self.pair(input_shape)
            ops = [Primitive("l2_normalize", f"x / ‖x‖ along axes {a1} and {a2}")] if self.normalize else []
            return [*ops, Primitive("dot", f"sum of x1 × x2 over axis {a1} of x1 and axis {a2} of x2")]
