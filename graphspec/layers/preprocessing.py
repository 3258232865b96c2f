"""Preprocessing inside a model: Rescaling and Normalization (values), CenterCrop (images)."""

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from ..diagnostics import Code
from ..types import broadcasts_to, format_shape
from .base import Layer, PositiveInt, ShapeError, known_product, register, require_known
from .layout import ChannelsLayout
from .normalization import distinct_axes
from .primitives import Primitive

def _rectangular(value):
    """A number or an array written as nested lists, with rows of equal length, of finite numbers (Keras computes
    with inf or NaN and outputs them)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except ValueError:
        raise PydanticCustomError("ragged", "the nested lists must form an array: rows of equal length") from None
    if not np.isfinite(array).all():
        raise PydanticCustomError("not_finite", "should be finite{item}", _item(array, ~np.isfinite(array), {
            "hint": "a number beyond float64, like 1e400, reads as inf; Keras would output inf or NaN"}))
    return value


def _item(array: np.ndarray, wrong: np.ndarray, context: dict) -> dict:
    """The first wrong item of an array, for the message (a number is shown by `got`)."""
    index = np.argwhere(wrong)[0]
    item = f", but item [{', '.join(map(str, index))}] is {array[tuple(index)]:g}" if array.ndim else ""
    return {"item": item, **context}


def _non_negative(value):
    """Keras takes a negative variance and outputs NaN: the input is divided by its square root."""
    array = np.asarray(value, dtype=np.float64)
    if (array < 0).any():
        raise PydanticCustomError("negative_variance", "must be >= 0{item}", _item(array, array < 0, {
            "hint": "a variance is never negative: Keras would divide by its square root and output NaN"}))
    return value

Values = TypeAliasType("Values", Union[StrictFloat, list["Values"]])
ArrayValue = Annotated[Values, AfterValidator(_rectangular)]


def _broadcasts(layer, field: str, input_shape) -> None:
    """Keras computes x · scale + offset with NumPy's broadcasting: the array's axes line up with the input's last
    ones, each of size 1 or the input's; the batch axis (and any axis beyond the input's) must be 1 or absent, else
    the output would not have the input's shape."""
    shape = np.shape(getattr(layer, field))
    batch = len(input_shape) - 1  # the batch axis, counted from the last
    fits = len(shape) <= len(input_shape) and all(
        n == 1 or (axis != batch and n > 0 and m in (n, None))
        for axis, (n, m) in enumerate(zip(shape[::-1], input_shape[::-1])))
    if not fits:
        raise ShapeError(f"{layer.kind} {field} has shape {shape}, which does not broadcast to the input "
                         f"{format_shape(input_shape)}: its axes line up with the input's last ones, each of size 1 "
                         "or the input's", f"give one {field}, one per channel of the last axis, or nested lists "
                         "that broadcast (for channels_first images (None, 3, h, w): [[[a]], [[b]], [[c]]])",
                         Code.SHAPE_MISMATCH, field)


@register
class Rescaling(Layer):
    """keras.layers.Rescaling: x · scale + offset, e.g. scale 1/255 for pixels in [0, 1]; integers become float32.
    scale and offset broadcast against the input as NumPy arrays do (Keras's default channels_last image format)."""

    supports_masking = True
    dtype_rule = "cast"

    type: Literal["Rescaling"] = "Rescaling"
    scale: ArrayValue = Field(description="The factor: one number, one per channel (the last axis), or nested lists "
                                          "broadcast against the input's last axes.")
    offset: ArrayValue = Field(0.0, description="Added after scaling: a number or an array, as scale.")

    def compute_output_shape(self, input_shape):
        _broadcasts(self, "scale", input_shape)
        _broadcasts(self, "offset", input_shape)
        return input_shape

    def macs(self, input_shape, output_shape):
        return known_product(input_shape[1:])

    def describe(self):
        """'× 0.00784314 − 1'; per-channel values written out when few: '× [0.5, 0.25] + [0, 1]'; an array by shape."""
        def text(v):
            if np.ndim(v) == 0:
                return f"{v:g}"
            if np.ndim(v) > 1:
                return f"array {np.shape(v)}"
            return f"[{', '.join(f'{x:g}' for x in v)}]" if len(v) <= 4 else f"per channel ({len(v)} values)"
        if self.offset == 0:
            return f"× {text(self.scale)}"
        negative = np.ndim(self.offset) == 0 and self.offset < 0
        sign, offset = ("−", -self.offset) if negative else ("+", self.offset)
        return f"× {text(self.scale)} {sign} {text(offset)}"

    def primitives(self, input_shape):
        return [Primitive("scale", "x · scale + offset", note="integers are cast to float32 first")]


