"""Keras's random colour and pixel augmentations, and the batch mixers (MixUp, CutMix): the identity at inference."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictFloat
from pydantic_core import PydanticCustomError

from .augmentation import Augmentation, Seeded, ValueRange, Factor
from ..diagnostics import Code
from .base import Advice, PositiveInt, _python_tuple, register
from .layout import ChannelsLayout


class Colour(Augmentation, Seeded):
    value_range: ValueRange = (0, 255)


@register
class RandomBrightness(Colour):
    """keras.layers.RandomBrightness: adds a random fraction of the value range while training."""

    effect = "random brightness"
    type: Literal["RandomBrightness"] = "RandomBrightness"
    factor: Factor(-1, 1, description="Fraction of the value range to add: f for [-f, f], or [lower, upper].")


@register
class RandomContrast(Colour):
    """keras.layers.RandomContrast: scales each image's deviation from its mean by a random factor while training."""

    effect = "random contrast"
    type: Literal["RandomContrast"] = "RandomContrast"
    factor: Factor(0, 1, description="Contrast range: a pair [a, b] for [1 − a, 1 + b]; a number f for [1, 1 + f], "
                    "as Keras 3.15 floors its −f at 0.")


@register
class RandomHue(Colour, ChannelsLayout):
    """keras.layers.RandomHue: shifts the hue by a random amount while training."""

    effect = "random hue shift"
    type: Literal["RandomHue"] = "RandomHue"
    factor: Factor(0, 1)


@register
class RandomSaturation(Colour, ChannelsLayout):
    """keras.layers.RandomSaturation: scales the saturation by a random factor while training."""

    effect = "random saturation"
    type: Literal["RandomSaturation"] = "RandomSaturation"
    factor: Factor(-1, 1)


@register
class RandomSharpness(Colour, ChannelsLayout):
    """keras.layers.RandomSharpness: sharpens or blurs by a random amount while training."""

    effect = "random sharpness"
    type: Literal["RandomSharpness"] = "RandomSharpness"
    factor: Factor(0, 1)


@register
class RandomColorDegeneration(Colour, ChannelsLayout):
    """keras.layers.RandomColorDegeneration: blends each image with its grayscale by a random amount while training."""

    effect = "random blend with grayscale"
    type: Literal["RandomColorDegeneration"] = "RandomColorDegeneration"
    factor: Factor(-1, 1)


@register
class RandomPosterization(Colour, ChannelsLayout):
    """keras.layers.RandomPosterization: keeps a random number of bits per channel while training."""

    effect = "random bits per channel"
    type: Literal["RandomPosterization"] = "RandomPosterization"
    factor: Factor(1, 8, description="Bits to keep per channel: a number, or a pair, in [1, 8].")


@register
class RandomInvert(Colour, ChannelsLayout):
    """keras.layers.RandomInvert: inverts a random fraction of the images within value_range while training."""

    effect = "random inversion"
    type: Literal["RandomInvert"] = "RandomInvert"
    factor: Factor(0, 1, description="Probability of inverting an image.") = 1.0


@register
class RandomGrayscale(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.RandomGrayscale: turns a fraction `factor` of the images grey while training; its output keeps
    the input's dtype, as Keras declares it."""

    effect = "random grayscale"
    dtype_rule = "preserve"
    type: Literal["RandomGrayscale"] = "RandomGrayscale"
    factor: StrictFloat = Field(0.5, ge=0, le=1, description="Probability of turning an image grey.")


@register
class RandomColorJitter(Colour, ChannelsLayout):
    """keras.layers.RandomColorJitter: RandomBrightness, RandomContrast, RandomSaturation and RandomHue in one."""

    effect = "random colour jitter"
    type: Literal["RandomColorJitter"] = "RandomColorJitter"
    brightness_factor: Factor(-1, 1) | None = None
    contrast_factor: Factor(0, 1) | None = None
    saturation_factor: Factor(-1, 1) | None = None
    hue_factor: Factor(0, 1) | None = None


@register
class Solarization(Colour):
    """keras.layers.Solarization: inverts the pixels above a random threshold (after a random addition) while
    training."""

    effect = "random solarization"
    type: Literal["Solarization"] = "Solarization"
    addition_factor: Factor(0, 1, each=True) = 0.0
    threshold_factor: Factor(0, 1, each=True) = 0.0


def _fill(value):
    if isinstance(value, list) and len(value) != 3:
        raise PydanticCustomError("fill_value", "fill_value is a number or a list of three (one per RGB channel)")
    return value


@register
class RandomErasing(Colour, ChannelsLayout):
    """keras.layers.RandomErasing: fills a random box of each image (with noise or fill_value) while training."""

    effect = "random erased boxes"
    type: Literal["RandomErasing"] = "RandomErasing"
    factor: Factor(0, 1, description="Probability of erasing a box in an image.") = 1.0
    scale: Factor(0, 1, description="Box area as a fraction of the image's: a number, or a pair.") = (0.02, 0.33)
    fill_value: Annotated[StrictFloat | list[StrictFloat], AfterValidator(_fill)] | None = Field(
        None, description="The fill: a number, three (RGB), or null for random noise.")


def _odd(value):
    values = value if isinstance(value, tuple) else (value,)
    if any(v % 2 == 0 for v in values):
        raise PydanticCustomError("odd_kernel", "kernel_size must be odd")
    return value


@register
class RandomGaussianBlur(Colour, ChannelsLayout):
    """keras.layers.RandomGaussianBlur: blurs with a random σ while training."""

    effect = "random gaussian blur"
    type: Literal["RandomGaussianBlur"] = "RandomGaussianBlur"
    factor: Factor(0, 1, description="Probability of blurring an image.") = 1.0
    kernel_size: Annotated[PositiveInt | tuple[PositiveInt, PositiveInt], BeforeValidator(_python_tuple),
                           AfterValidator(_odd)] = 3
    sigma: Factor(0, 1, description="σ of the blur: a number, or a pair, in [0, 1].") = 1.0


@register
class Equalization(Augmentation, ChannelsLayout):
    """keras.layers.Equalization: histogram equalisation, applied only while training in Keras 3."""

    effect = "histogram equalisation"
    type: Literal["Equalization"] = "Equalization"
    value_range: ValueRange = (0, 255)
    bins: PositiveInt = 256

    def advise(self, input_shape):
        # Keras 3.15's symbolic call returns its input tensor itself, which a functional model reads as a cycle.
        return [Advice(Code.KERAS_REFUSES, "Keras 3.15 cannot build a model holding Equalization (it reports the "
                       "layer as 'part of a cycle'); graphspec runs it, the identity at inference",
                       "for a model Keras builds too, apply Equalization in the input pipeline instead")]


@register
class MixUp(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.MixUp: blends random pairs of images of the batch while training. Inside a model only the images
    are mixed, as Keras does while fitting such a model; it mixes the labels too only when called on a dict of
    images and labels, in an input pipeline."""

    effect = "mixes random pairs of images"
    type: Literal["MixUp"] = "MixUp"
    alpha: StrictFloat = Field(0.2, gt=0, description="The Beta distribution's parameter for the mixing weight.")


@register
class CutMix(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.CutMix: pastes a random box of another image of the batch while training. Inside a model only the
    images are mixed, as with MixUp (Keras mixes the labels by area only in an input pipeline)."""

    effect = "pastes a box from another image"
    type: Literal["CutMix"] = "CutMix"
    factor: Factor(0, 1) = 1.0

