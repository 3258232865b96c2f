"""Keras's random geometric layers while training: RandomFlip, and the affine warps (rotation, translation, zoom,
shear) as keras.ops.image.affine_transform computes them. Output pixel (row y, column x) reads the input at column
a0·x + a1·y + a2 and row b0·x + b1·y + b2, interpolated and filled as ops/sampling.py does; the gradient is that
sampling's transpose."""
import numpy as np

from ..ops.sampling import sample, sample_gradient, taps
from .augmentation import RandomImageKernel, keras_range, per_image, symmetric_range
from .base import kernel


@kernel("RandomFlip")
class RandomFlipKernel(RandomImageKernel):
    """Each image flipped when u ~ U(0, 1) ≤ 0.5. horizontal_and_vertical flips both axes on that one draw, as
    Keras 3.15 does: an image is turned half a turn or left as it is, never flipped on one axis only."""

    def transform(self, x, rng):
        flipped = per_image(rng.uniform(size=len(x)) <= 0.5)
        axes = {"horizontal": (2,), "vertical": (1,), "horizontal_and_vertical": (1, 2)}[self.layer.mode]

        def flip(a):
            return np.where(flipped, np.flip(a, axes), a)
        return flip(x), flip


class WarpKernel(RandomImageKernel):
    """Each output pixel reads the input at a random point: `points(shape, rng)` gives their rows and columns,
    each (batch, height, width); fill_mode comes from the layer (constant where it has none)."""

    def transform(self, x, rng):
        layer = self.layer
        rows, cols = self.points(x.shape, rng)
        read = taps(x.shape, rows, cols, layer.interpolation, getattr(layer, "fill_mode", "constant"))
        return sample(x, read, layer.fill_value), lambda dy: sample_gradient(dy, read, x.shape)


def grid(height: int, width: int):
    """Each pixel's (row, column), as float arrays (height, width)."""
    return np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64), indexing="ij")


class AffineKernel(WarpKernel):
    """A random affine map per image; `matrices(height, width, count, rng)` gives each image's (a0, a1, a2, b0, b1,
    b2) as columns of a (count, 6) array."""

    def points(self, shape, rng):
        count, height, width = shape[:3]
        a0, a1, a2, b0, b1, b2 = (m.reshape(-1, 1, 1) for m in self.matrices(height, width, count, rng).T)
        row, col = grid(height, width)
        return b0 * col + b1 * row + b2, a0 * col + a1 * row + a2


def rotation(angle, height, width):
    """keras's _compute_affine_matrix for a rotation by `angle` degrees about the image centre."""
    theta = np.deg2rad(angle)
    cos, sin = np.cos(theta), np.sin(theta)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    return np.stack([cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos], 1)


@kernel("RandomRotation")
class RandomRotationKernel(AffineKernel):
    """An angle ~ U(lower, upper) · 360° per image (factor is a fraction of a full turn), about the centre."""

    def matrices(self, height, width, count, rng):
        lower, upper = keras_range(self.layer.factor, -1)
        return rotation(rng.uniform(lower * 360, upper * 360, count), height, width)


@kernel("RandomTranslation")
class RandomTranslationKernel(AffineKernel):
    """Shifts of U(height range) · height rows and U(width range) · width columns per image (height drawn first);
    the image moves by them, so each output pixel reads from the opposite shift."""

    def matrices(self, height, width, count, rng):
        dy = rng.uniform(*symmetric_range(self.layer.height_factor), count) * height
        dx = rng.uniform(*symmetric_range(self.layer.width_factor), count) * width
        ones, zeros = np.ones(count), np.zeros(count)
        return np.stack([ones, zeros, -dx, zeros, ones, -dy], 1)


@kernel("RandomZoom")
class RandomZoomKernel(AffineKernel):
    """Zooms 1 + U(height range) down the rows and 1 + U(width range) across (the height's draw when width_factor
    is null), about the centre: above 1 the output reads a larger area, so the image shrinks (zooms out)."""

    def matrices(self, height, width, count, rng):
        zoom_y = 1 + rng.uniform(*symmetric_range(self.layer.height_factor), count)
        width_factor = self.layer.width_factor
        zoom_x = zoom_y if width_factor is None else 1 + rng.uniform(*symmetric_range(width_factor), count)
        zeros = np.zeros(count)
        return np.stack([zoom_x, zeros, (width - 1) / 2 * (1 - zoom_x),
                         zeros, zoom_y, (height - 1) / 2 * (1 - zoom_y)], 1)


@kernel("RandomShear")
class RandomShearKernel(AffineKernel):
    """Shears s_x ~ U(x range) and s_y ~ U(y range) per image, both negated together on a fair coin drawn first,
    entering the matrix as they are (about the top-left corner, as Keras's _get_shear_matrix)."""

    def matrices(self, height, width, count, rng):
        sign = np.where(rng.uniform(size=count) > 0.5, -1.0, 1.0)
        shear_y = rng.uniform(*symmetric_range(self.layer.y_factor), count) * sign
        shear_x = rng.uniform(*symmetric_range(self.layer.x_factor), count) * sign
        ones, zeros = np.ones(count), np.zeros(count)
        return np.stack([ones, shear_x, zeros, shear_y, ones, zeros], 1)
