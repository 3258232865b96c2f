"""RandomSaturation, RandomHue and RandomColorJitter while training, through ops/hsv.py's conversions and their
exact gradients (away from ties between channels, where HSV itself has a kink)."""
import numpy as np

from ..ops.hsv import hsv_to_rgb, rgb_to_hsv
from .augmentation import RandomImageKernel, keras_range
from .base import kernel
from .colour_augmentation import FactorKernel, brightness, contrast

KERAS_EPSILON = 1e-7


def saturation(x, rng, factor, value_range):
    """s · f/(1 − f), f ~ U(keras_range(factor)) per image, on HSV computed from x as it is. Keras 3.15 clips the
    new s to value_range, not to [0, 1]: with the default (0, 255), s may pass 1 and the smallest channel then
    goes below 0 (no clip follows)."""
    f = rng.uniform(*keras_range(factor, -1), len(x))
    f = (f / (1 - f + KERAS_EPSILON)).reshape(-1, 1, 1).astype(x.dtype)
    (h, s, v), to_hsv_backward = rgb_to_hsv(x)
    scaled = s * f
    inside = (scaled > value_range[0]) & (scaled < value_range[1])
    y, to_rgb_backward = hsv_to_rgb(h, np.clip(scaled, *value_range), v)

    def backward(dy):
        dh, ds, dv = to_rgb_backward(dy)
        return to_hsv_backward(dh, np.where(inside, ds * f, 0), dv)
    return y, backward


def hue(x, rng, factor, value_range):
    """The hue turned by ±f/2 (f ~ U(keras_range(factor)), the sign on a fair coin drawn first) on the 0..1 scale,
    wrapped into [0, 1], the result clipped to [0, 1] and scaled back to value_range."""
    sign = np.where(rng.uniform(size=len(x)) > 0.5, -1.0, 1.0)
    delta = (sign * rng.uniform(*keras_range(factor, 0), len(x)) * 0.5).reshape(-1, 1, 1).astype(x.dtype)
    low, high = value_range
    (h, s, v), to_hsv_backward = rgb_to_hsv((x - low) / (high - low))
    turned = h + delta
    turned = np.where(turned > 1, turned - 1, np.where(turned < 0, turned + 1, turned))
    y, to_rgb_backward = hsv_to_rgb(turned, s, v)
    inside = (y > 0) & (y < 1)

    def backward(dy):
        return to_hsv_backward(*to_rgb_backward(np.where(inside, dy, 0)))
    return (np.clip(y, 0, 1) * (high - low) + low).astype(x.dtype), backward


@kernel("RandomSaturation")
class RandomSaturationKernel(FactorKernel):
    channels = (3,)
    change = staticmethod(saturation)


@kernel("RandomHue")
class RandomHueKernel(FactorKernel):
    channels = (3,)
    change = staticmethod(hue)


JITTER = (("brightness_factor", brightness), ("contrast_factor", contrast), ("saturation_factor", saturation),
          ("hue_factor", hue))


@kernel("RandomColorJitter")
class RandomColorJitterKernel(RandomImageKernel):
    """Brightness, contrast, saturation and hue in that order, each given factor's own draw, as Keras chains them."""

    @property
    def channels(self):
        hsv = self.layer.saturation_factor is not None or self.layer.hue_factor is not None
        return (3,) if hsv else None

    def transform(self, x, rng):
        backwards = []
        for field, change in JITTER:
            factor = getattr(self.layer, field)
            if factor is not None:
                x, backward = change(x, rng, factor, self.layer.value_range)
                backwards.append(backward)

        def backward(dy):
            for step in reversed(backwards):
                dy = step(dy)
            return dy
        return x, backward
