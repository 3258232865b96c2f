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


# --- every Keras initializer, by its exact parameters -------------------------------------------------------------

def drawn(option, shape, seed=0):
    return initializers.draw(option, shape, np.random.default_rng(seed)).astype(np.float64)


def obj(class_name, **config):
    from graphspec.layers.weight_options import KerasObject

    return KerasObject(class_name=class_name, config=config)


@pytest.mark.parametrize("option, value", [("zeros", 0), ("zero", 0), ("Ones", 1), ("one", 1),
                                           (obj("Constant", value=-0.75), -0.75), ("constant", 0)])
def test_constant_initializers(option, value):
    array = initializers.draw(option, (3, 4), np.random.default_rng(0))
    assert array.dtype == np.float32
    np.testing.assert_array_equal(array, np.full((3, 4), value))


def test_constant_array_values_broadcast_to_the_weight_as_keras():
    """keras.initializers.Constant([0.1, 0.2]) on a (3, 2) kernel: value × ones(shape), each row [0.1, 0.2]."""
    np.testing.assert_array_equal(drawn(obj("Constant", value=[0.1, 0.2]), (3, 2)),
                                  np.float32([[0.1, 0.2]] * 3).astype(np.float64))
    np.testing.assert_array_equal(drawn(obj("Constant", value=[[1], [2]]), (2, 3)), [[1] * 3, [2] * 3])
    constant = {"class_name": "Constant", "config": {"value": [0.25]}}  # with unit_forget_bias, one value (Keras)
    layers = [{"type": "LSTM", "name": "lstm", "inputs": "x", "units": 2, "bias_initializer": constant},
              {"type": "LSTM", "name": "plain", "inputs": "x", "units": 2, "unit_forget_bias": False,
               "bias_initializer": {"class_name": "Constant", "config": {"value": list(range(8))}}}]
    weights = graphspec.compile(checked(layers, {"x": {"shape": [3, 4]}}, ["lstm", "plain"])).get_weights()
    np.testing.assert_array_equal(weights["lstm"]["bias"], np.float32([0.25, 0.25, 1, 1, 0.25, 0.25, 0.25, 0.25]))
    np.testing.assert_array_equal(weights["plain"]["bias"], np.arange(8))


@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (6, 2)])
def test_identity_is_the_scaled_eye(shape):
    np.testing.assert_array_equal(drawn(obj("Identity", gain=0.5), shape), 0.5 * np.eye(*shape))


@pytest.mark.parametrize("shape", [(12, 5), (5, 12), (3, 3, 4, 6)])
def test_orthogonal_with_gain(shape):
    """A conv kernel is orthogonal as (window · in, out), as Keras flattens it."""
    q = drawn(obj("Orthogonal", gain=2.0), shape).reshape(-1, shape[-1]) / 2
    small = min(q.shape)
    gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-6)


def test_random_normal_and_uniform_parameters():
    normal = drawn(obj("RandomNormal", mean=1.0, stddev=0.2), (200, 200))
    assert abs(normal.mean() - 1.0) < 0.005 and abs(normal.std() - 0.2) < 0.005
    default = drawn("normal", (200, 200))
    assert abs(default.std() - 0.05) < 0.002  # Keras's default stddev
    uniform = drawn(obj("RandomUniform", minval=2.0, maxval=3.0), (200, 200))
    assert 2.0 <= uniform.min() < 2.001 and 2.999 < uniform.max() < 3.0


def test_truncated_normal_is_cut_at_two_stddev():
    values = drawn(obj("TruncatedNormal", mean=0.5, stddev=0.1), (300, 300))
    assert values.min() >= 0.5 - 0.2 and values.max() <= 0.5 + 0.2
    assert values.max() > 0.5 + 0.199 and values.min() < 0.5 - 0.199
    # a unit normal truncated at ±2 has stddev 0.8796...; Keras's VarianceScaling divides by it
    assert abs(values.std() / 0.1 - initializers.TRUNCATED_STDDEV) < 0.005


CONV = (3, 5, 4, 8)  # a conv kernel: receptive field 15, fan_in 60, fan_out 120


@pytest.mark.parametrize("option, limit", [
    ("glorot_uniform", math.sqrt(6 / 180)), ("he_uniform", math.sqrt(6 / 60)), ("lecun_uniform", math.sqrt(3 / 60)),
    (obj("VarianceScaling", scale=3.0, mode="fan_out", distribution="uniform"), math.sqrt(9 / 120)),
])
def test_variance_scaling_uniform_limits(option, limit):
    values = drawn(option, CONV)
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.99 * limit


