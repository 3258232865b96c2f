"""Max pooling's gradient where the windows tile the input (strides = pool size, no padding), against a loop over
windows: d output goes to the first maximum of each window in row-major order (ties after a ReLU are common), and
the rows or columns no window covers get 0."""
import itertools

import numpy as np
import pytest

from graphspec_backends.numpy.ops.pooling import pool
from graphspec_backends.numpy.ops.pooling_gradients import pool_gradient


def by_windows(x, dy, pool_size):
    dx = np.zeros_like(x)
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
        for out in itertools.product(*map(range, dy.shape[1:-1])):
            corner = [o * p for o, p in zip(out, pool_size)]
            window = x[(b, *(slice(k, k + p) for k, p in zip(corner, pool_size)), c)]
            first = np.unravel_index(np.argmax(window), window.shape)  # argmax: the first maximum
            dx[(b, *(k + f for k, f in zip(corner, first)), c)] = dy[(b, *out, c)]
    return dx


@pytest.mark.parametrize("shape, pool_size", [
    ((2, 8, 3), (2,)), ((2, 9, 3), (4,)), ((2, 6, 6, 3), (2, 2)), ((1, 7, 5, 2), (2, 2)), ((1, 6, 9, 2), (3, 2)),
    ((1, 4, 6, 5, 2), (2, 3, 2)),
])
def test_tiled_max_gradient_goes_to_each_windows_first_maximum(shape, pool_size):
    rng = np.random.default_rng(len(shape) + sum(pool_size))
    x = np.maximum(rng.integers(-3, 3, shape), 0).astype("float32")  # many ties, at 0 and above
    y = pool(x, pool_size, pool_size, "valid", "max")
    dy = rng.standard_normal(y.shape).astype("float32")
    np.testing.assert_array_equal(pool_gradient(x, y, dy, pool_size, pool_size, "valid", "max"),
                                  by_windows(x, dy, pool_size))
