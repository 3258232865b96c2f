"""Backward of ZeroPadding, Cropping and UpSampling (repeats and UpSampling2D's interpolations) against central
differences, in both data formats."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)


def image(rank, channels_first=False):
    shape = (2, *(4,) * rank, 3)
    return RNG.standard_normal((2, 3, *(4,) * rank) if channels_first else shape)


@pytest.mark.parametrize("kind", ["ZeroPadding", "Cropping"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_padding_and_cropping(kind, rank):
    amount = [[1, 2], [0, 1], [2, 1]][:rank] if rank > 1 else [1, 2]
    check_layer_gradients({"type": f"{kind}{rank}D", kind.lower() if kind == "Cropping" else "padding": amount},
                          [image(rank)])


@pytest.mark.parametrize("kind", ["ZeroPadding2D", "Cropping2D"])
def test_channels_first(kind):
    field = "cropping" if kind == "Cropping2D" else "padding"
    check_layer_gradients({"type": kind, field: [1, 1], "data_format": "channels_first"}, [image(2, True)])


@pytest.mark.parametrize("rank,size", [(1, 3), (2, [2, 3]), (3, [1, 2, 2])])
def test_upsampling_repeats(rank, size):
    check_layer_gradients({"type": f"UpSampling{rank}D", "size": size}, [image(rank)])


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "lanczos3"])
@pytest.mark.parametrize("channels_first", [False, True])
def test_upsampling2d_interpolated(interpolation, channels_first):
    fields = {"type": "UpSampling2D", "size": [2, 3], "interpolation": interpolation}
    if channels_first:
        fields["data_format"] = "channels_first"
    check_layer_gradients(fields, [image(2, channels_first)])


def test_upsampling3d_channels_first():
    check_layer_gradients({"type": "UpSampling3D", "size": 2, "data_format": "channels_first"}, [image(3, True)])


@pytest.mark.parametrize("fields", [
    {"height": 6, "width": 3}, {"height": 3, "width": 7, "interpolation": "nearest"},
    {"height": 2, "width": 3, "antialias": True, "interpolation": "bicubic"},
    {"height": 5, "width": 3, "crop_to_aspect_ratio": True},
    {"height": 3, "width": 6, "pad_to_aspect_ratio": True, "fill_value": 0.5},
    {"height": 5, "width": 6, "data_format": "channels_first"},
], ids=str)
def test_resizing(fields):
    first = fields.get("data_format") == "channels_first"
    x = RNG.standard_normal((2, 2, 4, 5) if first else (2, 4, 5, 2))
    check_layer_gradients({"type": "Resizing", **fields}, [x])
