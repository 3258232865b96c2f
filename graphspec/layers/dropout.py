"""Dropout and its kin: each acts only while training and is the identity at inference, as in Keras."""

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StrictFloat, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import InputShape, Layer, ShapeError, register, sequential_shape
from .conv import _AXES, channels_hint
from .layout import ChannelsLayout
from .primitives import Primitive


def _noise_shape_fits(layer, input_shape):
    """The input shape, once the layer's noise_shape (if any) is known to broadcast against it."""
    noise = layer.noise_shape
    pairs = zip(noise or (), input_shape)
    if noise is None or len(noise) == len(input_shape) and all(n in (None, 1, d) or d is None for n, d in pairs):
        return input_shape
    raise ShapeError(f"noise_shape {format_shape(noise)} does not fit the input {format_shape(input_shape)}",
                     "give noise_shape one size per input axis, each equal to the input's, 1 (shared) or null",
                     Code.SHAPE_MISMATCH, "noise_shape")


Rate = Annotated[StrictFloat, Field(ge=0, le=1, description="Fraction of the inputs to drop while training.")]


class BaseDropout(Layer):
    """What the dropout layers share: a rate, a seed, and the mask passed on."""

    supports_masking = True

    rate: Rate
    seed: StrictInt | None = None

    def describe(self):
        return f"rate {self.rate:g}"


class NoiseShaped(BaseDropout):
    noise_shape: InputShape | None = Field(None, description="Shape of the drop mask, with the batch, e.g. "
                                                             "[null, 1, 64] to drop the same features at every step.")

    def compute_output_shape(self, input_shape):
        return _noise_shape_fits(self, input_shape)


@register
class Dropout(NoiseShaped):
    """keras.layers.Dropout: zeroes a fraction `rate` of the inputs while training; the identity at inference."""

    type: Literal["Dropout"] = "Dropout"

    def primitives(self, input_shape):
        return [Primitive("drop", f"× random mask of 0 (rate {self.rate:g}) and 1 / (1 − rate)",
                          note="while training; the identity at inference")]


class BaseSpatialDropout(BaseDropout):
    """keras.layers.SpatialDropout1D/2D/3D: Dropout of whole feature maps (one draw per sample and channel)."""

    rank: ClassVar[int]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.min_rank = cls.max_rank = cls.rank + 2
        cls.axes = _AXES[cls.rank]

    def rank_hint(self, input_shape, declare=sequential_shape):
        return channels_hint(self, input_shape, declare)

    def primitives(self, input_shape):
        return [Primitive("drop", f"× random 0 (rate {self.rate:g}) or 1 / (1 − rate) per sample and channel",
                          note="while training; the identity at inference")]


@register
class SpatialDropout1D(BaseSpatialDropout):
    """keras.layers.SpatialDropout1D: drops whole channels of (batch, steps, channels) while training."""

    rank = 1
    type: Literal["SpatialDropout1D"] = "SpatialDropout1D"


@register
class SpatialDropout2D(BaseSpatialDropout, ChannelsLayout):
    """keras.layers.SpatialDropout2D: drops whole feature maps of images while training."""

    rank = 2
    type: Literal["SpatialDropout2D"] = "SpatialDropout2D"


@register
class SpatialDropout3D(BaseSpatialDropout, ChannelsLayout):
    """keras.layers.SpatialDropout3D: drops whole feature maps of volumes while training."""

    rank = 3
    type: Literal["SpatialDropout3D"] = "SpatialDropout3D"


@register
class AlphaDropout(NoiseShaped):
    """keras.layers.AlphaDropout: drops to SELU's negative saturation and rescales, keeping the mean and variance
    (for selu networks) while training; the identity at inference."""

    type: Literal["AlphaDropout"] = "AlphaDropout"

    def primitives(self, input_shape):
        return [Primitive("drop", f"a·(x·keep + α′·(1 − keep)) + b, rate {self.rate:g}",
                          note="while training; the identity at inference")]


@register
class GaussianDropout(BaseDropout):
    """keras.layers.GaussianDropout: × normal noise of mean 1 and σ √(rate / (1 − rate)) while training;
    the identity at inference."""

    type: Literal["GaussianDropout"] = "GaussianDropout"

    def primitives(self, input_shape):
        return [Primitive("noise", f"× normal noise, mean 1, σ √(rate / (1 − rate)), rate {self.rate:g}",
                          note="while training; the identity at inference")]
