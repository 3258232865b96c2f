"""Keras's random colour layers while training (keras/src/layers/preprocessing/image_preprocessing/), each with its
exact gradient: one draw per image, as Keras draws it."""
import numpy as np

from .augmentation import RandomImageKernel, clipped, keras_range, per_image
from .base import kernel

# keras.ops.image.rgb_to_grayscale's weights (tf.image's); a one-channel image is its own grey
GREY = np.array([0.2989, 0.5870, 0.1140])


def grey_weights(channels: int, dtype) -> np.ndarray:
    return (GREY if channels == 3 else np.ones(1)).astype(dtype)


def grey(x):
    """rgb_to_grayscale, keeping a channels axis of 1."""
    return x @ grey_weights(x.shape[-1], x.dtype)[:, None]


def grey_gradient(dy, channels: int):
    """d x of grey(x) broadcast over the channels, for d output dy (batch, height, width, channels)."""
    return dy.sum(-1, keepdims=True) * grey_weights(channels, dy.dtype)


def uniform(rng, bounds, count: int, dtype):
    return per_image(rng.uniform(bounds[0], bounds[1], count)).astype(dtype)


def brightness(x, rng, factor, value_range):
    """A random fraction of the value range, in keras_range(factor), added to each image, then clipped to it."""
    low, high = value_range
    delta = uniform(rng, keras_range(factor, -1), len(x), x.dtype) * (high - low)
    return clipped(x + delta, value_range, lambda dy: dy)


def contrast(x, rng, factor, value_range):
    """Each image's deviation from its per-channel mean scaled by c ~ U(1 − lower, 1 + upper), then clipped. A
    number f gives (lower, upper) = (0, f) in Keras 3.15 (its _set_factor floors −f at the bound 0), so c lies in
    [1, 1 + f]: Keras never lowers the contrast unless given a pair."""
    lower, upper = keras_range(factor, 0)
    c = uniform(rng, (1 - lower, 1 + upper), len(x), x.dtype)
    mean = x.mean(axis=(1, 2), keepdims=True)
    return clipped((x - mean) * c + mean, value_range,
                   lambda dy: dy * c + (1 - c) * dy.mean(axis=(1, 2), keepdims=True))


class FactorKernel(RandomImageKernel):
    """A layer whose transform is a function of the images, the generator, its factor and its value_range."""
    change = None

    def transform(self, x, rng):
        return type(self).change(x, rng, self.layer.factor, self.layer.value_range)


@kernel("RandomBrightness")
class RandomBrightnessKernel(FactorKernel):
    change = staticmethod(brightness)


@kernel("RandomContrast")
class RandomContrastKernel(FactorKernel):
    change = staticmethod(contrast)


@kernel("RandomInvert")
class RandomInvertKernel(RandomImageKernel):
    """An image inverted (value_range's high − x, as Keras writes it) when u ~ U(0, 1) falls below p ~ U(factor
    range)."""

    def transform(self, x, rng):
        probability = uniform(rng, keras_range(self.layer.factor, 0), len(x), np.float64)
        sign = np.where(uniform(rng, (0, 1), len(x), np.float64) < probability, -1, 1).astype(x.dtype)
        shift = np.where(sign < 0, self.layer.value_range[1], 0).astype(x.dtype)
        return x * sign + shift, lambda dy: dy * sign


@kernel("RandomGrayscale")
class RandomGrayscaleKernel(RandomImageKernel):
    """A fraction `factor` of the images (u ~ U(0, 1) below it) turned grey on every channel; dtype kept."""
    channels = (1, 3)

    def transform(self, x, rng):
        chosen = uniform(rng, (0, 1), len(x), np.float64) < self.layer.factor
        y = np.where(chosen, grey(x.astype(np.result_type(x.dtype, np.float32))).astype(x.dtype), x)
        return y, lambda dy: np.where(chosen, grey_gradient(dy, x.shape[-1]), dy)


@kernel("RandomColorDegeneration")
class RandomColorDegenerationKernel(RandomImageKernel):
    """x + f · (grey(x) − x), f ~ U(keras_range(factor)) per image, clipped to value_range."""
    channels = (1, 3)

    def transform(self, x, rng):
        f = uniform(rng, keras_range(self.layer.factor, -1), len(x), x.dtype)
        return clipped(x + f * (grey(x) - x), self.layer.value_range,
                       lambda dy: (1 - f) * dy + f * grey_gradient(dy, x.shape[-1]))


@kernel("Solarization")
class SolarizationKernel(RandomImageKernel):
    """On the 0..255 scale: x + a clipped to [0, 255], then 255 − it where it reaches the threshold t. Keras draws
    a ~ U(lower, upper · 255) and t alike: only the upper end is scaled to 0..255 (a number f gives (0, f))."""

    def transform(self, x, rng):
        low, high = self.layer.value_range
        to_255 = 255 / (high - low)
        add, threshold = (uniform(rng, _solarization_range(f), len(x), x.dtype)
                          for f in (self.layer.addition_factor, self.layer.threshold_factor))
        shifted = (x - low) * to_255 + add
        kept = (shifted > 0) & (shifted < 255)
        shifted = np.clip(shifted, 0, 255)
        sign = np.where(shifted < threshold, 1, -1).astype(x.dtype)
        y = (np.where(sign > 0, shifted, 255 - shifted) / to_255 + low).astype(x.dtype)
        return y, lambda dy: np.where(kept, dy * sign, 0).astype(dy.dtype)


def _solarization_range(factor):
    low, high = tuple(sorted(factor)) if isinstance(factor, tuple) else (0, factor)
    return low, high * 255
