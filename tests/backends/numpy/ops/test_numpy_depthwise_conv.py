"""depthwise_conv against a loop reference: a multiply-accumulate over the taps, never a dense conv."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops import depthwise_conv as depthwise_module
from graphspec_backends.numpy.ops.depthwise_conv import depthwise_conv
from conv_references import reference_depthwise

SPATIAL = {1: (11,), 2: (7, 6), 3: (4, 5, 4)}


def _case(rank, batch, channels, kernel_size, multiplier, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, *SPATIAL[rank], channels)).astype(np.float32)
    kernel = rng.uniform(-0.5, 0.5, (*kernel_size, channels, multiplier)).astype(np.float32)
    return x, kernel, rng.uniform(-1, 1, channels * multiplier).astype(np.float32)


@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 3), (1, 1)])
@pytest.mark.parametrize("strides", [(1, 1), (2, 2), (1, 3)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("multiplier", [1, 3])
def test_2d_matches_reference(kernel_size, strides, padding, multiplier):
    x, kernel, bias = _case(2, 2, 4, kernel_size, multiplier)
    got = depthwise_conv(x, kernel, bias, strides, padding)
    assert got.dtype == np.float32 and got.shape[-1] == 4 * multiplier
    np.testing.assert_allclose(got, reference_depthwise(x, kernel, bias, strides, padding, (1, 1)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rank, kernel_size, strides, dilation", [
    (1, (3,), (1,), (2,)), (1, (4,), (2,), (1,)), (2, (3, 3), (1, 1), (2, 1)), (2, (2, 2), (2, 2), (2, 2)),
    (3, (2, 3, 2), (1, 2, 1), (1, 1, 2)),
])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_dilation_and_other_ranks(rank, kernel_size, strides, dilation, padding):
    x, kernel, bias = _case(rank, 3, 3, kernel_size, 2)
    got = depthwise_conv(x, kernel, None, strides, padding, dilation, activation="relu")
    expected = np.maximum(reference_depthwise(x, kernel, None, strides, padding, dilation), 0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("block_bytes", [1, 3000])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_blocks_of_images_with_a_partial_last_block(monkeypatch, block_bytes, padding):
    monkeypatch.setattr(depthwise_module, "BLOCK_BYTES", block_bytes)
    x, kernel, bias = _case(2, 5, 3, (3, 3), 2)
    got = depthwise_conv(x, kernel, bias, (1, 2), padding)
    np.testing.assert_allclose(got, reference_depthwise(x, kernel, bias, (1, 2), padding, (1, 1)), rtol=1e-5, atol=1e-6)


def test_float64_stays_float64_and_errors_name_the_shapes():
    x, kernel, bias = _case(2, 1, 3, (3, 3), 1)
    assert depthwise_conv(x.astype(np.float64), kernel, bias).dtype == np.float64
    with pytest.raises(ValueError, match=r"kernel \(\*kernel_size, C, m\)"):
        depthwise_conv(x, kernel[:, :, :2])
    with pytest.raises(ValueError, match="does not fit"):
        depthwise_conv(x, np.zeros((9, 9, 3, 1), np.float32))
