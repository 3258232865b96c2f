"""The merge layers (keras/src/layers/merging): Concatenate, the element-wise Add, Subtract, Multiply, Average,
Maximum and Minimum, and Dot (dot.py).

The element-wise merges broadcast as Keras 3's Merge does: an input of lower rank gets axes of size 1 after its
batch axis (Merge.call's expand_dims(x, 1)), so the shapes align from the last axis; then on each axis the sizes are
equal, or 1 (repeated to fit). Where one input's size is None and another's is known, the known size is the
output's: at run time the None must turn out to be that size (or 1), so the known size is never wrong.
"""

from typing import ClassVar, Literal

from pydantic import Field, StrictInt

from ..diagnostics import Code
from ..dim_rules import named_conflict
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

    def _mismatch(self, shapes, axis: int, hint: str, aligned=None) -> ShapeError:
        sizes = ", ".join("None" if s[axis] is None else str(s[axis]) for s in (aligned or shapes))
        named = named_conflict([s[axis] for s in (aligned or shapes)])
        if named:
            return ShapeError(f"{self.kind}{self._where()} of {_listed(shapes)} mismatches on axis {axis}: "
                              f"{named[0]}", named[1], Code.NAMED_SIZE_CONFLICT)
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


def rank_aligned(shapes) -> list[tuple]:
    """Keras's Merge.call for inputs of different ranks: axes of size 1 after the batch up to the highest rank."""
    rank = max(len(s) for s in shapes)
    return [(s[0], *(1,) * (rank - len(s)), *s[1:]) for s in shapes]


class Elementwise(Merge):
    """Keras's merge broadcasting: ranks aligned from the last axis; on each axis the sizes are equal, or 1, or
    unknown."""

    operator: ClassVar[str]  # how the diagram writes it, between the inputs

    def formula(self, n: int) -> str:
        return f" {self.operator} ".join(f"x{i + 1}" for i in range(n))

    def primitives(self, input_shape):
        return [Primitive("combine", f"{self.formula(len(input_shape))}, element by element")]

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        aligned = rank_aligned(shapes)
        out = []
        for axis, sizes in enumerate(zip(*aligned)):
            known = set(sizes) - {None, 1}
            if len(known) > 1:
                raise self._mismatch(shapes, axis, self._broadcast_hint(shapes), aligned)
            out.append(known.pop() if known else (None if None in sizes else 1))
        return tuple(out)

    def _broadcast_hint(self, shapes) -> str:
        hint = "on each axis the sizes must be equal or 1; add a Dense or Reshape so the inputs match"
        if len({len(s) for s in shapes}) > 1:
            hint += " (an input of fewer axes is lined up with the others' last axes, as Keras does)"
        return hint


@register
class Add(Elementwise):
    """keras.layers.Add: the element-wise sum of the inputs."""

    operator = "+"
    type: Literal["Add"] = "Add"


@register
class Subtract(Elementwise):
    """keras.layers.Subtract: the first input minus the second (exactly two)."""

    min_inputs = max_inputs = 2
    operator = "−"
    type: Literal["Subtract"] = "Subtract"


@register
class Multiply(Elementwise):
    """keras.layers.Multiply: the element-wise product of the inputs."""

    operator = "×"
    type: Literal["Multiply"] = "Multiply"

    def macs(self, input_shape, output_shape):
        return (len(input_shape) - 1) * known_product(output_shape[1:])


@register
class Average(Elementwise):
    """keras.layers.Average: the element-wise mean of the inputs."""

    operator = "+"
    type: Literal["Average"] = "Average"

    def formula(self, n):
        return f"({super().formula(n)}) / {n}"


@register
class Maximum(Elementwise):
    """keras.layers.Maximum: the element-wise maximum of the inputs."""

    type: Literal["Maximum"] = "Maximum"

    def formula(self, n):
        return f"max({', '.join(f'x{i + 1}' for i in range(n))})"


@register
class Minimum(Elementwise):
    """keras.layers.Minimum: the element-wise minimum of the inputs."""

    type: Literal["Minimum"] = "Minimum"

    def formula(self, n):
        return f"min({', '.join(f'x{i + 1}' for i in range(n))})"
