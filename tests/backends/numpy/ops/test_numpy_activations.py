"""Every activation against a scalar, loop-based float64 reference written from Keras 3's definitions."""
import math

import numpy as np
import pytest

from graphspec.activations import ACTIVATIONS
from graphspec_backends.numpy.ops.activations import ACTIVATION_FUNCTIONS, activate_inplace
from references import ELEMENTWISE


VALUES = np.concatenate([np.linspace(-20, 20, 801), [0.0, -0.0, 1e-7, -1e-7, 0.5, -3.0, 3.0, 6.0]]).astype(np.float32)


def _softmax_rows(x, log):
    rows = x.reshape(-1, x.shape[-1]).astype(np.float64)
    result = np.empty_like(rows)
    for i, row in enumerate(rows):
        top = max(row)
        total = sum(math.exp(v - top) for v in row)
        for j, v in enumerate(row):
            result[i, j] = (v - top - math.log(total)) if log else math.exp(v - top) / total
    return result.reshape(x.shape)


def _reference(name, x):
    if name in ("softmax", "log_softmax"):
        return _softmax_rows(x, name == "log_softmax")
    flat = [ELEMENTWISE[name](float(v)) for v in x.ravel()]
    return np.array(flat).reshape(x.shape)


def test_every_keras_name_has_a_function():
    assert set(ACTIVATION_FUNCTIONS) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_matches_reference(name):
    got = ACTIVATION_FUNCTIONS[name](VALUES)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, _reference(name, VALUES), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "silu", "mish", "elu", "selu", "gelu", "tanh", "softsign"])
def test_large_inputs_stay_finite_and_correct(name):
    x = np.array([-1000.0, -100.0, -50.0, 50.0, 100.0, 1000.0], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is right
        got = ACTIVATION_FUNCTIONS[name](x)
    np.testing.assert_allclose(got, _reference(name, x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_softmax_over_last_axis(name, scale):
    x = (np.random.default_rng(0).standard_normal((3, 4, 7)) * scale).astype(np.float32)
    got = ACTIVATION_FUNCTIONS[name](x)
    assert got.dtype == np.float32 and np.all(np.isfinite(got))
    np.testing.assert_allclose(got, _reference(name, x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATION_FUNCTIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(name, dtype):
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    assert ACTIVATION_FUNCTIONS[name](x).dtype == dtype


@pytest.mark.parametrize("name", sorted(ACTIVATION_FUNCTIONS))
def test_out_may_alias_the_input(name):
    x = np.linspace(-5, 5, 24, dtype=np.float32).reshape(4, 6)
    expected = ACTIVATION_FUNCTIONS[name](x)
    result = activate_inplace(x, name)
    assert result is x
    np.testing.assert_allclose(x, expected, rtol=1e-6, atol=1e-7)


def test_activate_inplace_none_is_linear_and_unknown_name_fails():
    x = np.arange(4, dtype=np.float32)
    assert activate_inplace(x, None) is x
    with pytest.raises(ValueError, match="unknown activation 'relu7'"):
        activate_inplace(x, "relu7")
