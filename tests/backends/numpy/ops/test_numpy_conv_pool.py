"""conv with max pooling fused (pool=) equals conv followed by pool, for every geometry and block size."""
import itertools

import numpy as np
import pytest

from graphspec_backends.numpy.ops import conv as conv_module
from graphspec_backends.numpy.ops.conv import conv
from graphspec_backends.numpy.ops.pooling import pool

SPATIAL = {1: (13,), 2: (9, 8), 3: (7, 6, 7)}
GEOMETRIES = [(k, s, padding, d) for k, s, padding, d in itertools.product([1, 3], [1, 2], ["valid", "same"], [1, 2])]


def _case(rank, channels, kernel_size, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (3, *SPATIAL[rank], channels)).astype(np.float32)
    kernel = rng.uniform(-0.5, 0.5, (*(kernel_size,) * rank, channels, 4)).astype(np.float32)
    return x, kernel, rng.uniform(-1, 1, 4).astype(np.float32)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("channels", [1, 5])  # tap-major and channels-last patches
@pytest.mark.parametrize("window", [2, 3])
@pytest.mark.parametrize("block_bytes", [1, 3000, 6 << 20])  # bands of rows, a few images, the whole batch
def test_fused_pooling_equals_conv_then_pool(monkeypatch, rank, channels, window, block_bytes):
    monkeypatch.setattr(conv_module, "BLOCK_BYTES", block_bytes)
    for (k, s, padding, d), activation in itertools.product(GEOMETRIES, [None, "relu", "tanh"]):
        x, kernel, bias = _case(rank, channels, k)
        strides, dilation, windows = (s,) * rank, (d,) * rank, (window,) * rank
        unpooled = conv(x, kernel, bias, strides, padding, dilation, activation)
        if min(unpooled.shape[1:-1]) < window:
            continue
        expected = pool(unpooled, windows, windows, "valid", "max")
        got = conv(x, kernel, bias, strides, padding, dilation, activation, pool=windows)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6, err_msg=f"{(k, s, padding, d, activation)}")


def test_writes_into_a_given_output_buffer():
    x, kernel, bias = _case(2, 3, 3)
    buffer = np.full((3, 3, 3, 4), np.nan, np.float32)
    assert conv(x, kernel, bias, pool=(2, 2), out=buffer) is buffer
    np.testing.assert_allclose(buffer, pool(conv(x, kernel, bias), (2, 2), (2, 2), "valid", "max"), atol=1e-6)


def test_refuses_what_would_change_the_result():
    x, kernel, bias = _case(2, 3, 3)
    with pytest.raises(ValueError, match="gelu"):
        conv(x, kernel, bias, activation="gelu", pool=(2, 2))  # max does not commute with a non-monotonic function
    with pytest.raises(ValueError, match="does not fit"):
        conv(x, kernel, bias, pool=(9, 9))
