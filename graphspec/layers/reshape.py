
import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..dim_rules import has_names, or_unknown
from ..types import format_shape
from .base import Layer, PositiveInt, ShapeError, _parse_shape, _python_tuple, register, sequential_shape
from .primitives import Primitive

# One size may be -1, to be inferred; the string and bare-number rules are the input_shape ones.
TargetShape = Annotated[tuple[Annotated[int, Field(ge=-1, strict=True)], ...], BeforeValidator(_parse_shape)]


@register
class Reshape(Layer):
    """keras.layers.Reshape: (None, 784) with target_shape [28, 28, 1] -> (None, 28, 28, 1); the batch stays."""

    min_rank = 1
    dtype_rule = "preserve"

    type: Literal["Reshape"] = "Reshape"
    target_shape: TargetShape = Field(description="The new shape without the batch; one size may be -1 (inferred).")

    @field_validator("target_shape")
    @classmethod
    def _sizes(cls, value):
        # The reader appends the value received, so the messages do not repeat it.
        if 0 in value:
            raise PydanticCustomError("reshape_zero", "sizes must be positive, or -1 for the one to infer")
        if value.count(-1) > 1:
            raise PydanticCustomError("reshape_inferred", "only one size may be -1 (inferred from the others)")
        return value

    def compute_output_shape(self, input_shape):
        dims, target = input_shape[1:], self.target_shape
        if None in dims:
            return (input_shape[0], *(None if d == -1 else d for d in target))
        size, known = math.prod(dims), math.prod(d for d in target if d != -1)
        if has_names(size):  # (None, T, 128) into [-1, 64] is (None, 2 * T, 64); the run checks the rest
            inferred = or_unknown(lambda: size / known)
            return (input_shape[0], *(inferred if d == -1 else d for d in target))
        if -1 in target and size % known == 0:
            target = tuple(size // known if d == -1 else d for d in target)
        if math.prod(target) != size:
            raise self._size_error(input_shape, size, known)
        return (input_shape[0], *target)

    def _size_error(self, input_shape, size: int, known: int) -> ShapeError:
        into = format_shape((None, *self.target_shape))
        if -1 in self.target_shape:
            holds, hint = (f"a multiple of {known:,} elements",
                           f"the sizes other than -1 must multiply to a divisor of {size:,}")
        else:
            holds, hint = (f"{known:,} elements", f"make the sizes in target_shape multiply to {size:,}, "
                                                  "or write -1 for one of them to have it inferred")
        return ShapeError(f"cannot reshape {format_shape(input_shape)} ({size:,} elements) into {into} ({holds})",
                          hint, Code.RESHAPE_SIZE, "target_shape")

    def describe(self):
        return f"to {format_shape(self.target_shape)}"

    def primitives(self, input_shape):
        target = format_shape(self.compute_output_shape(input_shape))
        return [Primitive("reshape", f"reshape to {target}, row-major", note="no value changes")]


@register
class RepeatVector(Layer):
    """keras.layers.RepeatVector: (None, 32) with n 3 -> (None, 3, 32), the vector repeated n times."""

    min_rank = max_rank = 2
    axes = "(batch, features)"
    dtype_rule = "preserve"

    type: Literal["RepeatVector"] = "RepeatVector"
    n: PositiveInt = Field(description="How many times to repeat the input: the steps of the output.")

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def rank_hint(self, input_shape, declare=sequential_shape):
        return "RepeatVector takes one vector per sample; Flatten the input first, or end a recurrent layer " \
               "with return_sequences: false"

    def describe(self):
        return f"× {self.n}"

    def primitives(self, input_shape):
        return [Primitive("repeat", f"repeat {self.n} times along a new steps axis", note="no value changes")]


def _permutation(value: tuple[int, ...]) -> tuple[int, ...]:
    if sorted(value) != list(range(1, len(value) + 1)):
        raise PydanticCustomError("permutation", "dims must hold each axis from 1 to {n} once (1 is the first axis "
                                  "after the batch)", {"n": len(value)})
    return value


@register
class Permute(Layer):
    """keras.layers.Permute: reorders the axes after the batch; dims [2, 1] turns (None, 10, 64) into (None, 64, 10)."""

    dtype_rule = "preserve"

    type: Literal["Permute"] = "Permute"
    dims: Annotated[tuple[StrictInt, ...], Field(min_length=1), BeforeValidator(_python_tuple),
                    AfterValidator(_permutation)] = Field(
        description="The new order of the axes, counted from 1 (the batch axis stays first).")

    def compute_output_shape(self, input_shape):
        if len(input_shape) != len(self.dims) + 1:
            raise ShapeError(f"Permute dims {list(self.dims)} reorder {len(self.dims)} axes, but the input "
                             f"{format_shape(input_shape)} has {len(input_shape) - 1} after the batch",
                             f"list each of the input's {len(input_shape) - 1} axes once, counted from 1",
                             Code.RANK, "dims")
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def describe(self):
        return f"to {format_shape(self.dims)}"

    def primitives(self, input_shape):
        return [Primitive("transpose", f"transpose axes to (0, {', '.join(map(str, self.dims))})")]
