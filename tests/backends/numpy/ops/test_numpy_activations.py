"""Every activation against a scalar, loop-based float64 reference written from Keras 3's definitions."""
import math

import numpy as np
import pytest

from graphspec.activations import ACTIVATIONS
from graphspec_backends.numpy.ops.activations import ACTIVATION_FUNCTIONS, activate_inplace
from references import ELEMENTWISE, ROWWISE


VALUES = np.concatenate([np.linspace(-20, 20, 801), [0.0, -0.0, 1e-7, -1e-7, 0.5, -3.0, 3.0, 6.0]]).astype(np.float32)


def _reference(name, x):
    if name in ROWWISE:
        rows = [ROWWISE[name]([float(v) for v in row]) for row in x.reshape(-1, x.shape[-1])]
        return np.array(rows).reshape(*x.shape[:-1], -1)
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


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "sparsemax", "glu"])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_softmax_over_last_axis(name, scale):
    x = (np.random.default_rng(0).standard_normal((3, 4, 8)) * scale).astype(np.float32)
    got = ACTIVATION_FUNCTIONS[name](x)
    assert got.dtype == np.float32 and np.all(np.isfinite(got))
    np.testing.assert_allclose(got, _reference(name, x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATION_FUNCTIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(name, dtype):
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    assert ACTIVATION_FUNCTIONS[name](x).dtype == dtype


@pytest.mark.parametrize("name", sorted(set(ACTIVATION_FUNCTIONS) - {"glu"}))
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


def test_glu_halves_the_last_axis_and_is_never_in_place():
    x = np.linspace(-2, 2, 8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_allclose(ACTIVATION_FUNCTIONS["glu"](x), _reference("glu", x), rtol=1e-6)
    with pytest.raises(ValueError, match="even number"):
        ACTIVATION_FUNCTIONS["glu"](x[:, :3])
    with pytest.raises(ValueError, match="in place"):
        activate_inplace(x, "glu")


def test_sparsemax_projects_onto_the_simplex():
    """Keras 3.15 gives [0.05, 0] for [1, 0.9] (keras-team/keras#23425); the projection is [0.55, 0.45]."""
    got = ACTIVATION_FUNCTIONS["sparsemax"](np.array([[1.0, 0.9], [3.0, 0.0], [0.0, 0.5]], np.float32))
    np.testing.assert_allclose(got, [[0.55, 0.45], [1.0, 0.0], [0.25, 0.75]], rtol=1e-6)
    columns = ACTIVATION_FUNCTIONS["sparsemax"](np.array([[1.0, 3.0], [0.9, 0.0]], np.float32), axis=0)
    np.testing.assert_allclose(columns, [[0.55, 1.0], [0.45, 0.0]], rtol=1e-6)


def test_parameters_the_layers_pass():
    x = np.array([-2.0, -0.5, 0.0, 1.5], np.float32)
    np.testing.assert_allclose(ACTIVATION_FUNCTIONS["leaky_relu"](x, negative_slope=0.3), [-0.6, -0.15, 0, 1.5])
    np.testing.assert_allclose(ACTIVATION_FUNCTIONS["leaky_relu"](x, negative_slope=2.0), [-4.0, -1.0, 0, 1.5])
    np.testing.assert_allclose(ACTIVATION_FUNCTIONS["elu"](x, alpha=0.5), [0.5 * math.expm1(-2), 0.5 * math.expm1(-0.5),
                                                                          0, 1.5], rtol=1e-6)
