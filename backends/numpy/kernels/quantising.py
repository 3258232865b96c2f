"""RandomPosterization and Equalization while training: both map each pixel to one of a few levels, so their output
is piecewise constant in the input. The gradient used is the true one, zero almost everywhere (finite differences
agree away from a level's edge), which is also what Keras's autodiff gives: its uint8 casts and table lookups pass
no gradient. An augmentation sits at a model's input, where nothing upstream learns from it."""
import numpy as np

from .augmentation import RandomImageKernel, keras_range
from .base import kernel


def to_255(x, value_range):
    low, high = value_range
    return (x - low) * (255 / (high - low))


def from_255(x, value_range):
    low, high = value_range
    return x * ((high - low) / 255) + low


def no_gradient(dy):
    return np.zeros_like(dy)


@kernel("RandomPosterization")
class RandomPosterizationKernel(RandomImageKernel):
    """Each image keeps b of its 8 bits on the 0..255 scale, b drawn per image from [lower, upper) as Keras's randint
    (lower itself when the two are equal), keras_range(factor) with the bound 1."""

    def transform(self, x, rng):
        lower, upper = (int(v) for v in keras_range(self.layer.factor, 1))
        bits = rng.integers(lower, upper, len(x)) if lower != upper else np.full(len(x), lower)
        shift = (8 - bits).astype(np.uint8).reshape(-1, 1, 1, 1)
        pixels = np.clip(to_255(x, self.layer.value_range), 0, 255).astype(np.uint8)  # as uint8 holds them
        kept = (pixels >> shift) << shift
        return from_255(kept.astype(x.dtype), self.layer.value_range).astype(x.dtype), no_gradient


@kernel("Equalization")
class EqualizationKernel(RandomImageKernel):
    """Keras 3.15's histogram equalisation: per channel, over the whole batch at once (Keras takes images[..., i]),
    `bins` bins on the 0..255 scale; a channel whose pixels all fall in one bin is kept as it is (gradient 1)."""

    def transform(self, x, rng):
        scaled = to_255(x, self.layer.value_range)
        bins = self.layer.bins
        # Keras bins a pixel as x · (bins − 1) / 255 for the histogram but looks it up at x / 255 · (bins − 1): in
        # float32 the two can part at a bin's edge, so both are kept, each in Keras's order of operations
        binned = np.clip((scaled * (bins - 1) / 255).astype(np.int64), 0, bins - 1)
        index = np.clip(scaled / 255 * (bins - 1), 0, bins - 1).astype(np.int64)
        channels = x.shape[-1]
        flat = np.moveaxis(binned, -1, 0).reshape(channels, -1) + np.arange(channels)[:, None] * bins
        histogram = np.bincount(flat.ravel(), minlength=channels * bins).reshape(channels, bins)
        cdf = np.cumsum(histogram, axis=1)
        first = np.take_along_axis(cdf, np.argmax(cdf > 0, axis=1)[:, None], axis=1)
        span = cdf[:, -1:] - first
        table = np.clip(np.round((cdf - first) * 255 / np.where(span == 0, 1, span)), 0, 255)
        equalised = table[np.arange(channels), index]
        flat_channel = np.count_nonzero(histogram, axis=1) <= 1
        y = np.where(flat_channel, scaled, equalised)
        return from_255(y, self.layer.value_range).astype(x.dtype), lambda dy: np.where(flat_channel, dy, 0)
