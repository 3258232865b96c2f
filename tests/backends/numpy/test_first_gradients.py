"""Backward of the first set of kernels against central differences (tests/gradcheck.py), masks included."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)


def normal(*shape):
    return RNG.standard_normal(shape)


ACTIVATIONS = ["relu", "relu6", "leaky_relu", "elu", "celu", "selu", "gelu", "glu", "sigmoid", "hard_sigmoid",
               "sparse_sigmoid", "log_sigmoid", "tanh", "hard_tanh", "tanh_shrink", "hard_shrink", "soft_shrink",
               "softmax", "log_softmax", "sparsemax", "softplus", "sparse_plus", "squareplus", "softsign", "silu",
               "hard_silu", "mish", "exponential", "linear"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_layer(activation):
    check_layer_gradients({"type": "Activation", "activation": activation}, [normal(3, 6) * 2])


@pytest.mark.parametrize("layer", [
    {"type": "ReLU"}, {"type": "ReLU", "max_value": 1.0, "negative_slope": 0.1, "threshold": 0.3},
    {"type": "LeakyReLU", "negative_slope": 0.3}, {"type": "ELU", "alpha": 0.7}, {"type": "PReLU"},
    {"type": "PReLU", "shared_axes": [1]}, {"type": "Softmax"}, {"type": "Softmax", "axis": [1, 2]},
], ids=str)
def test_activation_layers(layer):
    check_layer_gradients(layer, [normal(2, 3, 4)])


@pytest.mark.parametrize("layer", [{"type": "Flatten"}, {"type": "Reshape", "target_shape": [4, 3]},
                                   {"type": "Permute", "dims": [2, 1]}], ids=str)
def test_reshaping(layer):
    check_layer_gradients(layer, [normal(2, 3, 4)])


def test_repeat_vector():
    check_layer_gradients({"type": "RepeatVector", "n": 3}, [normal(2, 4)])


@pytest.mark.parametrize("kind", ["Add", "Subtract", "Average", "Multiply", "Maximum", "Minimum"])
def test_elementwise_merges(kind):
    count = 2 if kind == "Subtract" else 3
    check_layer_gradients({"type": kind}, [normal(2, 3, 4) for _ in range(count)])


def test_add_broadcasts_a_lower_rank_input():
    check_layer_gradients({"type": "Add"}, [normal(2, 3, 4), normal(2, 4)])


@pytest.mark.parametrize("axis", [-1, 1])
def test_concatenate(axis):
    shapes = [(2, 3, 4), (2, 3, 2)] if axis == -1 else [(2, 3, 4), (2, 1, 4)]
    check_layer_gradients({"type": "Concatenate", "axis": axis}, [normal(*s) for s in shapes])


@pytest.mark.parametrize("kind", ["GlobalAveragePooling1D", "GlobalMaxPooling1D"])
def test_global_pooling_1d_with_and_without_mask(kind):
    x = normal(3, 5, 4)
    check_layer_gradients({"type": kind}, [x])
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], bool)
    grads = check_layer_gradients({"type": kind}, [x], masks=[mask])
    if kind == "GlobalAveragePooling1D":  # Keras 3's GlobalMaxPooling1D ignores the mask, forward and backward
        assert not grads.inputs[0][~mask].any(), "masked steps got a gradient"


@pytest.mark.parametrize("layer", [{"type": "GlobalAveragePooling2D"}, {"type": "GlobalMaxPooling2D", "keepdims": True},
                                   {"type": "GlobalAveragePooling2D", "data_format": "channels_first"}], ids=str)
def test_global_pooling_2d(layer):
    check_layer_gradients(layer, [normal(2, 3, 4, 2)])


@pytest.mark.parametrize("layer", [{"type": "BatchNormalization"}, {"type": "BatchNormalization", "axis": 1},
                                   {"type": "BatchNormalization", "center": False, "scale": False},
                                   {"type": "BatchNormalization", "trainable": False}], ids=str)
def test_batch_normalization(layer):
    check_layer_gradients(layer, [normal(4, 3, 2)])


def test_batch_normalization_with_mask_uses_only_unmasked_steps():
    mask = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 1, 1]], bool)
    check_layer_gradients({"type": "BatchNormalization"}, [normal(4, 3, 2)], masks=[mask])


@pytest.mark.parametrize("kind", ["Dropout", "SpatialDropout1D", "GaussianDropout", "AlphaDropout"])
def test_dropouts(kind):
    check_layer_gradients({"type": kind, "rate": 0.4}, [normal(3, 4, 5)])


def test_gaussian_noise():
    check_layer_gradients({"type": "GaussianNoise", "stddev": 0.5}, [normal(3, 4)])


def test_embedding_gradient_is_a_scatter_add_and_leaves_other_rows_zero():
    ids = np.array([[1, 3, 3], [0, 1, 9]])
    grads = check_layer_gradients({"type": "Embedding", "input_dim": 10, "output_dim": 3}, [ids])
    table = grads.weights["embeddings"]
    assert not table[[2, 4, 5, 6, 7, 8]].any()


def test_embedding_sends_out_of_range_ids_to_the_oov_row():
    ids = np.array([[1, 12, -1]])
    grads = check_layer_gradients({"type": "Embedding", "input_dim": 5, "output_dim": 2, "oov_index": 4}, [ids])
    assert grads.weights["embeddings"][4].any() and not grads.weights["embeddings"][[0, 2, 3]].any()


def training_output(layer, x, seed=0):
    from gradcheck import layer_kernel

    from graphspec_backends.numpy.kernels.base import Training

    kernel = layer_kernel(layer, [x])
    return kernel, kernel.train_forward([x], [None], Training(np.random.default_rng(seed)))[0]


def test_dropout_drops_a_rate_of_the_values_and_rescales_the_rest():
    x = np.ones((200, 50))
    _, y = training_output({"type": "Dropout", "rate": 0.3}, x)
    assert abs((y == 0).mean() - 0.3) < 0.02 and np.allclose(y[y != 0], 1 / 0.7)


def test_gaussian_noise_adds_noise_of_its_stddev():
    _, y = training_output({"type": "GaussianNoise", "stddev": 0.5}, np.zeros((200, 50)))
    assert abs(y.std() - 0.5) < 0.02


def test_batch_normalization_moves_its_statistics_by_one_minus_momentum():
    from gradcheck import layer_kernel

    from graphspec_backends.numpy.kernels.base import Training

    x = normal(64, 3) * 2 + 5
    kernel = layer_kernel({"type": "BatchNormalization", "momentum": 0.9}, [x])
    training = Training(np.random.default_rng(0))
    y, _ = kernel.train_forward([x], [None], training)
    w = kernel.weights
    np.testing.assert_allclose(training.updates["moving_mean"], 0.9 * w["moving_mean"] + 0.1 * x.mean(0), rtol=1e-6)
    np.testing.assert_allclose(training.updates["moving_variance"], 0.9 * w["moving_variance"] + 0.1 * x.var(0),
                               rtol=1e-6)
    np.testing.assert_allclose(y.mean(0), w["beta"], atol=1e-6)
