"""dense against a float64 reference that loops over positions, inputs and units."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops.dense import dense


def reference_dense(x, kernel, bias):
    flat = x.reshape(-1, x.shape[-1]).astype(np.float64)
    result = np.zeros((flat.shape[0], kernel.shape[1]))
    for p in range(flat.shape[0]):
        for u in range(kernel.shape[1]):
            total = 0.0 if bias is None else float(bias[u])
            for i in range(kernel.shape[0]):
                total += flat[p, i] * float(kernel[i, u])
            result[p, u] = total
    return result.reshape(*x.shape[:-1], kernel.shape[1])


@pytest.mark.parametrize("shape", [(6,), (3, 6), (2, 4, 6), (2, 3, 2, 6)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_dense(shape, with_bias):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    kernel = rng.uniform(-1, 1, (6, 5)).astype(np.float32)
    bias = rng.uniform(-1, 1, 5).astype(np.float32) if with_bias else None
    got = dense(x, kernel, bias)
    assert got.shape == (*shape[:-1], 5) and got.dtype == np.float32
    np.testing.assert_allclose(got, reference_dense(x, kernel, bias), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("activation", ["relu", "softmax", "sigmoid"])
def test_activation(activation):
    rng = np.random.default_rng(1)
    x, kernel, bias = (rng.standard_normal(s).astype(np.float32) for s in [(2, 3, 4), (4, 5), (5,)])
    linear = reference_dense(x, kernel, bias)
    expected = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
                "softmax": lambda v: np.exp(v) / np.exp(v).sum(axis=-1, keepdims=True)}[activation](linear)
    np.testing.assert_allclose(dense(x, kernel, bias, activation), expected, rtol=1e-5, atol=1e-6)


def test_non_contiguous_input_and_float64():
    x = np.random.default_rng(2).standard_normal((4, 6, 3)).transpose(0, 2, 1)  # (4, 3, 6), strided
    kernel = np.ones((6, 2))
    got = dense(x, kernel, None)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, reference_dense(x, kernel, None), rtol=1e-12)


def test_mismatched_kernel():
    with pytest.raises(ValueError, match="last axis"):
        dense(np.zeros((2, 3), np.float32), np.zeros((4, 5), np.float32))
