"""What Keras's random image augmentation layers share: rank-4 images in, random while training (the NumPy
backend draws from the training seed), the identity at inference, and the forms of their `factor` arguments,
checked as Keras checks them."""

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from .base import Layer, _python_tuple, sequential_shape, snake_case
from .primitives import Primitive

Pair = tuple[StrictFloat, StrictFloat]
FillMode = Literal["reflect", "wrap", "constant", "nearest"]
Interpolation = Literal["nearest", "bilinear"]
ValueRange = Annotated[Pair, BeforeValidator(_python_tuple), Field(
    description="The range the pixel values lie in, [low, high], e.g. [0, 1] after Rescaling by 1/255.")]


def _in_range(low: float, high: float, open_low: bool):
    def inside(v: float) -> bool:
        return (low < v if open_low else low <= v) and v <= high
    return inside


def Factor(low: float, high: float, each: bool = False, open_low: bool = False, description: str = "") -> type:
    """A number f (for the range [-f, f], or [0, f]) or a pair [lower, upper], within [low, high] as Keras checks:
    with each=False, Keras's base check (a number in range; a pair not wholly outside it); with each=True, both
    numbers of a pair in range; open_low: low itself excluded, as RandomZoom's (-1, 1]."""
    inside = _in_range(low, high, open_low)
    bounds = f"{'(' if open_low else '['}{low:g}, {high:g}]"

    def check(value):
        if isinstance(value, tuple):
            fits = all(map(inside, value)) if each else not (value[0] > high or value[1] < low)
        else:
            fits = inside(value)
        if not fits:
            raise PydanticCustomError("factor_range", "must be a number or a pair of numbers in {bounds}",
                                      {"bounds": bounds})
        return value
    return Annotated[StrictFloat | Pair, BeforeValidator(_python_tuple), AfterValidator(check),
                     Field(description=description or f"A number, or a pair [lower, upper], in {bounds}.")]


class Augmentation(Layer):
    """A Keras random image layer: random while training, the identity at inference (integers become float32)."""

    min_rank = max_rank = 4
    axes = "(batch, height, width, channels)"
    dtype_rule = "cast"
    effect: ClassVar[str] = "random change"  # what it does while training, for the diagram

    def rank_hint(self, input_shape, declare=sequential_shape):
        return "give the images a channels axis: (batch, height, width, channels)" if len(input_shape) == 3 else None

    def describe(self):
        """The factors given (those left at a default are not): 'factor 0.2', 'height_factor [-0.2, 0.1]'."""
        shown = [f"{name} {_factor_text(getattr(self, name))}" for name, info in type(self).model_fields.items()
                 if name.endswith("factor") and getattr(self, name) is not None
                 and (info.is_required() or getattr(self, name) != info.default)]
        return ", ".join(shown) or super().describe()

    def primitives(self, input_shape):
        return [Primitive(snake_case(self.kind), self.effect, note="while training; the identity at inference")]


def _factor_text(value) -> str:
    return f"[{value[0]:g}, {value[1]:g}]" if isinstance(value, tuple) else f"{value:g}"


class Seeded(Layer):
    seed: StrictInt | None = None
