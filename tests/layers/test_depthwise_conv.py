import math

import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D, ShapeError, layer_adapter


@pytest.mark.parametrize("fields, shape, out", [
    ({"kernel_size": 3}, (None, 8, 8, 3), (None, 6, 6, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, (None, 8, 8, 3), (None, 8, 8, 6)),
    ({"kernel_size": (3, 2), "strides": 2}, (None, 9, 8, 4), (None, 4, 4, 4)),
    ({"kernel_size": 3, "dilation_rate": 2}, (None, 9, 9, 2), (None, 5, 5, 2)),
    ({"kernel_size": 3, "data_format": "channels_first", "depth_multiplier": 3}, (None, 2, 7, 6), (None, 6, 5, 4)),
    ({"kernel_size": 3}, (None, None, None, 3), (None, None, None, 3)),
])
def test_depthwise2d_shapes(fields, shape, out):
    assert DepthwiseConv2D(**fields).compute_output_shape(shape) == out


def test_depthwise_weights_are_keras_kernel_and_bias():
    layer = DepthwiseConv2D(kernel_size=3, depth_multiplier=2)
    assert layer.weight_shapes((None, 8, 8, 3)) == {"kernel": (3, 3, 3, 2), "bias": (6,)}  # Keras 3 names it kernel
    assert layer.count_params((None, 8, 8, 3)) == (60, 0)
    assert DepthwiseConv1D(kernel_size=5, use_bias=False).weight_shapes((None, 10, 4)) == {"kernel": (5, 4, 1)}
    cf = DepthwiseConv2D(kernel_size=3, data_format="channels_first")
    assert cf.weight_shapes((None, 4, 8, 8)) == {"kernel": (3, 3, 4, 1), "bias": (4,)}


def test_depthwise_macs_follow_its_multiply_adds_not_a_dense_convs():
    layer = DepthwiseConv2D(kernel_size=3, depth_multiplier=2, padding="same")
    assert layer.macs((None, 16, 16, 32), (None, 16, 16, 64)) == 16 * 16 * 9 * 32 * 2
    assert DepthwiseConv1D(kernel_size=3).macs((None, None, 8), (None, None, 8)) == 3 * 8  # per step


def test_depthwise_options_and_defaults():
    layer = DepthwiseConv1D(kernel_size=3)
    assert (layer.strides, layer.padding, layer.depth_multiplier, layer.dilation_rate) == ((1,), "valid", 1, (1,))
    assert (layer.depthwise_initializer, layer.bias_initializer, layer.data_format) == ("glorot_uniform", "zeros", None)
    assert layer.describe() == "depthwise 3"
    assert DepthwiseConv2D(kernel_size=3, depth_multiplier=2, activation="relu").describe() == "depthwise 3×3 ×2, relu"


@pytest.mark.parametrize("cls, fields", [(DepthwiseConv1D, {}), (SeparableConv1D, {"filters": 2})])
def test_causal_padding_is_refused_as_keras_refuses_it(cls, fields):
    with pytest.raises(ValidationError) as info:
        cls(kernel_size=3, padding="causal", **fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == ("literal_error", ("padding",))


@pytest.mark.parametrize("fields, loc", [({"depth_multiplier": 0}, "depth_multiplier"), ({"kernel_size": 0}, "kernel_size"),
                                         ({"depth_multiplier": True}, "depth_multiplier"),
                                         ({"data_format": "NCHW"}, "data_format")])
def test_field_errors(fields, loc):
    with pytest.raises(ValidationError) as info:
        DepthwiseConv2D(**{"kernel_size": 3, **fields})
    assert info.value.errors()[0]["loc"] == (loc,)


def test_window_too_large_and_unknown_channels():
    with pytest.raises(ShapeError) as info:
        DepthwiseConv2D(kernel_size=5).compute_output_shape((None, 4, 4, 3))
    assert info.value.code == Code.EMPTY_OUTPUT
    with pytest.raises(ShapeError) as info:
        SeparableConv2D(filters=2, kernel_size=3).compute_output_shape((None, 8, 8, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_strides_with_dilation_are_not_flagged_keras_builds_them_here():
    assert DepthwiseConv2D(kernel_size=3, strides=2, dilation_rate=2).advise((None, 9, 9, 2)) == []
    assert SeparableConv2D(filters=2, kernel_size=3, strides=2, dilation_rate=2).advise((None, 9, 9, 2)) == []


@pytest.mark.parametrize("fields, shape, out", [
    ({"filters": 8, "kernel_size": 3}, (None, 8, 8, 3), (None, 6, 6, 8)),
    ({"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 9, 9, 3), (None, 5, 5, 8)),
    ({"filters": 5, "kernel_size": 3, "data_format": "channels_first"}, (None, 3, 8, 9), (None, 5, 6, 7)),
])
def test_separable2d_shapes(fields, shape, out):
    assert SeparableConv2D(**fields).compute_output_shape(shape) == out


def test_separable_weights_in_keras_order_and_macs():
    layer = SeparableConv2D(filters=8, kernel_size=3, depth_multiplier=2)
    weights = layer.weight_shapes((None, 10, 10, 3))
    assert list(weights.items()) == [("depthwise_kernel", (3, 3, 3, 2)), ("pointwise_kernel", (1, 1, 6, 8)),
                                     ("bias", (8,))]
    assert layer.count_params((None, 10, 10, 3)) == (54 + 48 + 8, 0)
    assert layer.macs((None, 10, 10, 3), (None, 8, 8, 8)) == 64 * (9 * 6 + 6 * 8)
    one = SeparableConv1D(filters=4, kernel_size=5, use_bias=False)
    assert one.weight_shapes((None, 20, 2)) == {"depthwise_kernel": (5, 2, 1), "pointwise_kernel": (1, 2, 4)}
    assert (one.depthwise_initializer, one.pointwise_initializer, one.bias_initializer) == (
        "glorot_uniform", "glorot_uniform", "zeros")


def test_aliases_are_keras_3s():
    assert type(layer_adapter().validate_python({"type": "SeparableConvolution2D", "filters": 2, "kernel_size": 3})) \
        is SeparableConv2D
    assert type(layer_adapter().validate_python({"type": "SeparableConvolution1D", "filters": 2, "kernel_size": 3})) \
        is SeparableConv1D


def test_primitives_separate_the_depthwise_and_pointwise_stages():
    ops = SeparableConv2D(filters=8, kernel_size=3, depth_multiplier=2, activation="relu").primitives((None, 8, 8, 3))
    assert [(op.name, op.weights) for op in ops] == [
        ("windows", {}), ("depthwise", {"depthwise_kernel": (3, 3, 3, 2)}),
        ("pointwise", {"pointwise_kernel": (1, 1, 6, 8)}), ("bias", {"bias": (8,)}), ("activation", {})]
    assert ops[1].label == "× kernel per channel: each channel's window by 2 sets of its own taps"
    depthwise = DepthwiseConv2D(kernel_size=3).primitives((None, 8, 8, 3))
    assert [op.name for op in depthwise] == ["windows", "depthwise", "bias"]
    assert SeparableConv2D(filters=8, kernel_size=3).describe() == "8 × 3×3 separable"
    assert math.prod(depthwise[1].weights["kernel"]) == 27