@register
class Normalization(Layer):
    """keras.layers.Normalization: (x − mean) / √variance per position of `axis` (invert: the way back).
    With mean and variance in the spec they are constants; without, they are non-trainable weights named as Keras
    stores them (mean, variance and count), to load from a model Keras adapted."""

    supports_masking = True
    dtype_rule = "cast"
    non_trainable_weights = frozenset({"mean", "variance", "count"})
    fixed_initializers = {"mean": "zeros", "variance": "ones", "count": "zeros"}  # Keras's start before adapt()

    type: Literal["Normalization"] = "Normalization"
    axis: StrictInt | list[StrictInt] | None = Field(
        -1, description="The axis or axes with their own mean and variance; null: one for the whole input.")
    mean: ArrayValue | None = Field(None, description="The mean: a number, or an array over the axes of `axis`.")
    variance: Annotated[ArrayValue, AfterValidator(_non_negative)] | None = Field(None, description="The variance, of the same shape as mean.")
    invert: StrictBool = Field(False, description="Undo a normalization: x · √variance + mean.")

    @model_validator(mode="after")
    def _statistics(self):
        if (self.mean is None) != (self.variance is None):
            raise PydanticCustomError("mean_and_variance", "give both mean and variance, or neither (then they are "
                                      "weights, loaded with the model's)")
        if self.mean is not None and np.shape(self.mean) != np.shape(self.variance):
            m, v = np.shape(self.mean), np.shape(self.variance)
            raise PydanticCustomError("mean_shape", "mean has shape {m} but variance {v}: Keras requires the same "
                                      "shape for both (it does not broadcast one to the other)",
                                      {"m": m, "v": v, "hint": "write both as numbers, or both as arrays of one "
                                       "shape" + (f" (e.g. variance: {np.broadcast_to(self.variance, m).tolist()})"
                                                  if broadcasts_to(v, m) else "")})
        if self.mean is not None and np.ndim(self.mean) > len(self.axes):
            raise PydanticCustomError("mean_rank", "mean has {r} axes, more than the {n} axes of `axis`",
                                      {"r": np.ndim(self.mean), "n": len(self.axes)})
        return self

    @property
    def axes(self) -> list[int]:
        return [] if self.axis is None else [self.axis] if isinstance(self.axis, int) else self.axis

    def kept_axes(self, input_shape) -> list[int]:
        """The axes with their own statistics, as sorted indices into the input shape (Keras's _keep_axis)."""
        return sorted(distinct_axes(self, self.axes, input_shape))

    def compute_output_shape(self, input_shape):
        kept = self.kept_axes(input_shape)
        for index in kept:
            require_known(input_shape, index, f"axis {index} (an axis Normalization keeps statistics for)")
        if self.mean is not None:
            sizes = [input_shape[i] for i in kept][len(kept) - np.ndim(self.mean):]
            if any(m not in (1, s) for m, s in zip(np.shape(self.mean), sizes)):
                raise ShapeError(f"Normalization mean has shape {np.shape(self.mean)}, which does not broadcast "
                                 f"to the sizes {tuple(sizes)} of axis {self.axis} in {format_shape(input_shape)}",
                                 "give one value, or one per position of those axes", Code.SHAPE_MISMATCH, "mean")
        return input_shape

    def weight_shapes(self, input_shape):
        if self.mean is not None:
            return {}
        shape = tuple(input_shape[i] for i in self.kept_axes(input_shape))
        return {"mean": shape, "variance": shape, "count": ()}

    def weight_problem(self, weights):
        low = np.flatnonzero(np.asarray(weights["variance"]) < 0)
        if not low.size:
            return None
        return "variance", (f"position {low[0]} holds {np.asarray(weights['variance']).flat[low[0]]:g}: a variance "
                            "is never negative, and its square root would be NaN")

    def macs(self, input_shape, output_shape):
        return known_product(input_shape[1:])

    def describe(self):
        return ("invert, " if self.invert else "") + ("whole input" if self.axis is None else f"axis {self.axis}")

    def primitives(self, input_shape):
        formula = "x · max(√variance, 1e-7) + mean" if self.invert else "(x − mean) / max(√variance, 1e-7)"
        return [Primitive("normalise", formula, self.weight_shapes(input_shape))]


class CropSize(Layer, ChannelsLayout):
    """The output size of CenterCrop and RandomCrop: height × width, the channels kept."""

    height: PositiveInt
    width: PositiveInt

    def compute_output_shape(self, input_shape):
        batch, _, _, channels = self.to_last(input_shape)
        return self.from_last((batch, self.height, self.width, channels))

    def describe(self):
        return f"{self.height}×{self.width}"


@register
class CenterCrop(CropSize):
    """keras.layers.CenterCrop: the central height × width of each image; an image smaller than that on either side
    is resized instead (Keras's smart_resize: the largest central crop of the target's aspect ratio, bilinear)."""

    min_rank = max_rank = 4
    axes = "(batch, height, width, channels)"
    dtype_rule = "cast"

    type: Literal["CenterCrop"] = "CenterCrop"

    def primitives(self, input_shape):
        """Keras crops an image at least that large; one smaller on either side is resized (smart_resize)."""
        size = self.to_last(input_shape)[1:3] if input_shape else (None, None)
        target = f"{self.height}×{self.width}"
        if None in size:
            return [Primitive("crop", f"central {target}", note="an image smaller on either side is cropped to "
                                                                 "that aspect ratio and resized, bilinear")]
        if size[0] >= self.height and size[1] >= self.width:
            return [Primitive("crop", f"central {target}")]
        return [Primitive("resize", f"largest central crop of {target}'s aspect ratio, resized to {target}",
                          note=f"the input {size[0]}×{size[1]} is smaller than {target}: Keras's smart_resize, "
                               "bilinear")]
