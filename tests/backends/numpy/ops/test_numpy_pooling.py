"""pool and global_pool against loop-based float64 references (TensorFlow's padding rules)."""

import numpy as np
import pytest

from graphspec_backends.numpy.ops import pooling as pooling_module
from graphspec_backends.numpy.ops.pooling import global_pool, pool
from references import reference_pool


SPATIAL = {1: (10,), 2: (7, 8), 3: (5, 6, 4)}


def _input(rank, batch, channels=3, seed=0):
    return np.random.default_rng(seed).standard_normal((batch, *SPATIAL[rank], channels)).astype(np.float32)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("pool_size", [2, 3])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("batch", [1, 3])
def test_matches_reference(rank, pool_size, stride, padding, mode, batch):
    x = _input(rank, batch)
    sizes, strides = (pool_size,) * rank, (stride,) * rank
    got = pool(x, sizes, strides, padding, mode)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, reference_pool(x, sizes, strides, padding, mode), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("pool_size, strides", [((2, 3), (2, 3)), ((3, 2), (1, 2)), ((1, 3), (1, 1)), ((2, 2), (3, 1))])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_uneven_windows(pool_size, strides, padding, mode):
    x = _input(2, 2)
    got = pool(x, pool_size, strides, padding, mode)
    np.testing.assert_allclose(got, reference_pool(x, pool_size, strides, padding, mode), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_small_blocks(monkeypatch, mode):
    monkeypatch.setattr(pooling_module, "BLOCK_BYTES", 1)  # one image per block
    x = _input(2, 4)
    got = pool(x, (3, 3), (2, 2), "same", mode)
    np.testing.assert_allclose(got, reference_pool(x, (3, 3), (2, 2), "same", mode), rtol=1e-5, atol=1e-6)


def test_same_max_never_returns_padding():
    x = -np.ones((1, 5, 5, 1), np.float32) * 100  # -inf padding must lose to every real value
    assert np.all(pool(x, (4, 4), (2, 2), "same", "max") == -100)


def test_bad_arguments():
    x = _input(2, 1)
    with pytest.raises(ValueError, match="mode"):
        pool(x, (2, 2), (2, 2), "valid", "min")
    with pytest.raises(ValueError, match="one entry per spatial axis"):
        pool(x, (2,), (2,), "valid", "max")
    with pytest.raises(ValueError, match="does not fit"):
        pool(x, (9, 9), (1, 1), "valid", "max")


def reference_global(x, mode, mask):
    """Loop over batch and channels; masked steps are left out of the max and of the average."""
    steps = x.reshape(x.shape[0], -1, x.shape[-1]).astype(np.float64)
    result = np.zeros((x.shape[0], x.shape[-1]))
    for b in range(steps.shape[0]):
        for c in range(steps.shape[-1]):
            values = [steps[b, t, c] for t in range(steps.shape[1]) if mask is None or mask[b, t]]
            result[b, c] = max(values) if mode == "max" else sum(values) / len(values)
    return result


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("batch", [1, 3])
def test_global_pool(rank, mode, batch):
    x = _input(rank, batch)
    got = global_pool(x, mode)
    assert got.shape == (batch, 3) and got.dtype == np.float32
    np.testing.assert_allclose(got, reference_global(x, mode, None), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_global_pool_with_mask(mode):
    x = _input(1, 3) + 5  # positive, so a max that wrongly used a masked step (zeroed or not) would show
    x[:, 7:] += 100  # masked steps hold the largest values
    mask = np.ones((3, 10), bool)
    mask[0, 7:] = False
    mask[1, [0, 3, 7, 8, 9]] = False
    mask[2, 7:] = False
    got = global_pool(x, mode, mask)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, reference_global(x, mode, mask), rtol=1e-5, atol=1e-6)


def test_global_pool_fully_masked_rows():
    x, mask = _input(1, 1), np.zeros((1, 10), bool)
    assert np.all(np.isnan(global_pool(x, "avg", mask)))
    assert np.all(global_pool(x, "max", mask) == -np.inf)


def test_global_pool_mask_shape_is_checked():
    with pytest.raises(ValueError, match="mask must be"):
        global_pool(_input(1, 2), "avg", np.ones((2, 9), bool))


def test_writes_into_a_given_output_buffer():
    x = _input(2, 2)
    buffer = np.full((2, 4, 4, 3), np.nan, np.float32)
    assert pool(x, (2, 2), (2, 2), "same", "avg", out=buffer) is buffer
    np.testing.assert_allclose(buffer, reference_pool(x, (2, 2), (2, 2), "same", "avg"), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="out must be"):
        pool(x, (2, 2), (2, 2), "valid", "avg", out=buffer)
