"""DecomposedConv2D through the public path against a loop reference: a vertical kh×1 conv, the intermediate
activation, then a horizontal 1×kw conv; strides and dilation split by axis; same padding with even kernels."""
import math

import numpy as np
import pytest
from support import assert_close, build

ACTIVATIONS = {None: lambda v: v, "linear": lambda v: v, "relu": lambda v: max(v, 0.0), "tanh": math.tanh}


def axis_geometry(n, k, s, d, padding):
    """(output length, padding before) along one axis, as TensorFlow: the odd padding element goes at the end."""
    if padding == "same":
        out = math.ceil(n / s)
        return out, max((out - 1) * s + (k - 1) * d + 1 - n, 0) // 2
    return (n - (k - 1) * d - 1) // s + 1, 0


def vertical(x, kernel, bias, stride, dilation, padding, activation):
    """kernel (kh, 1, C, K): slides down the height only; every column is kept."""
    batch, height, width, channels = x.shape
    kh, filters = kernel.shape[0], kernel.shape[-1]
    out_h, top = axis_geometry(height, kh, stride, dilation, padding)
    out = np.zeros((batch, out_h, width, filters))
    for b in range(batch):
        for i in range(out_h):
            for j in range(width):
                for f in range(filters):
                    total = 0.0 if bias is None else bias[f]
                    for t in range(kh):
                        row = i * stride + t * dilation - top
                        if 0 <= row < height:
                            for c in range(channels):
                                total += float(x[b, row, j, c]) * kernel[t, 0, c, f]
                    out[b, i, j, f] = ACTIVATIONS[activation](total)
    return out


def horizontal(x, kernel, bias, stride, dilation, padding, activation):
    """kernel (1, kw, K, F): slides along the width only."""
    swapped = vertical(x.transpose(0, 2, 1, 3), kernel.transpose(1, 0, 2, 3), bias, stride, dilation, padding, activation)
    return swapped.transpose(0, 2, 1, 3)


@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 2), (3, 2), (2, 4)])
@pytest.mark.parametrize("strides, dilation", [((1, 1), (1, 1)), ((2, 1), (1, 1)), ((1, 2), (1, 1)),
                                               ((2, 2), (1, 1)), ((1, 1), (2, 1)), ((1, 1), (1, 2)),
                                               ((2, 1), (1, 2))])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_decomposed_conv_matches_two_stage_reference(kernel_size, strides, dilation, padding):
    layer = {"type": "DecomposedConv2D", "name": "dc", "filters": 3, "intermediate_filters": 2,
             "kernel_size": list(kernel_size), "strides": list(strides), "dilation_rate": list(dilation),
             "padding": padding, "activation": "tanh"}
    model, w = build([layer], {"x": {"shape": [7, 8, 2]}})
    x = np.random.default_rng(0).uniform(-1, 1, (2, 7, 8, 2)).astype(np.float32)
    w = w["dc"]
    middle = vertical(x, w["vertical_kernel"], w["vertical_bias"], strides[0], dilation[0], padding, "relu")
    expected = horizontal(middle, w["horizontal_kernel"], w["horizontal_bias"], strides[1], dilation[1], padding, "tanh")
    assert model.graph["dc"].output.shape == (None, *expected.shape[1:])
    assert_close(model(x), expected)


@pytest.mark.parametrize("intermediate_activation", [None, "tanh"])
@pytest.mark.parametrize("batch", [1, 3])
def test_intermediate_activation_and_no_bias(intermediate_activation, batch):
    layer = {"type": "DecomposedConv2D", "name": "dc", "filters": 4, "intermediate_filters": 3, "kernel_size": [2, 3],
             "padding": "same", "use_bias": False, "intermediate_activation": intermediate_activation}
    model, w = build([layer], {"x": {"shape": [5, 6, 1]}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 5, 6, 1)).astype(np.float32)
    w = w["dc"]
    middle = vertical(x, w["vertical_kernel"], None, 1, 1, "same", intermediate_activation)
    assert_close(model(x), horizontal(middle, w["horizontal_kernel"], None, 1, 1, "same", None))


def test_linear_decomposition_equals_the_outer_product_conv2d():
    """With a linear middle and no bias, a valid kh×1 then 1×kw conv is the kh×kw conv whose kernel is their product."""
    layer = {"type": "DecomposedConv2D", "name": "dc", "filters": 2, "intermediate_filters": 1, "kernel_size": 3,
             "use_bias": False, "intermediate_activation": "linear"}
    model, w = build([layer], {"x": {"shape": [6, 6, 1]}})
    x = np.random.default_rng(1).uniform(-1, 1, (1, 6, 6, 1)).astype(np.float32)
    v, h = w["dc"]["vertical_kernel"][:, 0, 0, 0], w["dc"]["horizontal_kernel"][0, :, 0, :]
    expected = np.zeros((1, 4, 4, 2))
    for i in range(4):
        for j in range(4):
            for f in range(2):
                expected[0, i, j, f] = sum(float(x[0, i + a, j + c, 0]) * v[a] * h[c, f] for a in range(3) for c in range(3))
    assert_close(model(x), expected)
