"""Keras's random geometric augmentations (flip, rotation, zoom, translation, shear, perspective, elastic): the
identity at inference; and RandomCrop, which is not."""

from typing import Literal

from pydantic import Field, StrictFloat

from ..diagnostics import Code
from ..types import format_shape
from .augmentation import Augmentation, FillMode, Interpolation, Seeded, ValueRange, Factor
from .base import Advice, register
from .layout import ChannelsLayout
from .preprocessing import CropSize


class Warp(Augmentation, Seeded, ChannelsLayout):
    """The fill and interpolation options of the layers that move pixels."""

    fill_mode: FillMode = Field("reflect", description="How pixels moved in from outside the image are filled.")
    interpolation: Interpolation = "bilinear"
    fill_value: StrictFloat = Field(0.0, description="The fill with fill_mode constant.")


@register
class RandomFlip(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.RandomFlip: flips images left-right and/or up-down while training."""

    effect = "random flip"
    type: Literal["RandomFlip"] = "RandomFlip"
    mode: Literal["horizontal", "vertical", "horizontal_and_vertical"] = "horizontal_and_vertical"

    def describe(self):
        return self.mode


@register
class RandomRotation(Warp):
    """keras.layers.RandomRotation: rotates by a random fraction of a full turn while training."""

    effect = "random rotation"
    type: Literal["RandomRotation"] = "RandomRotation"
    factor: Factor(-1, 1, description="Fraction of a full turn: f for [-f, f], or [lower, upper].")


@register
class RandomZoom(Warp):
    """keras.layers.RandomZoom: zooms in or out by a random fraction while training."""

    effect = "random zoom"
    type: Literal["RandomZoom"] = "RandomZoom"
    height_factor: Factor(-1, 1, each=True, open_low=True, description="Zoom range of the height in (-1, 1]: "
                          "negative zooms in, positive out; f for [-f, f].")
    width_factor: Factor(-1, 1, each=True, open_low=True) | None = Field(
        None, description="Zoom range of the width; null: the same as the height's (aspect kept).")


@register
class RandomTranslation(Warp):
    """keras.layers.RandomTranslation: shifts by a random fraction of the height and width while training."""

    effect = "random shift"
    type: Literal["RandomTranslation"] = "RandomTranslation"
    height_factor: Factor(-1, 1, each=True, description="Shift range as a fraction of the height.")
    width_factor: Factor(-1, 1, each=True, description="Shift range as a fraction of the width.")


@register
class RandomShear(Warp):
    """keras.layers.RandomShear: shears along x and y by a random amount while training."""

    effect = "random shear"
    type: Literal["RandomShear"] = "RandomShear"
    x_factor: Factor(0, 1, each=True) = 0.0
    y_factor: Factor(0, 1, each=True) = 0.0


@register
class RandomPerspective(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.RandomPerspective: moves the corners for a random perspective while training."""

    effect = "random perspective"
    type: Literal["RandomPerspective"] = "RandomPerspective"
    factor: Factor(0, 1, description="Probability of applying it: a number, or a pair.") = 1.0
    scale: StrictFloat = Field(1.0, ge=0, le=1, description="How far the corners may move, in [0, 1].")
    interpolation: Interpolation = "bilinear"
    fill_value: StrictFloat = 0.0


@register
class RandomElasticTransform(Augmentation, Seeded, ChannelsLayout):
    """keras.layers.RandomElasticTransform: a random smooth displacement field while training."""

    effect = "random elastic warp"
    type: Literal["RandomElasticTransform"] = "RandomElasticTransform"
    factor: Factor(0, 1, description="Probability of applying it: a number, or a pair.") = 1.0
    scale: Factor(0, 1, description="Strength of the displacement: a number, or a pair, in [0, 1].") = 1.0
    interpolation: Interpolation = "bilinear"
    fill_mode: Literal["reflect", "wrap", "constant", "nearest", "mirror"] = "reflect"
    fill_value: StrictFloat = 0.0
    value_range: ValueRange = (0, 255)


@register
class RandomCrop(Augmentation, Seeded, CropSize):
    """keras.layers.RandomCrop: a random height × width window while training. Keras declares that size as its output
    at inference as well; graphspec then resizes the whole image to it as Keras's smart_resize does (the largest
    central crop of that aspect ratio, bilinear), as tf.keras did. Keras 3.15 itself returns the image unchanged at
    inference, whatever its declared shape, so a size change is warned about."""

    effect = "random crop"
    type: Literal["RandomCrop"] = "RandomCrop"

    def advise(self, input_shape):
        size = self.to_last(input_shape)[1:3]
        if size == (self.height, self.width):
            return []
        return [Advice(Code.KERAS_DIFFERS, f"RandomCrop declares {format_shape(self.compute_output_shape(input_shape))}"
                       f" for its input {format_shape(input_shape)}, but Keras 3.15 returns the uncropped image at "
                       "inference; graphspec resizes it to the declared size (Keras's smart_resize)",
                       "for Keras to compute the same at inference, put Resizing (or CenterCrop) in its place in "
                       "the model you serve")]
