"""The axis argument of Concatenate and the normalisation layers, checked once against the input's rank."""

from ..diagnostics import Code
from ..types import format_shape
from .base import ShapeError


def layer_axis(layer, axis: int, input_shape) -> int:
    """A Keras axis (negative counts from the end) as an index into `input_shape`; never the batch axis."""
    rank = len(input_shape)
    choices = "axis -1 (or 1)" if rank == 2 else f"an axis from 1 to {rank - 1}, or -1 for the last"
    if not -rank <= axis < rank:
        raise ShapeError(f"{layer.kind} axis {axis} does not exist in the input {format_shape(input_shape)}, "
                         f"which has {rank} axes counting the batch", f"use {choices}", Code.BAD_AXIS, "axis")
    if axis % rank == 0:
        raise ShapeError(f"{layer.kind} axis {axis} is the batch axis of {format_shape(input_shape)}; "
                         "a layer may not mix the samples of a batch", f"use {choices}", Code.BAD_AXIS, "axis")
    return axis % rank