@pytest.mark.parametrize("option, scale, mode, truncated", [
    ("glorot_normal", 1, "fan_avg", True), ("he_normal", 2, "fan_in", True), ("lecun_normal", 1, "fan_in", True),
    (obj("VarianceScaling"), 1, "fan_in", True), (obj("VarianceScaling", mode="fan_out", distribution="normal"), 1,
                                                   "fan_out", True),
    (obj("VarianceScaling", scale=2.0, mode="fan_avg", distribution="untruncated_normal"), 2, "fan_avg", False),
])
def test_variance_scaling_normals(option, scale, mode, truncated):
    """stddev sqrt(scale / fan); the truncated ones draw with stddev / 0.8796 cut at 2 of those, reaching it."""
    shape = (2, 5, 30, 60)  # receptive field 10: fan_in 300, fan_out 600
    stddev = math.sqrt(scale / {"fan_in": 300, "fan_out": 600, "fan_avg": 450}[mode])
    values = drawn(option, shape)
    assert abs(values.std() - stddev) < 0.03 * stddev
    assert (np.abs(values).max() <= 2 * stddev / initializers.TRUNCATED_STDDEV) == truncated


def test_fans_from_input_and_output_axes():
    """Keras uses input_axes and output_axes only when both are given."""
    assert initializers.compute_fans((2, 3, 4), [0, 1], [2]) == (6, 4)
    assert initializers.compute_fans((2, 3, 4), [0], None) == (6, 8)  # the conv rule: receptive field 2
    assert initializers.compute_fans((7,)) == (7, 7)
    values = drawn(obj("GlorotUniform", input_axes=[0, 1], output_axes=[2]), (20, 30, 40))
    limit = math.sqrt(6 / (600 + 40))
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.99 * limit


def test_an_initializer_seed_fixes_that_weight_alone():
    """With config.seed a weight is the same whatever the model's seed and layer name; the others still follow seed."""
    seeded = {"class_name": "HeNormal", "config": {"seed": 7}}
    layers = [{"type": "Dense", "name": name, "inputs": "x", "units": 8, "kernel_initializer": seeded}
              for name in ("a", "b")] + [{"type": "Dense", "name": "c", "inputs": "x", "units": 8}]
    first = graphspec.compile(checked(layers, {"x": {"shape": [8]}}, ["a", "b", "c"]), seed=1).get_weights()
    second = graphspec.compile(checked(layers, {"x": {"shape": [8]}}, ["a", "b", "c"]), seed=2).get_weights()
    np.testing.assert_array_equal(first["a"]["kernel"], second["a"]["kernel"])
    np.testing.assert_array_equal(first["a"]["kernel"], first["b"]["kernel"])  # same seed, same shape: as in Keras
    assert not np.array_equal(first["c"]["kernel"], second["c"]["kernel"])


def test_the_model_seed_reproduces_every_initializer():
    layers = [{"type": "Dense", "name": "d", "inputs": "x", "units": 8, "kernel_initializer": kind,
               "bias_initializer": "random_uniform"} for kind in ["truncated_normal"]]
    graph = checked(layers, {"x": {"shape": [8]}})
    same = [graphspec.compile(graph, seed=5).get_weights()["d"] for _ in range(2)]
    for weight in ("kernel", "bias"):
        np.testing.assert_array_equal(same[0][weight], same[1][weight])


def test_unit_forget_bias_draws_the_other_gates_from_bias_initializer():
    """Keras: bias_initializer((units,)) for i, ones for f, bias_initializer((2 units,)) for c and o."""
    lstm = {"type": "LSTM", "name": "lstm", "inputs": "x", "units": 5, "bias_initializer": {
        "class_name": "Constant", "config": {"value": -2.0}}}
    plain = dict(lstm, name="plain", unit_forget_bias=False)
    weights = graphspec.compile(checked([lstm, plain], {"x": {"shape": [3, 4]}}, ["lstm", "plain"])).get_weights()
    np.testing.assert_array_equal(weights["lstm"]["bias"], np.r_[np.full(5, -2.0), np.ones(5), np.full(10, -2.0)])
    np.testing.assert_array_equal(weights["plain"]["bias"], np.full(20, -2.0))


def test_decomposed_conv_draws_each_stage_with_its_own_fans():
    layer = {"type": "DecomposedConv2D", "name": "dc", "inputs": "image", "filters": 16, "kernel_size": 5,
             "intermediate_filters": 8, "kernel_initializer": "he_uniform", "bias_initializer": "ones"}
    weights = graphspec.compile(checked([layer], {"image": {"shape": [12, 12, 3]}})).get_weights()["dc"]
    for weight, fan_in in (("vertical_kernel", 5 * 3), ("horizontal_kernel", 5 * 8)):
        limit = math.sqrt(6 / fan_in)
        assert limit * 0.9 < np.abs(weights[weight]).max() <= limit
    np.testing.assert_array_equal(weights["vertical_bias"], 1)
    np.testing.assert_array_equal(weights["horizontal_bias"], 1)
