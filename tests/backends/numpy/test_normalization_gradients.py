"""Backward of LayerNormalization, GroupNormalization and UnitNormalization against central differences."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("layer", [
    {"type": "LayerNormalization"}, {"type": "LayerNormalization", "axis": [1, 2]},
    {"type": "LayerNormalization", "axis": 1, "center": False},
    {"type": "LayerNormalization", "scale": False, "epsilon": 1e-5},
    {"type": "LayerNormalization", "trainable": False},
], ids=str)
def test_layer_normalization(layer):
    check_layer_gradients(layer, [RNG.standard_normal((2, 3, 4))])


@pytest.mark.parametrize("layer", [
    {"type": "GroupNormalization", "groups": 2}, {"type": "GroupNormalization", "groups": -1},
    {"type": "GroupNormalization", "groups": 1, "axis": 1},
    {"type": "GroupNormalization", "groups": 2, "center": False, "scale": False},
], ids=str)
def test_group_normalization(layer):
    check_layer_gradients(layer, [RNG.standard_normal((2, 3, 2, 4))])


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_unit_normalization(axis):
    check_layer_gradients({"type": "UnitNormalization", "axis": axis}, [RNG.standard_normal((2, 3, 4))])


def test_unit_normalization_of_a_zero_vector_gets_a_finite_gradient():
    """x / ||x|| has no derivative at 0 (central differences cannot check it): the clamped scale is its gradient."""
    from gradcheck import layer_kernel

    from graphspec_backends.numpy.kernels.base import Training

    x = RNG.standard_normal((2, 3))
    x[1] = 0
    kernel = layer_kernel({"type": "UnitNormalization"}, [x])
    _, backward = kernel.train_forward([x], [None], Training(np.random.default_rng(0)))
    dx = backward(np.ones((2, 3))).inputs[0]
    assert np.isfinite(dx).all() and np.allclose(dx[1], 1e12)


def test_training_forward_equals_the_inference_forward():
    from gradcheck import layer_kernel

    from graphspec_backends.numpy.kernels.base import Training

    x = RNG.standard_normal((2, 3, 2, 4))
    for layer in [{"type": "LayerNormalization", "axis": [1, 3]}, {"type": "GroupNormalization", "groups": 2},
                  {"type": "UnitNormalization"}]:
        kernel = layer_kernel(layer, [x])
        y, _ = kernel.train_forward([x], [None], Training(np.random.default_rng(0)))
        np.testing.assert_allclose(y, kernel.forward([x], [None]), rtol=1e-12, atol=1e-12)
