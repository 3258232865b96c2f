"""Initial weights follow Keras's defaults: glorot_uniform kernels, zero biases, LSTM forget bias 1, uniform ±0.05
embeddings, orthogonal recurrent kernels, gamma and moving_variance 1."""
import math

import numpy as np
import pytest
from support import checked

import graphspec
from graphspec_backends.numpy import initializers

LAYERS = [
    {"type": "Dense", "name": "dense", "inputs": "x", "units": 128},
    {"type": "Conv1D", "name": "conv", "inputs": "x", "filters": 32, "kernel_size": 5},
    {"type": "SimpleRNN", "name": "rnn", "inputs": "x", "units": 32},
    {"type": "LSTM", "name": "lstm", "inputs": "x", "units": 16},
    {"type": "GRU", "name": "gru", "inputs": "x", "units": 16},
    {"type": "GRU", "name": "gru_before", "inputs": "x", "units": 16, "reset_after": False},
    {"type": "BatchNormalization", "name": "bn", "inputs": "x"},
    {"type": "LayerNormalization", "name": "ln", "inputs": "x"},
    {"type": "Embedding", "name": "emb", "inputs": "ids", "input_dim": 1000, "output_dim": 16},
    {"type": "DecomposedConv2D", "name": "dc", "inputs": "image", "filters": 16, "kernel_size": 3,
     "intermediate_filters": 8},
    {"type": "Conv2D", "name": "conv2", "inputs": "image", "filters": 40, "kernel_size": [3, 2]},
]
OUTPUTS = [layer["name"] for layer in LAYERS]
INPUTS = {"x": {"shape": [8, 64]}, "ids": {"shape": [4], "dtype": "int32"}, "image": {"shape": [8, 8, 3]}}


@pytest.fixture(scope="module")
def weights():
    return graphspec.compile(checked(LAYERS, INPUTS, OUTPUTS), seed=3).get_weights()


def glorot_limit(shape):
    """keras.initializers.GlorotUniform: sqrt(6 / (fan_in + fan_out)); a conv kernel's fans count its window."""
    receptive = math.prod(shape[:-2])
    return math.sqrt(6 / ((shape[-2] + shape[-1]) * receptive))


@pytest.mark.parametrize("layer, weight", [("dense", "kernel"), ("conv", "kernel"), ("conv2", "kernel"),
                                           ("rnn", "kernel"), ("lstm", "kernel"), ("gru", "kernel"),
                                           ("dc", "vertical_kernel"), ("dc", "horizontal_kernel")])
def test_kernels_are_glorot_uniform(weights, layer, weight):
    array = weights[layer][weight]
    limit = glorot_limit(array.shape)
    assert array.dtype == np.float32
    assert np.abs(array).max() <= limit
    assert np.abs(array).max() > 0.9 * limit
    assert abs(array.std() - limit / math.sqrt(3)) < 0.1 * limit / math.sqrt(3)  # the uniform's std
    assert abs(array.mean()) < 0.1 * limit


@pytest.mark.parametrize("layer, weight", [("dense", "bias"), ("conv", "bias"), ("rnn", "bias"), ("gru", "bias"),
                                           ("gru_before", "bias"), ("dc", "vertical_bias"), ("dc", "horizontal_bias"),
                                           ("bn", "beta"), ("bn", "moving_mean"), ("ln", "beta")])
def test_biases_and_shifts_start_at_zero(weights, layer, weight):
    np.testing.assert_array_equal(weights[layer][weight], 0)


@pytest.mark.parametrize("layer, weight", [("bn", "gamma"), ("bn", "moving_variance"), ("ln", "gamma")])
def test_scales_start_at_one(weights, layer, weight):
    np.testing.assert_array_equal(weights[layer][weight], 1)


def test_lstm_forget_gate_bias_starts_at_one(weights):
    """Keras's unit_forget_bias: gates i, f, c, o, so the second quarter of the bias is 1."""
    bias = weights["lstm"]["bias"]
    np.testing.assert_array_equal(bias, np.r_[np.zeros(16), np.ones(16), np.zeros(32)])


def test_gru_biases_have_keras_shapes(weights):
    assert weights["gru"]["bias"].shape == (2, 48)
    assert weights["gru_before"]["bias"].shape == (48,)


def test_embeddings_are_uniform_within_five_hundredths(weights):
    table = weights["emb"]["embeddings"]
    assert np.abs(table).max() <= 0.05 and np.abs(table).max() > 0.049
    assert abs(table.std() - 0.05 / math.sqrt(3)) < 0.002


@pytest.mark.parametrize("layer", ["rnn", "lstm", "gru", "gru_before"])
def test_recurrent_kernels_are_orthogonal(weights, layer):
    """keras.initializers.Orthogonal on (units, k·units): orthonormal rows, U @ U.T = I; square (SimpleRNN): U.T @ U = I too."""
    u = weights[layer]["recurrent_kernel"].astype(np.float64)
    np.testing.assert_allclose(u @ u.T, np.eye(u.shape[0]), atol=1e-5)
    if u.shape[0] == u.shape[1]:
        np.testing.assert_allclose(u.T @ u, np.eye(u.shape[1]), atol=1e-5)


def test_orthogonal_tall_matrix_has_orthonormal_columns():
    q = initializers.orthogonal((12, 5), np.random.default_rng(0))
    np.testing.assert_allclose(q.T @ q, np.eye(5), atol=1e-12)


def test_layer_weights_do_not_depend_on_the_other_layers():
    """One generator per layer, keyed by its name: adding a layer leaves the others' initial weights as they were."""
    small = graphspec.compile(checked(LAYERS[:2], {"x": INPUTS["x"]}, ["dense", "conv"]), seed=3).get_weights()
    full = graphspec.compile(checked(LAYERS, INPUTS, OUTPUTS), seed=3).get_weights()
    np.testing.assert_array_equal(small["conv"]["kernel"], full["conv"]["kernel"])
