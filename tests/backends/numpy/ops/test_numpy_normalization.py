"""batch_norm and layer_norm against element-by-element float64 references."""
import itertools
import math

import numpy as np
import pytest

from graphspec_backends.numpy.ops.normalization import batch_norm, layer_norm

SHAPES = [(5, 4), (2, 3, 4), (2, 3, 2, 4)]


def _vectors(size=4, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(0.5, 2, size).astype(np.float32), rng.uniform(-1, 1, size).astype(np.float32),
            rng.uniform(-1, 1, size).astype(np.float32), rng.uniform(0.1, 3, size).astype(np.float32))


def reference_batch_norm(x, gamma, beta, mean, variance, epsilon):
    result = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape)):
        c = index[-1]
        value = (float(x[index]) - float(mean[c])) / math.sqrt(float(variance[c]) + epsilon)
        result[index] = value * (1.0 if gamma is None else float(gamma[c])) + (0.0 if beta is None else float(beta[c]))
    return result


def reference_layer_norm(x, gamma, beta, epsilon):
    rows = x.reshape(-1, x.shape[-1]).astype(np.float64)
    result = np.zeros(rows.shape)
    for r, row in enumerate(rows):
        mean = sum(row) / len(row)
        variance = sum((v - mean) ** 2 for v in row) / len(row)
        for c, v in enumerate(row):
            scaled = (v - mean) / math.sqrt(variance + epsilon)
            result[r, c] = scaled * (1.0 if gamma is None else float(gamma[c])) + (0.0 if beta is None else float(beta[c]))
    return result.reshape(x.shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False), (False, False)])
@pytest.mark.parametrize("epsilon", [1e-3, 1e-5])
def test_batch_norm(shape, center, scale, epsilon):
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32) * 3 + 1
    gamma, beta, mean, variance = _vectors()
    gamma, beta = (gamma if scale else None), (beta if center else None)
    got = batch_norm(x, gamma, beta, mean, variance, epsilon)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, reference_batch_norm(x, gamma, beta, mean, variance, epsilon), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("center, scale", [(True, True), (False, False)])
def test_layer_norm(shape, center, scale):
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32) * 4 - 2
    gamma, beta, _, _ = _vectors()
    gamma, beta = (gamma if scale else None), (beta if center else None)
    got = layer_norm(x, gamma, beta)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, reference_layer_norm(x, gamma, beta, 1e-3), rtol=1e-5, atol=1e-6)


def test_layer_norm_of_a_constant_row_is_beta():
    x = np.full((2, 4), 7.0, np.float32)
    gamma, beta, _, _ = _vectors()
    np.testing.assert_allclose(layer_norm(x, gamma, beta), np.broadcast_to(beta, (2, 4)), atol=1e-6)


def test_float64_stays_float64():
    gamma, beta, mean, variance = (v.astype(np.float64) for v in _vectors())
    x = np.ones((2, 4))
    assert batch_norm(x, gamma, beta, mean, variance).dtype == np.float64
    assert layer_norm(x, gamma, beta).dtype == np.float64
