"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose through the public path against the zero-stuffed
convolution JAX defines (conv_references.py): strides, padding, output_padding, dilation, channels_first."""
import numpy as np
import pytest
from support import assert_close, build
from conv_references import reference_conv_transpose

KINDS = {1: "Conv1DTranspose", 2: "Conv2DTranspose", 3: "Conv3DTranspose"}


def check(rank, shape, batch=2, data_format=None, **fields):
    layer = {"type": KINDS[rank], "name": "up", "filters": 3, "kernel_size": 3} | fields
    model, w = build([layer | {"data_format": data_format}], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *shape)).astype(np.float32)
    first = data_format == "channels_first"
    spread = lambda name, default: tuple(np.broadcast_to(layer.get(name, default), rank).tolist())  # noqa: E731
    extra = None if layer.get("output_padding") is None else spread("output_padding", 0)
    expected = reference_conv_transpose(np.moveaxis(x, 1, -1) if first else x, w["up"]["kernel"], w["up"].get("bias"),
                                        spread("strides", 1), layer.get("padding", "valid"), extra,
                                        spread("dilation_rate", 1))
    if layer.get("activation") == "relu":
        expected = np.maximum(expected, 0)
    assert_close(model(x), np.moveaxis(expected, -1, 1) if first else expected)


@pytest.mark.parametrize("kernel_size", [3, 4, [2, 3]])
@pytest.mark.parametrize("strides", [1, 2, [3, 2]])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("batch", [1, 3])
def test_conv2d_transpose(kernel_size, strides, padding, batch):
    check(2, (4, 3, 2), batch, kernel_size=kernel_size, strides=strides, padding=padding, activation="relu")


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("output_padding", [0, 1, [1, 0]])
def test_output_padding(padding, output_padding):
    check(2, (3, 4, 2), strides=2, padding=padding, output_padding=output_padding, kernel_size=[3, 4])


@pytest.mark.parametrize("rank, shape", [(1, (5, 2)), (3, (2, 3, 2, 2))])
@pytest.mark.parametrize("fields", [{"strides": 2, "padding": "same"}, {"dilation_rate": 2},
                                    {"strides": 3, "output_padding": 2, "use_bias": False}])
def test_other_ranks(rank, shape, fields):
    check(rank, shape, **fields)


@pytest.mark.parametrize("rank, shape", [(1, (2, 5)), (2, (2, 3, 4)), (3, (2, 2, 3, 2))])
def test_channels_first(rank, shape):
    check(rank, shape, data_format="channels_first", strides=2, padding="same")
