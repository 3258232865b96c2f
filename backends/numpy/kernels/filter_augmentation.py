"""RandomSharpness, RandomGaussianBlur and RandomErasing while training, with exact gradients: the filters are
linear in the image (ops/filters.py), and an erased pixel does not depend on the input at all."""
import numpy as np

from ..ops.filters import gaussian_kernel, same_filter, same_filter_gradient
from .augmentation import RandomImageKernel, box_side, chance, clipped, keras_range, per_image
from .base import kernel

# keras's RandomSharpness smoothing kernel (PIL's ImageFilter.SMOOTH)
SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13


@kernel("RandomSharpness")
class RandomSharpnessKernel(RandomImageKernel):
    """x + (1 − 2f)(smooth(x) − x), f ~ U(keras_range(factor)) per image, clipped: f above 1/2 sharpens."""

    def transform(self, x, rng):
        s = per_image(2 * rng.uniform(*keras_range(self.layer.factor, 0), len(x))).astype(x.dtype)
        y = s * x + (1 - s) * same_filter(x, SMOOTH)
        return clipped(y, self.layer.value_range, lambda dy: s * dy + (1 - s) * same_filter_gradient(dy, SMOOTH))


@kernel("RandomGaussianBlur")
class RandomGaussianBlurKernel(RandomImageKernel):
    """The images the coin picks blurred by one Gaussian for the batch, σ_x and σ_y ~ U(keras_range(sigma)) + 1e-6
    (drawn after the coins), kernel_size (columns, rows) as Keras orders it; then every image clipped."""

    def transform(self, x, rng):
        blurred = per_image(chance(rng, self.layer.factor, len(x)))
        sigma = rng.uniform(*keras_range(self.layer.sigma, 0), 2) + 1e-6
        size = self.layer.kernel_size
        weights = gaussian_kernel(size if isinstance(size, tuple) else (size, size), sigma)
        y = np.where(blurred, same_filter(x, weights), x)
        return clipped(y, self.layer.value_range,
                       lambda dy: np.where(blurred, same_filter_gradient(dy, weights), dy))


@kernel("RandomErasing")
class RandomErasingKernel(RandomImageKernel):
    """In the images the coin picks, a box filled with fill_value (or, when null, N(0, 1) · value_range's high
    noise), the fill clipped to value_range. The box's area fractions a_x, a_y ~ U(keras_range(scale)) (drawn
    first), its sides √a_x of the width and √a_y of the height, each side's start uniform over where it fits."""

    def transform(self, x, rng):
        count, height, width = x.shape[:3]
        sides = np.sqrt(rng.uniform(*keras_range(self.layer.scale, 0), (count, 2)))
        box = (box_side(rng, sides[:, 0], width).reshape(count, 1, width)
               & box_side(rng, sides[:, 1], height).reshape(count, height, 1))[..., None]
        erased = box & per_image(chance(rng, self.layer.factor, count))
        y = np.where(erased, self._fill(x, rng), x)
        return y, lambda dy: np.where(erased, 0, dy).astype(dy.dtype)

    def _fill(self, x, rng):
        value, (low, high) = self.layer.fill_value, self.layer.value_range
        fill = rng.standard_normal(x.shape) * high if value is None else np.broadcast_to(np.asarray(value), x.shape)
        return np.clip(fill, low, high).astype(x.dtype)

