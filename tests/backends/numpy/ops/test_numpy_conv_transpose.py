"""conv_transpose (a matmul to every tap, then a col2im scatter) against the zero-stuffed convolution JAX defines."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops import conv_transpose as transpose_module
from graphspec_backends.numpy.ops.conv_transpose import conv_transpose
from conv_references import reference_conv_transpose

SPATIAL = {1: (5,), 2: (4, 3), 3: (3, 2, 3)}


def _case(rank, batch, channels, kernel_size, filters=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, *SPATIAL[rank], channels)).astype(np.float32)
    kernel = rng.uniform(-0.5, 0.5, (*kernel_size, filters, channels)).astype(np.float32)
    return x, kernel, rng.uniform(-1, 1, filters).astype(np.float32)


@pytest.mark.parametrize("kernel_size", [(3, 3), (4, 4), (2, 3), (1, 1)])
@pytest.mark.parametrize("strides", [(1, 1), (2, 2), (3, 2)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("output_padding", [None, "largest"])
def test_2d_matches_reference(kernel_size, strides, padding, output_padding):
    x, kernel, bias = _case(2, 2, 2, kernel_size)
    extra = None if output_padding is None else tuple(s - 1 for s in strides)
    expected = reference_conv_transpose(x, kernel, bias, strides, padding, extra, (1, 1))
    got = conv_transpose(x, kernel, bias, strides, padding, extra)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rank, kernel_size, strides, output_padding, dilation", [
    (1, (5,), (2,), (1,), (1,)), (1, (2,), (1,), None, (3,)), (1, (3,), (3,), (0,), (1,)),
    (2, (3, 2), (1, 1), None, (2, 2)), (3, (2, 3, 2), (1, 2, 2), None, (1, 1, 1)), (3, (2, 2, 2), (2, 2, 2), (1, 0, 1), (1, 1, 1)),
])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_other_ranks_dilation_and_output_padding(rank, kernel_size, strides, output_padding, dilation, padding):
    x, kernel, bias = _case(rank, 2, 3, kernel_size, filters=2)
    expected = np.tanh(reference_conv_transpose(x, kernel, None, strides, padding, output_padding, dilation))
    got = conv_transpose(x, kernel, None, strides, padding, output_padding, dilation, activation="tanh")
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("block_bytes", [1, 1500])
def test_blocks_of_images_with_a_partial_last_block(monkeypatch, block_bytes):
    monkeypatch.setattr(transpose_module, "BLOCK_BYTES", block_bytes)
    x, kernel, bias = _case(2, 5, 3, (3, 3))
    got = conv_transpose(x, kernel, bias, (2, 2), "same")
    np.testing.assert_allclose(got, reference_conv_transpose(x, kernel, bias, (2, 2), "same", None, (1, 1)),
                               rtol=1e-5, atol=1e-6)


def test_is_the_adjoint_of_conv():
    """<conv(y), x> == <y, conv_transpose(x)> for stride 2, valid, with no bias: the transpose of the same linear map."""
    from graphspec_backends.numpy.ops.conv import conv
    rng = np.random.default_rng(3)
    kernel = rng.normal(size=(3, 3, 2, 4))  # conv: 2 -> 4 channels; its transpose: 4 -> 2, kernel (*k, 2, 4)
    y, x = rng.normal(size=(1, 9, 9, 2)), rng.normal(size=(1, 4, 4, 4))
    left = np.sum(conv(y, kernel, None, (2, 2), "valid") * x)
    right = np.sum(y * conv_transpose(x, kernel, None, (2, 2), "valid"))
    assert abs(left - right) < 1e-9 * max(1, abs(left))


def test_float64_stays_float64_and_errors():
    x, kernel, bias = _case(2, 1, 2, (3, 3))
    assert conv_transpose(x.astype(np.float64), kernel, bias).dtype == np.float64
    with pytest.raises(ValueError, match=r"kernel \(\*kernel_size, F, C\)"):
        conv_transpose(x, kernel[..., :1])
    with pytest.raises(ValueError, match="has no output"):
        conv_transpose(x[:, :1, :1], np.zeros((2, 2, 3, 2), np.float32), None, (1, 1), "same", (0, 0))
