"""DepthwiseConv1D/2D and SeparableConv1D/2D through the public path against loop references, channels_first too."""
import numpy as np
import pytest
from support import assert_close, build
from conv_references import reference_depthwise


def run(layer, shape, batch=2):
    model, w = build([{"name": "layer"} | layer], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *shape)).astype(np.float32)
    return model(x), x, w["layer"]


def separable_reference(x, w, strides, padding, dilation):
    maps = reference_depthwise(x, w["depthwise_kernel"], None, strides, padding, dilation)
    out = np.zeros((*maps.shape[:-1], w["pointwise_kernel"].shape[-1]))
    pointwise = w["pointwise_kernel"].reshape(maps.shape[-1], -1)
    for index in np.ndindex(*maps.shape[:-1]):
        for f in range(out.shape[-1]):
            out[index + (f,)] = sum(maps[index + (c,)] * pointwise[c, f] for c in range(maps.shape[-1]))
    return out + w["bias"] if "bias" in w else out


@pytest.mark.parametrize("kernel_size, strides, padding, dilation, multiplier", [
    (3, 1, "same", 1, 1), ([3, 2], 2, "valid", 1, 2), (2, [1, 2], "same", 1, 3), (3, 1, "valid", 2, 1),
    (2, 2, "same", 2, 2),
])
@pytest.mark.parametrize("batch", [1, 3])
def test_depthwise2d(kernel_size, strides, padding, dilation, multiplier, batch):
    layer = {"type": "DepthwiseConv2D", "kernel_size": kernel_size, "strides": strides, "padding": padding,
             "dilation_rate": dilation, "depth_multiplier": multiplier, "activation": "relu"}
    out, x, w = run(layer, (7, 8, 3), batch)
    spread = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    expected = reference_depthwise(x, w["kernel"], w["bias"], spread(strides), padding, spread(dilation))
    assert_close(out, np.maximum(expected, 0))


@pytest.mark.parametrize("strides, padding, multiplier", [(1, "valid", 1), (2, "same", 3)])
def test_depthwise1d_without_bias(strides, padding, multiplier):
    layer = {"type": "DepthwiseConv1D", "kernel_size": 3, "strides": strides, "padding": padding,
             "depth_multiplier": multiplier, "use_bias": False}
    out, x, w = run(layer, (10, 4))
    assert_close(out, reference_depthwise(x, w["kernel"], None, (strides,), padding, (1,)))


@pytest.mark.parametrize("kind, shape", [("DepthwiseConv1D", (3, 9)), ("DepthwiseConv2D", (3, 7, 6))])
def test_depthwise_channels_first(kind, shape):
    rank = len(shape) - 1
    layer = {"type": kind, "kernel_size": 3, "padding": "same", "depth_multiplier": 2, "data_format": "channels_first"}
    out, x, w = run(layer, shape)
    expected = reference_depthwise(np.moveaxis(x, 1, -1), w["kernel"], w["bias"], (1,) * rank, "same", (1,) * rank)
    assert_close(out, np.moveaxis(expected, -1, 1))


@pytest.mark.parametrize("kernel_size, strides, padding, dilation, multiplier", [
    (3, 1, "same", 1, 1), ([2, 3], 2, "valid", 1, 2), (3, 1, "same", 2, 1)])
def test_separable2d(kernel_size, strides, padding, dilation, multiplier):
    layer = {"type": "SeparableConv2D", "filters": 4, "kernel_size": kernel_size, "strides": strides,
             "padding": padding, "dilation_rate": dilation, "depth_multiplier": multiplier}
    out, x, w = run(layer, (7, 6, 3))
    assert_close(out, separable_reference(x, w, (strides,) * 2, padding, (dilation,) * 2))


@pytest.mark.parametrize("data_format", [None, "channels_first"])
def test_separable1d(data_format):
    layer = {"type": "SeparableConv1D", "filters": 3, "kernel_size": 5, "padding": "same", "depth_multiplier": 2,
             "activation": "tanh", "data_format": data_format, "use_bias": data_format is None}
    shape = (4, 11) if data_format else (11, 4)
    out, x, w = run(layer, shape)
    last = np.moveaxis(x, 1, -1) if data_format else x
    expected = np.tanh(separable_reference(last, w, (1,), "same", (1,)))
    assert_close(out, np.moveaxis(expected, -1, 1) if data_format else expected)
