"""conv against a loop-based float64 reference: batch, output positions, kernel taps, channels."""

import numpy as np
import pytest

from graphspec_backends.numpy.ops import conv as conv_module
from graphspec_backends.numpy.ops.conv import conv
from references import reference_conv


SPATIAL = {1: (9,), 2: (7, 6), 3: (5, 4, 5)}


def _case(rank, batch, channels, kernel_size, filters=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, *SPATIAL[rank], channels)).astype(np.float32)
    kernel = rng.uniform(-0.5, 0.5, (*(kernel_size,) * rank, channels, filters)).astype(np.float32)
    bias = rng.uniform(-1, 1, filters).astype(np.float32)
    return x, kernel, bias


def _fits(x, kernel_size, stride, padding, dilation):
    return padding == "same" or min(x.shape[1:-1]) >= (kernel_size - 1) * dilation + 1


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_size", [2, 3])
@pytest.mark.parametrize("dilation", [1, 2])
@pytest.mark.parametrize("batch, channels", [(1, 1), (2, 5)])  # tap-major and channels-last patches
def test_matches_reference(rank, stride, padding, kernel_size, dilation, batch, channels):
    x, kernel, bias = _case(rank, batch, channels, kernel_size)
    strides, dilations = (stride,) * rank, (dilation,) * rank
    if not _fits(x, kernel_size, stride, padding, dilation):
        with pytest.raises(ValueError, match="does not fit input"):
            conv(x, kernel, bias, strides, padding, dilations)
        return
    got = conv(x, kernel, bias, strides, padding, dilations)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, reference_conv(x, kernel, bias, strides, padding, dilations), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("strides, padding, dilation", [((1, 2), "same", (2, 1)), ((3, 1), "valid", (1, 2))])
def test_mixed_strides_and_dilations_per_axis(strides, padding, dilation):
    x, kernel, bias = _case(2, 2, 4, 3)
    got = conv(x, kernel, bias, strides, padding, dilation)
    np.testing.assert_allclose(got, reference_conv(x, kernel, bias, strides, padding, dilation), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_one_by_one_kernel_with_and_without_bias(stride, padding):
    x, kernel, bias = _case(2, 3, 6, 1, filters=4)
    for b in (bias, None):
        got = conv(x, kernel, b, (stride, stride), padding)
        np.testing.assert_allclose(got, reference_conv(x, kernel, b, (stride, stride), padding, (1, 1)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("block_bytes", [1, 3000])
@pytest.mark.parametrize("channels", [2, 6])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_blocks_of_images_and_bands_of_rows(monkeypatch, block_bytes, channels, padding):
    """Tiny blocks force bands of output rows within one image and a partial last block."""
    monkeypatch.setattr(conv_module, "BLOCK_BYTES", block_bytes)
    x, kernel, bias = _case(2, 3, channels, 3)
    got = conv(x, kernel, bias, (2, 1), padding, (1, 1))
    np.testing.assert_allclose(got, reference_conv(x, kernel, bias, (2, 1), padding, (1, 1)), rtol=1e-5, atol=1e-6)


def test_activation_is_applied_after_the_bias():
    x, kernel, bias = _case(2, 2, 3, 3)
    expected = np.maximum(reference_conv(x, kernel, bias, (1, 1), "same", (1, 1)), 0)
    got = conv(x, kernel, bias, (1, 1), "same", activation="relu")
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_float64_stays_float64():
    x, kernel, bias = _case(1, 2, 2, 3)
    assert conv(x.astype(np.float64), kernel, bias).dtype == np.float64


def test_errors_name_the_shapes():
    x, kernel, _ = _case(2, 1, 3, 3)
    with pytest.raises(ValueError, match="3 channels but kernel"):
        conv(x, kernel[:, :, :2])
    with pytest.raises(ValueError, match="does not fit"):
        conv(x, np.zeros((9, 9, 3, 2), np.float32))


def test_writes_into_a_given_output_buffer():
    x, kernel, bias = _case(2, 2, 4, 3)
    buffer = np.full((2, 7, 6, 3), np.nan, np.float32)
    assert conv(x, kernel, bias, padding="same", out=buffer) is buffer
    np.testing.assert_allclose(buffer, reference_conv(x, kernel, bias, (1, 1), "same", (1, 1)), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="out must be"):
        conv(x, kernel, bias, padding="valid", out=buffer)


def test_scratch_bytes_let_one_image_run_as_one_block(monkeypatch):
    """At batch 1 twice a conv's own arrays would cut the image into bands of rows; the scratch a plan allows (the
    model's largest activation) keeps it whole, with the same result."""
    blocks = []
    real = conv_module._block_size
    monkeypatch.setattr(conv_module, "_block_size", lambda *args: blocks.append(real(*args)) or blocks[-1])
    _, kernel, bias = _case(2, 1, 64, 3, filters=64)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 31, 31, 64)).astype(np.float32)
    banded = conv(x, kernel, bias, pool=(2, 2), activation="relu")
    whole = conv(x, kernel, bias, pool=(2, 2), activation="relu", scratch_bytes=4 << 20)
    assert blocks == [(1, 3), (1, 14)]  # 14 pooled rows: bands of 3, or the whole image
    # The two GEMMs differ in height, so OpenBLAS may sum the 576 float32 products in another order.
    np.testing.assert_allclose(whole, banded, rtol=1e-5, atol=1e-5)
