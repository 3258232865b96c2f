"""Conv1D, Conv2D and Conv3D through the public path against a loop reference:
strides, valid and same padding (odd and even kernels), dilation, bias, activation, batch 1 and > 1; groups,
causal padding, channels_first, and max pooling after a grouped conv (which the plan must not fuse)."""
import itertools

import numpy as np
import pytest
from support import assert_close, build
from references import reference_conv, reference_pool
from conv_references import reference_causal_conv1d, reference_grouped_conv

KINDS = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}


def run_conv(rank, spatial, channels, batch, **fields):
    layer = {"type": KINDS[rank], "name": "conv", "filters": 3} | fields
    model, w = build([layer], {"x": {"shape": [*spatial, channels]}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *spatial, channels)).astype(np.float32)
    return model(x), x, w["conv"]


def check_conv(rank, spatial, channels, batch, kernel_size, strides, padding, dilation, activation=None, use_bias=True):
    out, x, w = run_conv(rank, spatial, channels, batch, kernel_size=list(kernel_size), strides=list(strides),
                         padding=padding, dilation_rate=list(dilation), activation=activation, use_bias=use_bias)
    expected = reference_conv(x, w["kernel"], w.get("bias"), strides, padding, dilation)
    if activation == "relu":
        expected = np.maximum(expected, 0)
    assert_close(out, expected)


@pytest.mark.parametrize("kernel_size", [2, 3])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("dilation", [1, 2])
@pytest.mark.parametrize("batch, channels", [(1, 1), (3, 5)])
def test_conv1d(kernel_size, stride, padding, dilation, batch, channels):
    check_conv(1, (10,), channels, batch, (kernel_size,), (stride,), padding, (dilation,))


@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 2), (2, 3)])
@pytest.mark.parametrize("strides", [(1, 1), (2, 2), (1, 2)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("batch, channels", [(1, 1), (2, 4)])
def test_conv2d_strides_and_padding(kernel_size, strides, padding, batch, channels):
    check_conv(2, (7, 6), channels, batch, kernel_size, strides, padding, (1, 1))


@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 2)])
@pytest.mark.parametrize("dilation", [(2, 2), (1, 3), (2, 1)])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_dilation(kernel_size, dilation, padding):
    check_conv(2, (8, 9), 2, 2, kernel_size, (1, 1), padding, dilation)


@pytest.mark.parametrize("kernel_size, strides, padding, dilation", [
    ((3, 3, 3), (1, 1, 1), "valid", (1, 1, 1)),
    ((2, 2, 2), (1, 1, 1), "same", (1, 1, 1)),
    ((3, 2, 3), (1, 2, 2), "same", (1, 1, 1)),
    ((2, 3, 2), (2, 1, 1), "valid", (1, 1, 1)),
    ((2, 2, 2), (1, 1, 1), "same", (2, 1, 2)),
    ((3, 3, 3), (1, 1, 1), "valid", (1, 2, 1)),
])
@pytest.mark.parametrize("batch", [1, 2])
def test_conv3d(kernel_size, strides, padding, dilation, batch):
    check_conv(3, (5, 6, 5), 2, batch, kernel_size, strides, padding, dilation)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_activation_and_no_bias(rank):
    spatial = {1: (9,), 2: (6, 5), 3: (4, 5, 4)}[rank]
    check_conv(rank, spatial, 3, 2, (3,) * rank, (1,) * rank, "same", (1,) * rank, activation="relu", use_bias=False)


def test_one_by_one_kernel_is_a_matmul_per_pixel():
    out, x, w = run_conv(2, (4, 5), 6, 2, kernel_size=1, activation="relu")
    expected = np.zeros((2, 4, 5, 3))
    for b, i, j, f in itertools.product(range(2), range(4), range(5), range(3)):
        expected[b, i, j, f] = max(w["bias"][f] + sum(float(x[b, i, j, c]) * w["kernel"][0, 0, c, f] for c in range(6)), 0)
    assert_close(out, expected)


def test_variable_length_conv1d():
    layer = {"type": "Conv1D", "name": "conv", "filters": 3, "kernel_size": 3, "padding": "same"}
    model, w = build([layer], {"x": {"shape": [None, 2]}})
    for steps in (1, 4, 7):
        x = np.random.default_rng(steps).uniform(-1, 1, (2, steps, 2)).astype(np.float32)
        assert_close(model(x), reference_conv(x, w["conv"]["kernel"], w["conv"]["bias"], (1,), "same", (1,)))


def to_first(x):
    return np.moveaxis(x, -1, 1)


@pytest.mark.parametrize("rank, spatial, channels, groups", [(1, (9,), 4, 2), (2, (6, 5), 6, 3), (3, (4, 4, 3), 4, 4)])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_groups(rank, spatial, channels, groups, padding):
    out, x, w = run_conv(rank, spatial, channels, 2, kernel_size=2, padding=padding, groups=groups, filters=2 * groups)
    expected = reference_grouped_conv(x, w["kernel"], w["bias"], (1,) * rank, padding, (1,) * rank, groups)
    assert_close(out, expected)


@pytest.mark.parametrize("kernel_size, strides, dilation", [(3, 1, 1), (2, 1, 2), (4, 2, 1)])
def test_causal_conv1d(kernel_size, strides, dilation):
    out, x, w = run_conv(1, (10,), 3, 2, kernel_size=kernel_size, strides=strides, dilation_rate=dilation,
                         padding="causal")
    assert_close(out, reference_causal_conv1d(x, w["kernel"], w["bias"], strides, dilation))


@pytest.mark.parametrize("rank, spatial", [(1, (9,)), (2, (7, 6)), (3, (4, 5, 4))])
@pytest.mark.parametrize("groups", [1, 2])
def test_channels_first(rank, spatial, groups):
    layer = {"type": KINDS[rank], "name": "conv", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same",
             "groups": groups, "data_format": "channels_first"}
    model, w = build([layer], {"x": {"shape": [4, *spatial]}})
    x = np.random.default_rng(0).uniform(-1, 1, (2, 4, *spatial)).astype(np.float32)
    last = np.moveaxis(x, 1, -1)
    expected = reference_grouped_conv(last, w["conv"]["kernel"], w["conv"]["bias"], (2,) * rank, "same", (1,) * rank,
                                      groups)
    got = model(x)
    assert got.flags.c_contiguous
    assert_close(got, to_first(expected))


@pytest.mark.parametrize("fields", [{"groups": 2}, {"groups": 1}])
def test_max_pooling_after_a_grouped_conv_is_not_fused_into_it(fields):
    layers = [{"type": "Conv2D", "name": "conv", "filters": 4, "kernel_size": 3, "activation": "relu", **fields},
              {"type": "MaxPooling2D", "name": "pool"}]
    model, w = build(layers, {"x": {"shape": [8, 8, 4]}})
    x = np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 4)).astype(np.float32)
    conv = np.maximum(reference_grouped_conv(x, w["conv"]["kernel"], w["conv"]["bias"], (1, 1), "valid", (1, 1),
                                             fields["groups"]), 0)
    assert_close(model(x), reference_pool(conv, (2, 2), (2, 2), "valid", "max"))
