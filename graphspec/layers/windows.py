"""What the convolution family (conv.py, depthwise_conv.py, conv_transpose.py) and pooling share: the window
fields and checks (Windowed), and helpers for output sizes, layouts, hints and diagram labels."""

import math
from typing import ClassVar

from pydantic import StrictBool, field_validator

from ..diagnostics import Code
from ..dim_rules import surely_empty
from ..types import format_shape
from .arith import conv_output_length
from .base import (ActivationName, Advice, Layer, Padding, PerAxis, ShapeError, require_known, sequential_shape,
                   spatial_tuple)
from .layout import ChannelsLayout, to_last
from .primitives import Primitive

_AXES = {1: "(batch, steps, channels)", 2: "(batch, height, width, channels)",
         3: "(batch, depth, height, width, channels)"}

def window_text(window: tuple[int, ...]) -> str:
    return "×".join(map(str, window))


def input_channels(layer, input_shape) -> int:
    """The channels a layer's weights depend on, on whichever axis its data_format puts them."""
    return require_known(input_shape, layer.channels_axis if isinstance(layer, ChannelsLayout) else -1,
                         "the channels axis")


def spatial_output(layer, input_shape, kernel, strides, dilation, shown=None) -> tuple:
    """Output spatial sizes of a channels-last `input_shape`; an error naming the window (and the input as the
    author wrote it, `shown`) when it does not fit."""
    out = tuple(conv_output_length(n, k, s, layer.padding, d)
                for n, k, s, d in zip(input_shape[1:-1], kernel, strides, dilation))
    if any(surely_empty(n) for n in out):
        raise ShapeError(f"a {window_text(kernel)} window does not fit the input {format_shape(shown or input_shape)} "
                         f"with padding '{layer.padding}'", "use padding: same, a smaller window or stride, "
                         "or a larger input", Code.EMPTY_OUTPUT)
    return out


def channels_hint(layer, input_shape, declare) -> str | None:
    """The classic case: images given without their channels axis, or flattened. declare: see Layer.rank_hint."""
    want = layer.min_rank - 1
    dims = input_shape[1:]
    if getattr(layer, "channels_first", False):
        spatial = _AXES[want - 1].removeprefix("(batch, ").removesuffix(", channels)")
        return f"the input needs {want} axes after the batch: (batch, channels, {spatial})"
    if len(dims) == want - 1:
        one, three = list(dims) + [1], list(dims) + [3]
        if declare is None:
            return f"add a channels axis: a Reshape with target_shape {one} before this layer"
        if want == 3:
            return f"add a channels axis: {declare(one)} (grey; {three} for RGB)"
        return f"add a channels axis: {declare(one)} (one {'feature per step' if want == 2 else 'channel'})"
    if len(dims) == 1 and isinstance(dims[0], int) and dims[0] and want == 3:  # a named size (T) has no square
        for channels in (1, 3):
            side = math.isqrt(dims[0] // channels)
            if side * side * channels == dims[0]:
                image = [side, side, channels]
                fix = (f"use {declare(image)} or add a Reshape with target_shape {image}" if declare
                       else f"add a Reshape with target_shape {image} before this layer")
                return f"if these are {side}×{side} images with {channels} channel(s), {fix}"
    return f"the input needs {want} axes after the batch: {_AXES[want - 1]}"


def windows_text(layer, kernel, strides, dilation) -> str:
    """What each output position of a convolution or pooling sees, for the diagram: '3×3 windows, padding valid'
    ('size-3 windows' along one axis)."""
    steps = "" if set(strides) == {1} else f", strides {window_text(strides)}"
    spread = "" if set(dilation) == {1} else f", dilation {window_text(dilation)}"
    size = f"size-{kernel[0]}" if len(kernel) == 1 else window_text(kernel)
    return f"{size} windows{steps}{spread}, padding {layer.padding}"


class Windowed(Layer):
    """What every layer of the convolution family has: a window per spatial axis, its steps and spread, a bias."""

    rank: ClassVar[int]
    keras_refuses_strided_dilation: ClassVar[bool] = True

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
        if hasattr(cls, "rank"):  # a concrete type, not a family's base
            cls.min_rank = cls.max_rank = cls.rank + 2
            cls.axes = _AXES[cls.rank]

    def output_positions(self, input_shape) -> tuple:
        """The channels-last output's spatial sizes."""
        shape = to_last(self, input_shape)
        return spatial_output(self, shape, self.kernel_size, self.strides, self.dilation_rate, shown=input_shape)

    def advise(self, input_shape):
        if not self.keras_refuses_strided_dilation or max(self.strides) == 1 or max(self.dilation_rate) == 1:
            return []
        message = (f"strides {self.strides} with dilation_rate {self.dilation_rate}: Keras refuses strides > 1 "
                   "together with dilation_rate > 1, so it cannot build this layer (graphspec and PyTorch compute it)")
        hint = "for a model Keras can build too, keep strides or dilation_rate at 1"
        return [Advice(Code.KERAS_REFUSES, message, hint)]

    def rank_hint(self, input_shape, declare=sequential_shape):
        return channels_hint(self, input_shape, declare)

    def settings_text(self) -> str:
        """The window settings not at Keras's defaults, for describe(): ', strides 2, dilation 4, causal'."""
        shown = [f"strides {window_text(self.strides)}" if max(self.strides) > 1 else "",
                 f"dilation {window_text(self.dilation_rate)}" if max(self.dilation_rate) > 1 else "",
                 "causal" if self.padding == "causal" else "",
                 "channels_first" if getattr(self, "channels_first", False) else ""]
        return "".join(f", {text}" for text in shown if text)

    def sliding(self) -> Primitive:
        return Primitive("windows", f"sliding {windows_text(self, self.kernel_size, self.strides, self.dilation_rate)}")
