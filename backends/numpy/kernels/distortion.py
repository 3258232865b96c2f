"""RandomPerspective and RandomElasticTransform while training: warps whose points are not affine, sampled and
differentiated as the affine ones are (geometric_augmentation.WarpKernel)."""
import numpy as np

from ..ops.filters import gaussian_kernel, same_filter
from .augmentation import chance, clipped, keras_range
from .base import kernel
from .geometric_augmentation import WarpKernel, grid


def homography(start, end):
    """keras's compute_homography_matrix: per image, the 8 coefficients a mapping each end point (x, y) to its
    start point: x_s = (a0 x + a1 y + a2) / (a6 x + a7 y + 1), y_s = (a3 x + a4 y + a5) / (the same)."""
    ex, ey, sx, sy = end[..., 0], end[..., 1], start[..., 0], start[..., 1]
    one, zero = np.ones_like(ex), np.zeros_like(ex)
    x_rows = np.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1)
    y_rows = np.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1)
    matrix = np.stack([x_rows, y_rows], 2).reshape(len(end), 8, 8)
    return np.linalg.solve(matrix, np.stack([sx, sy], 2).reshape(len(end), 8, 1))[..., 0]


@kernel("RandomPerspective")
class RandomPerspectiveKernel(WarpKernel):
    """In the images the coin picks, each corner (x, y) moved to (x, y) · (1 + U(−scale/2, scale/2)) per
    coordinate, as Keras moves them in proportion to their own coordinates (so the top-left corner stays put), and
    the image warped by the homography between; pixels from outside take fill_value."""

    def points(self, shape, rng):
        count, height, width = shape[:3]
        applied = chance(rng, self.layer.factor, count)
        moves = rng.uniform(-0.5 * self.layer.scale, 0.5 * self.layer.scale, (count, 4, 2))
        start = np.broadcast_to(np.array([[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]],
                                         np.float64), (count, 4, 2))
        end = np.where(applied[:, None, None], start + start * moves, start)
        a0, a1, a2, a3, a4, a5, a6, a7 = (a.reshape(-1, 1, 1) for a in homography(start, end).T)
        row, col = grid(height, width)
        denominator = a6 * col + a7 * row + 1
        return (a3 * col + a4 * row + a5) / denominator, (a0 * col + a1 * row + a2) / denominator


@kernel("RandomElasticTransform")
class RandomElasticTransformKernel(WarpKernel):
    """In the images the coin picks, each pixel reads from itself displaced by alpha · (Gaussian-blurred N(0, σ²)
    noise, the columns' field drawn before the rows'), for a distortion d ~ U(keras_range(scale)) of the batch:
    alpha = 0.1 d · the longer side, σ = 0.05 d · the shorter, blurred by a kernel of int(6σ) | 1 taps; the result
    clipped to value_range. No scale or no factor leaves the images as they are, as in Keras."""

    def transform(self, x, rng):
        y, backward = super().transform(x, rng)
        return clipped(y, self.layer.value_range, backward)

    def points(self, shape, rng):
        count, height, width = shape[:3]
        row, col = (np.broadcast_to(a, (count, height, width)) for a in grid(height, width))
        if not keras_range(self.layer.scale, 0)[1] or not keras_range(self.layer.factor, 0)[1]:
            return row, col
        applied = chance(rng, self.layer.factor, count)[:, None, None]
        d = rng.uniform(*keras_range(self.layer.scale, 0))
        alpha, sigma = max(height, width) * 0.1 * d, min(height, width) * 0.05 * d
        size = int(6 * sigma) | 1
        noise = rng.standard_normal((2 * count, height, width, 1)) * sigma
        field = same_filter(noise, gaussian_kernel((size, size), (sigma, sigma)))[..., 0] * alpha
        return row + np.where(applied, field[count:], 0), col + np.where(applied, field[:count], 0)
