"""MixUp and CutMix while training: each image mixed with the image a random permutation of the batch pairs it with.

Keras mixes the labels too only when the layer is called on a dict {"images", "labels"}, in an input pipeline.
A layer inside a model receives the image tensor alone, so while `fit` runs such a model Keras mixes the images
and leaves the labels as they are; graphspec does the same. The gradient is exact: each output pixel is a fixed
blend (MixUp) or a copy (CutMix) of input pixels, so its gradient goes back to them, through the permutation.
"""
import numpy as np

from .augmentation import RandomImageKernel, box_side, keras_range, per_image
from .base import kernel


def unpermute(dy, order):
    """d x of x[order] (order a permutation of the batch), for d output dy."""
    dx = np.empty_like(dy)
    dx[order] = dy
    return dx


@kernel("MixUp")
class MixUpKernel(RandomImageKernel):
    """w · x + (1 − w) · x[order], order a random permutation (drawn first), w ~ Beta(alpha, alpha) per image."""

    def transform(self, x, rng):
        order = rng.permutation(len(x))
        w = per_image(rng.beta(self.layer.alpha, self.layer.alpha, len(x))).astype(x.dtype)
        return w * x + (1 - w) * x[order], lambda dy: w * dy + unpermute((1 - w) * dy, order)


@kernel("CutMix")
class CutMixKernel(RandomImageKernel):
    """A box of each image replaced by the same box of x[order]: alpha ~ U(keras_range(factor)) + 1e-6 for the
    batch, w ~ Beta(alpha, alpha) per image, the box sides √(1 − w) of the width and of the height, each side's
    start uniform over where it fits (columns drawn before rows), the permutation drawn last."""

    def transform(self, x, rng):
        count, height, width = x.shape[:3]
        alpha = rng.uniform(*keras_range(self.layer.factor, 0)) + 1e-6
        ratio = np.sqrt(1 - rng.beta(alpha, alpha, count))
        box = (box_side(rng, ratio, width).reshape(count, 1, width)
               & box_side(rng, ratio, height).reshape(count, height, 1))[..., None]
        order = rng.permutation(count)
        return np.where(box, x[order], x), lambda dy: np.where(box, 0, dy) + unpermute(np.where(box, dy, 0), order)

