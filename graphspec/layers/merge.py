"""Concatenate, Add and Multiply: layers that join several inputs into one.

Where one input's size is None and another's is known, the known size is the output's: at run time
the None must turn out to be that size (or 1, when broadcasting), so the known size is never wrong.
"""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .axis import layer_axis
from .base import Layer, ShapeError, known_product, register
from .primitives import Primitive


def _listed(shapes) -> str:
    texts = [format_shape(s) for s in shapes]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def _same_rank(layer, shapes) -> None:
    if len({len(s) for s in shapes}) > 1:
        raise ShapeError(f"{layer.kind} needs inputs of one rank, got {_listed(shapes)}",
                         "add a Reshape or Flatten to bring the inputs to the same number of axes", Code.RANK)


class Merge(Layer):
    min_inputs = 2
    max_inputs = None
    dtype_rule = "preserve"
    supports_masking = True

    def _mismatch(self, shapes, axis: int, hint: str) -> ShapeError:
        sizes = ", ".join("None" if s[axis] is None else str(s[axis]) for s in shapes)
        return ShapeError(f"{self.kind}{self._where()} of {_listed(shapes)} mismatches on axis {axis} ({sizes})",
                          hint, Code.SHAPE_MISMATCH)

    def _where(self) -> str:
        return ""


@register
class Concatenate(Merge):
    """keras.layers.Concatenate: joins the inputs along `axis`; every other axis must agree."""

    type: Literal["Concatenate"] = "Concatenate"
    axis: StrictInt = Field(-1, description="The axis to join along; the inputs may differ only on it.")

    def _where(self):
        return f" on axis {self.axis}"

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        _same_rank(self, shapes)
        axis = layer_axis(self, self.axis, shapes[0])
        differ = [i for i, sizes in enumerate(zip(*shapes)) if i != axis and len(set(sizes) - {None}) > 1]
        if differ:
            raise self._mismatch(shapes, differ[0], self._hint(differ, len(shapes[0])))
        return tuple(_joined(sizes) if i == axis else _agreed(sizes) for i, sizes in enumerate(zip(*shapes)))

    def _hint(self, differ: list[int], rank: int) -> str:
        if len(differ) == 1:
            suggested = -1 if differ[0] == rank - 1 else differ[0]
            return f"to join along axis {differ[0]}, where the inputs differ, use axis: {suggested}"
        return ("only the concatenation axis may differ: bring the others to one size first, "
                "e.g. with a Dense or Reshape")

    def describe(self):
        return f"axis {self.axis}"

    def primitives(self, input_shape):
        return [Primitive("concatenate", f"join {len(input_shape)} inputs along axis {self.axis}")]


def _joined(sizes) -> int | None:
    return None if None in sizes else sum(sizes)


def _agreed(sizes) -> int | None:
    known = set(sizes) - {None}
    return known.pop() if known else None


class Elementwise(Merge):
    """Keras's merge broadcasting: on each axis the sizes are equal, or 1 (repeated to fit), or unknown."""

    operator: ClassVar[str]  # how the diagram writes it

    def primitives(self, input_shape):
        terms = f" {self.operator} ".join(f"x{i + 1}" for i in range(len(input_shape)))
        return [Primitive("combine", f"{terms}, element by element")]

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        _same_rank(self, shapes)
        out = []
        for axis, sizes in enumerate(zip(*shapes)):
            known = set(sizes) - {None, 1}
            if len(known) > 1:
                raise self._mismatch(shapes, axis, "on each axis the sizes must be equal or 1; "
                                     "add a Dense or Reshape so the inputs match")
            out.append(known.pop() if known else (None if None in sizes else 1))
        return tuple(out)


@register
class Add(Elementwise):
    """keras.layers.Add: the element-wise sum of the inputs."""

    operator = "+"
    type: Literal["Add"] = "Add"


@register
class Multiply(Elementwise):
    """keras.layers.Multiply: the element-wise product of the inputs."""

    operator = "×"
    type: Literal["Multiply"] = "Multiply"

    def macs(self, input_shape, output_shape):
        return (len(input_shape) - 1) * known_product(output_shape[1:])
