"""conv with groups and with causal padding against loop references: one batched matmul per block over the groups,
reusing the im2col patches; blocks of images, bands of rows and tap-major patches (few channels per group) too."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops import conv as conv_module
from graphspec_backends.numpy.ops.conv import conv
from conv_references import reference_causal_conv1d, reference_grouped_conv

SPATIAL = {1: (9,), 2: (7, 6), 3: (4, 5, 4)}


def _case(rank, batch, channels, kernel_size, groups, filters=6, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, *SPATIAL[rank], channels)).astype(np.float32)
    kernel = rng.uniform(-0.5, 0.5, (*(kernel_size,) * rank, channels // groups, filters)).astype(np.float32)
    return x, kernel, rng.uniform(-1, 1, filters).astype(np.float32)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("groups, channels", [(2, 4), (3, 12), (6, 6)])  # 2 and 1 channel per group: tap-major
@pytest.mark.parametrize("kernel_size, stride, padding", [(3, 1, "same"), (2, 2, "valid"), (1, 1, "valid"),
                                                          (1, 2, "same")])
def test_matches_reference(rank, groups, channels, kernel_size, stride, padding):
    x, kernel, bias = _case(rank, 2, channels, kernel_size, groups)
    strides, dilation = (stride,) * rank, (1,) * rank
    got = conv(x, kernel, bias, strides, padding, dilation, groups=groups)
    expected = reference_grouped_conv(x, kernel, bias, strides, padding, dilation, groups)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("block_bytes", [1, 2000])
def test_blocks_and_bands_keep_every_group(monkeypatch, block_bytes):
    monkeypatch.setattr(conv_module, "BLOCK_BYTES", block_bytes)
    x, kernel, bias = _case(2, 3, 8, 3, 4, filters=8)
    got = conv(x, kernel, bias, (2, 1), "same", (1, 2), activation="relu", groups=4)
    expected = np.maximum(reference_grouped_conv(x, kernel, bias, (2, 1), "same", (1, 2), 4), 0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_group_errors():
    x, kernel, bias = _case(2, 1, 6, 3, 3)
    with pytest.raises(ValueError, match="with groups 2 expects 4"):
        conv(x, kernel, bias, groups=2)
    with pytest.raises(ValueError, match="groups 1"):
        conv(x, kernel, bias, groups=3, pool=(2, 2))


@pytest.mark.parametrize("kernel_size, stride, dilation", [(3, 1, 1), (2, 1, 3), (4, 2, 1), (3, 3, 2), (1, 1, 1)])
@pytest.mark.parametrize("channels", [1, 5])
def test_causal_matches_left_padding_then_valid(kernel_size, stride, dilation, channels):
    x, kernel, bias = _case(1, 2, channels, kernel_size, 1, filters=3)
    got = conv(x, kernel, bias, (stride,), "causal", (dilation,))
    np.testing.assert_allclose(got, reference_causal_conv1d(x, kernel, bias, stride, dilation), rtol=1e-5, atol=1e-6)


def test_causal_output_step_t_sees_only_steps_up_to_t():
    x, kernel, bias = _case(1, 1, 2, 3, 1, filters=2)
    changed = x.copy()
    changed[:, 6:] += 1
    a, b = conv(x, kernel, bias, padding="causal"), conv(changed, kernel, bias, padding="causal")
    np.testing.assert_array_equal(a[:, :6], b[:, :6])
    assert not np.allclose(a[:, 6:], b[:, 6:])
