"""Backward of DepthwiseConv1D/2D and SeparableConv1D/2D against central differences: depth multipliers, strides,
dilation, same padding, channels_first, activations."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)

FIELDS = [{"kernel_size": 3}, {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
          {"kernel_size": 2, "dilation_rate": 2, "padding": "same", "activation": "tanh"},
          {"kernel_size": 3, "data_format": "channels_first", "use_bias": False}]


def image(rank, fields):
    spatial = (6, 5)[:rank]
    first = fields.get("data_format") == "channels_first"
    return RNG.standard_normal((2, 3, *spatial) if first else (2, *spatial, 3))


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("fields", FIELDS, ids=str)
def test_depthwise(rank, fields):
    check_layer_gradients({"type": f"DepthwiseConv{rank}D", **fields}, [image(rank, fields)])


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("fields", FIELDS, ids=str)
def test_separable(rank, fields):
    check_layer_gradients({"type": f"SeparableConv{rank}D", "filters": 4, **fields}, [image(rank, fields)])
