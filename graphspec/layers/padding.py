"""ZeroPadding1D/2D/3D: zeros added before and after each spatial axis; and the value forms Cropping shares.

Keras 3 takes, per layer rank: 1D an int or one pair (before, after); 2D/3D an int, or one entry per spatial axis,
each an int (the same before and after) or a pair (before, after). Any other form is refused here as Keras does.
"""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PlainValidator, field_validator
from pydantic_core import PydanticCustomError

from .base import Layer, _python_tuple, register, sequential_shape
from .conv import _AXES, channels_hint
from .layout import ChannelsLayout, from_last, to_last
from .primitives import Primitive

def _structure(value: Any) -> Any:
    """An int, or a list whose items are ints or lists of ints; what they mean per axis is the rank's business."""
    value = _python_tuple(value)

    def whole(v):
        return isinstance(v, int) and not isinstance(v, bool)

    if whole(value):
        return value
    if isinstance(value, (list, tuple)):
        items = tuple(tuple(v) if isinstance(v, (list, tuple)) else v for v in value)
        if all(whole(v) or (isinstance(v, tuple) and all(map(whole, v))) for v in items):
            return items
    raise PydanticCustomError("pad_form", "should be a whole number or a list of them, per axis "
                                          "a number or a pair [before, after]")


# The JSON Schema says what _structure takes; the rank and the signs are checked per layer.
PerAxisPairs = Annotated[Any, PlainValidator(_structure, json_schema_input_type=int | list[int | list[int]])]


def per_axis_pairs(value, rank: int) -> tuple[tuple[int, int], ...]:
    """Keras's reading of padding / cropping for a rank-`rank` layer: one (before, after) pair per spatial axis."""
    if rank == 1:
        pair = (value, value) if isinstance(value, int) else value
        if len(pair) != 2 or not all(isinstance(v, int) for v in pair):
            raise PydanticCustomError("pad_form", "needs a whole number or one pair [before, after] of them")
        pairs = (pair,)
    else:
        entries = (value,) * rank if isinstance(value, int) else value
        if len(entries) != rank:
            raise PydanticCustomError("pad_form", "needs a whole number or {rank} entries, one per spatial axis "
                                                  "({axes}), each a number or a pair [before, after]",
                                      {"rank": rank, "axes": ", ".join(_axis_names(rank))})
        pairs = tuple((e, e) if isinstance(e, int) else e for e in entries)
        if any(len(p) != 2 for p in pairs):
            raise PydanticCustomError("pad_form", "each spatial axis takes a number or a pair [before, after]")
    if any(v < 0 for p in pairs for v in p):
        raise PydanticCustomError("pad_negative", "values must be 0 or more")
    return pairs


def stored_pairs(value, rank: int):
    """The pairs as Keras stores them (1D: the one pair), so the spec's value can be passed back to Keras as is."""
    pairs = per_axis_pairs(value, rank)
    return pairs[0] if rank == 1 else pairs


def _axis_names(rank: int) -> list[str]:
    return {1: ["steps"], 2: ["height", "width"], 3: ["depth", "height", "width"]}[rank]


def pairs_text(pairs) -> str:
    """'1×2' for symmetric pairs, '(0, 1)×2' where before and after differ."""
    return "×".join(str(a) if a == b else f"({a}, {b})" for a, b in pairs)


_SIDES = {1: [("start", "end")], 2: [("top", "bottom"), ("left", "right")],
          3: [("front", "back"), ("top", "bottom"), ("left", "right")]}


def amounts_text(pairs) -> str:
    """How much each side gets, for the diagram (not a size): '16 each side', 'top 4 bottom 2, 3 left and right'."""
    values = {v for pair in pairs for v in pair}
    if values == {0}:
        return "nothing"
    if len(values) == 1:
        return f"{values.pop()} each {'end' if len(pairs) == 1 else 'side'}"
    axes = []
    for (a, b), (first, last) in zip(pairs, _SIDES[len(pairs)]):
        if a == b:
            axes.append(f"{a} {first} and {last}" if a else "")
        else:
            axes.append(" ".join(f"{side} {n}" for side, n in ((first, a), (last, b)) if n))
    return ", ".join(axis for axis in axes if axis)


class SpatialLayer(Layer):
    """A layer over the spatial axes of (batch, *spatial, channels): rank and the rank hint; no weights."""

    rank: ClassVar[int]
    dtype_rule = "preserve"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "rank"):
            cls.min_rank = cls.max_rank = cls.rank + 2
            cls.axes = _AXES[cls.rank]

    @property
    def channels_first(self) -> bool:
        return False  # a layer with data_format says otherwise (ChannelsLayout)

    def rank_hint(self, input_shape, declare=sequential_shape):
        return None if self.channels_first else channels_hint(self, input_shape, declare)


class BaseZeroPadding(SpatialLayer):
    padding: PerAxisPairs

    @field_validator("padding")
    @classmethod
    def _pairs(cls, value):
        return stored_pairs(value, cls.rank)

    @property
    def pads(self) -> tuple[tuple[int, int], ...]:
        return (self.padding,) if self.rank == 1 else self.padding

    def compute_output_shape(self, input_shape):
        shape = to_last(self, input_shape)
        spatial = [None if n is None else n + a + b for n, (a, b) in zip(shape[1:-1], self.pads)]
        return from_last(self, (shape[0], *spatial, shape[-1]))

    def describe(self):
        return f"pad {amounts_text(self.pads)}"

    def primitives(self, input_shape):
        return [Primitive("pad", f"zeros added: {amounts_text(self.pads)}")]


@register
class ZeroPadding1D(ChannelsLayout, BaseZeroPadding):
    """keras.layers.ZeroPadding1D: zeros before and after the steps; padding 2 or [1, 3] (before, after)."""

    rank = 1
    type: Literal["ZeroPadding1D"] = "ZeroPadding1D"
    padding: PerAxisPairs = Field(1, description="Zeros before and after the steps: a number or [before, after].")


@register
class ZeroPadding2D(ChannelsLayout, BaseZeroPadding):
    """keras.layers.ZeroPadding2D: padding 1, [1, 2] (height, width) or [[top, bottom], [left, right]]."""

    rank = 2
    type: Literal["ZeroPadding2D"] = "ZeroPadding2D"
    padding: PerAxisPairs = Field(((1, 1), (1, 1)), description="A number, one per axis [height, width], "
                                                                "or [[top, bottom], [left, right]].")


@register
class ZeroPadding3D(ChannelsLayout, BaseZeroPadding):
    """keras.layers.ZeroPadding3D: padding 1, [1, 2, 2] (one per axis) or a [before, after] pair per axis."""

    rank = 3
    type: Literal["ZeroPadding3D"] = "ZeroPadding3D"
    padding: PerAxisPairs = Field(((1, 1), (1, 1), (1, 1)), description="A number, one per axis [depth, height, "
                                                                        "width], or a [before, after] pair per axis.")
