"""What Keras's random image layers share: the identity at inference (integers cast to float32 as Keras declares;
RandomGrayscale keeps the dtype); while training, a random transform drawn per batch from the plan's seeded
generator (Training.rng, as Dropout draws its mask), so a run is reproducible from its seed. The draws follow
Keras's distributions and ranges, not its random stream.

A subclass writes `transform(x, rng) -> (y, backward)` (images.py's ImageKernel).
"""
import numpy as np

from .images import ImageKernel, as_float


def keras_range(factor, low_bound: float):
    """Keras's _set_factor: a number f gives (max(-|f|, low_bound), |f|), a pair its two ends in order."""
    if isinstance(factor, tuple):
        return tuple(sorted(factor))
    return max(-abs(factor), low_bound), abs(factor)


def symmetric_range(factor):
    """The zoom, translation and shear layers' own _set_factor: a number f gives (-|f|, |f|)."""
    return tuple(sorted(factor)) if isinstance(factor, tuple) else (-abs(factor), abs(factor))


def per_image(values: np.ndarray) -> np.ndarray:
    """A draw per image, shaped to broadcast over (batch, height, width, channels)."""
    return values.reshape(-1, 1, 1, 1)


def chance(rng, factor, count: int) -> np.ndarray:
    """Keras's per-image coin: applied where u ~ U(0, 1), drawn second, falls below p ~ U(keras_range(factor))."""
    probability = rng.uniform(*keras_range(factor, 0), count)
    return rng.uniform(size=count) < probability


def box_side(rng, ratio, length: int):
    """Keras's _compute_crop_bounds for a box side per image (a row of the result): whether each of `length`
    positions lies in a side of ratio · length whose start is uniform over where it fits."""
    side = ratio * length
    start = rng.uniform(size=len(ratio)) * (length - side)
    position = np.arange(length)
    return (position >= start[:, None]) & (position < (start + side)[:, None])


class RandomImageKernel(ImageKernel):
    def forward(self, inputs, masks):
        x = inputs[0]
        return x if self.layer.dtype_rule == "preserve" else as_float(x)


def clipped(y: np.ndarray, value_range, backward):
    """y clipped to value_range, and the backward passing only the unclipped pixels' gradient on."""
    low, high = value_range
    inside = (y > low) & (y < high)
    return np.clip(y, low, high).astype(y.dtype), lambda dy: backward(np.where(inside, dy, 0).astype(dy.dtype))

