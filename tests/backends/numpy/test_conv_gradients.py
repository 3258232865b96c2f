"""Backward of the convolutions against central differences (tests/gradcheck.py): strides, dilation, groups,
padding valid/same/causal, channels_first, and the activation after the conv."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)


def normal(*shape):
    return RNG.standard_normal(shape)


CONV1D = [
    {"kernel_size": 3}, {"kernel_size": 3, "strides": 2, "padding": "same"},
    {"kernel_size": 2, "dilation_rate": 2, "padding": "causal", "activation": "tanh"},
    {"kernel_size": 3, "groups": 2, "filters": 4, "padding": "same", "strides": 2},
    {"kernel_size": 3, "data_format": "channels_first", "use_bias": False},
]


@pytest.mark.parametrize("fields", CONV1D, ids=str)
def test_conv1d(fields):
    x = normal(2, 4, 7) if fields.get("data_format") == "channels_first" else normal(2, 7, 4)
    check_layer_gradients({"type": "Conv1D", "filters": 3, **fields}, [x])


CONV2D = [
    {"kernel_size": 3}, {"kernel_size": [2, 3], "strides": [2, 1], "padding": "same", "activation": "relu"},
    {"kernel_size": 2, "dilation_rate": 2, "padding": "same"}, {"kernel_size": 1, "strides": 2},
    {"kernel_size": 3, "groups": 2, "filters": 4, "strides": 2, "padding": "same"},
    {"kernel_size": 3, "data_format": "channels_first", "strides": 2},
]


@pytest.mark.parametrize("fields", CONV2D, ids=str)
def test_conv2d(fields):
    x = normal(2, 4, 6, 5) if fields.get("data_format") == "channels_first" else normal(2, 6, 5, 4)
    check_layer_gradients({"type": "Conv2D", "filters": 3, **fields}, [x])


@pytest.mark.parametrize("fields", [{"kernel_size": 2}, {"kernel_size": 3, "strides": 2, "padding": "same",
                                                          "groups": 2, "filters": 2}], ids=str)
def test_conv3d(fields):
    check_layer_gradients({"type": "Conv3D", "filters": 3, **fields}, [normal(1, 4, 4, 3, 2)])


@pytest.mark.parametrize("fields", [
    {"kernel_size": 3}, {"kernel_size": [3, 2], "strides": [2, 1], "padding": "same", "activation": "relu",
                         "intermediate_activation": "tanh"},
    {"kernel_size": 2, "dilation_rate": [1, 2], "padding": "same", "use_bias": False},
], ids=str)
def test_decomposed_conv2d(fields):
    check_layer_gradients({"type": "DecomposedConv2D", "filters": 3, "intermediate_filters": 4, **fields}, [normal(2, 6, 5, 2)])
