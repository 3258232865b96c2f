"""Backward of Conv1D/2D/3DTranspose against central differences: strides, dilation, same padding (crops),
output_padding, channels_first, activations."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)

FIELDS = [{"kernel_size": 3}, {"kernel_size": 3, "strides": 2, "padding": "same"},
          {"kernel_size": 2, "strides": 3, "activation": "tanh"},
          {"kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 0},
          {"kernel_size": 3, "strides": 2, "output_padding": 1},
          {"kernel_size": 2, "dilation_rate": 2, "padding": "same"},
          {"kernel_size": 3, "strides": 2, "data_format": "channels_first", "use_bias": False}]


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("fields", FIELDS, ids=str)
def test_conv_transpose(rank, fields):
    first = fields.get("data_format") == "channels_first"
    spatial = (4, 3)[:rank]
    x = RNG.standard_normal((2, 3, *spatial) if first else (2, *spatial, 3))
    check_layer_gradients({"type": f"Conv{rank}DTranspose", "filters": 2, **fields}, [x])


def test_conv3d_transpose():
    check_layer_gradients({"type": "Conv3DTranspose", "filters": 2, "kernel_size": 2, "strides": 2,
                           "padding": "same"}, [RNG.standard_normal((1, 2, 3, 2, 2))])
