"""Conv1D, Conv2D and Conv3D: one rule, stated once for any number of spatial axes."""
from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import StrictBool, field_validator

from ..diagnostics import Code
from ..types import format_shape
from .arith import conv_output_length
from .base import (ActivationName, Advice, Layer, Padding, PerAxis, PositiveInt, ShapeError, activation_suffix,
                   known_product, register, require_known, sequential_shape, spatial_tuple)
from .primitives import Primitive, activation, bias

_AXES = {1: "(batch, steps, channels)", 2: "(batch, height, width, channels)",
         3: "(batch, depth, height, width, channels)"}


def window_text(window: tuple[int, ...]) -> str:
    return "×".join(map(str, window))


def spatial_output(layer, input_shape, kernel, strides, dilation) -> tuple:
    """Output spatial sizes; an error naming the window when it does not fit the input."""
    out = tuple(conv_output_length(n, k, s, layer.padding, d)
                for n, k, s, d in zip(input_shape[1:-1], kernel, strides, dilation))
    if any(n is not None and n <= 0 for n in out):
        raise ShapeError(f"a {window_text(kernel)} window does not fit the input {format_shape(input_shape)} "
                         f"with padding '{layer.padding}'", "use padding: same, a smaller window or stride, "
                         "or a larger input", Code.EMPTY_OUTPUT)
    return out


def channels_hint(layer, input_shape, declare) -> str | None:
    """The classic case: images given without their channels axis, or flattened. declare: see Layer.rank_hint."""
    want = layer.min_rank - 1
    dims = input_shape[1:]
    if len(dims) == want - 1:
        one, three = list(dims) + [1], list(dims) + [3]
        if declare is None:
            return f"add a channels axis: a Reshape with target_shape {one} before this layer"
        if want == 3:
            return f"add a channels axis: {declare(one)} (grey; {three} for RGB)"
        return f"add a channels axis: {declare(one)} (one {'feature per step' if want == 2 else 'channel'})"
    if len(dims) == 1 and dims[0] and want == 3:
        for channels in (1, 3):
            side = math.isqrt(dims[0] // channels)
            if side * side * channels == dims[0]:
                image = [side, side, channels]
                fix = (f"use {declare(image)} or add a Reshape with target_shape {image}" if declare
                       else f"add a Reshape with target_shape {image} before this layer")
                return f"if these are {side}×{side} images with {channels} channel(s), {fix}"
    return f"the input needs {want} axes after the batch: {_AXES[want - 1]}"


def windows_text(layer, kernel, strides, dilation) -> str:
    """What each output position of a convolution or pooling sees, for the diagram: '3×3 windows, padding valid'."""
    steps = "" if set(strides) == {1} else f", strides {window_text(strides)}"
    spread = "" if set(dilation) == {1} else f", dilation {window_text(dilation)}"
    return f"{window_text(kernel)} windows{steps}{spread}, padding {layer.padding}"


class BaseConv(Layer):
    rank: ClassVar[int]

    filters: PositiveInt
    kernel_size: PerAxis
    strides: PerAxis = 1
    padding: Padding = "valid"
    dilation_rate: PerAxis = 1
    activation: ActivationName | None = None
    use_bias: StrictBool = True

    @field_validator("kernel_size", "strides", "dilation_rate")
    @classmethod
    def _one_per_axis(cls, value):
        return spatial_tuple(value, cls.rank)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.min_rank = cls.max_rank = cls.rank + 2
        cls.axes = _AXES[cls.rank]

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the channels axis")
        out = spatial_output(self, input_shape, self.kernel_size, self.strides, self.dilation_rate)
        return (input_shape[0], *out, self.filters)

    def advise(self, input_shape):
        if max(self.strides) == 1 or max(self.dilation_rate) == 1:
            return []
        message = (f"strides {self.strides} with dilation_rate {self.dilation_rate}: Keras refuses strides > 1 "
                   "together with dilation_rate > 1, so it cannot build this layer (graphspec and PyTorch compute it)")
        hint = "for a model Keras can build too, keep strides or dilation_rate at 1"
        return [Advice(Code.KERAS_REFUSES, message, hint)]

    def weight_shapes(self, input_shape):
        weights = {"kernel": (*self.kernel_size, input_shape[-1], self.filters)}
        return weights | ({"bias": (self.filters,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        return known_product(output_shape[1:-1]) * math.prod(self.kernel_size) * input_shape[-1] * self.filters

    def rank_hint(self, input_shape, declare=sequential_shape):
        return channels_hint(self, input_shape, declare)

    def describe(self):
        return f"{self.filters} × {window_text(self.kernel_size)}{activation_suffix(self.activation)}"

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        sliding = windows_text(self, self.kernel_size, self.strides, self.dilation_rate)
        return [Primitive("windows", f"sliding {sliding}"),
                Primitive("kernel", "× kernel, summed over each window", {"kernel": weights["kernel"]}),
                *bias(weights), *activation(self.activation)]


@register
class Conv1D(BaseConv):
    """keras.layers.Conv1D, channels-last."""

    rank = 1
    type: Literal["Conv1D", "Convolution1D"] = "Conv1D"


@register
class Conv2D(BaseConv):
    """keras.layers.Conv2D, channels-last."""

    rank = 2
    type: Literal["Conv2D", "Convolution2D"] = "Conv2D"


@register
class Conv3D(BaseConv):
    """keras.layers.Conv3D, channels-last."""

    rank = 3
    type: Literal["Conv3D", "Convolution3D"] = "Conv3D"
