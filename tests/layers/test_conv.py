import math

import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Conv1D, Conv2D, Conv3D, ShapeError


def test_conv2d_keras_example():
    layer = Conv2D(filters=64, kernel_size=3)
    assert layer.compute_output_shape((None, 64, 64, 1)) == (None, 62, 62, 64)
    assert layer.weight_shapes((None, 64, 64, 1)) == {"kernel": (3, 3, 1, 64), "bias": (64,)}
    assert layer.count_params((None, 64, 64, 1)) == (640, 0)
    assert layer.macs((None, 64, 64, 1), (None, 62, 62, 64)) == 62 * 62 * 9 * 64


@pytest.mark.parametrize("size, kernel, strides, padding, dilation, out", [
    (28, 3, 1, "valid", 1, 26), (28, 3, 1, "same", 1, 28), (28, 3, 2, "valid", 1, 13), (28, 3, 2, "same", 1, 14),
    (27, 3, 2, "same", 1, 14), (27, 3, 2, "valid", 1, 13), (28, 3, 1, "valid", 2, 24), (28, 3, 1, "same", 2, 28),
    (7, 5, 3, "valid", 1, 1), (5, 4, 1, "same", 1, 5), (None, 3, 2, "same", 1, None), (None, 3, 1, "valid", 2, None),
])
def test_strides_padding_and_dilation(size, kernel, strides, padding, dilation, out):
    layer = Conv2D(filters=8, kernel_size=kernel, strides=strides, padding=padding, dilation_rate=dilation)
    assert layer.compute_output_shape((None, size, size, 3)) == (None, out, out, 8)


def test_one_value_per_axis():
    layer = Conv2D(filters=8, kernel_size=(3, 5), strides=[1, 2])
    assert (layer.kernel_size, layer.strides, layer.dilation_rate) == ((3, 5), (1, 2), (1, 1))
    assert layer.compute_output_shape((None, 32, 32, 3)) == (None, 30, 14, 8)
    assert layer.count_params((None, 32, 32, 3)) == (3 * 5 * 3 * 8 + 8, 0)


def test_conv1d_and_conv3d():
    assert Conv1D(filters=16, kernel_size=5).compute_output_shape((None, 100, 8)) == (None, 96, 16)
    assert Conv1D(filters=16, kernel_size=5).count_params((None, 100, 8)) == (656, 0)
    assert Conv3D(filters=8, kernel_size=3).compute_output_shape((None, 16, 16, 16, 1)) == (None, 14, 14, 14, 8)
    assert Conv3D(filters=8, kernel_size=3).count_params((None, 16, 16, 16, 1)) == (224, 0)
    assert (Conv1D.min_rank, Conv1D.max_rank, Conv3D.min_rank) == (3, 3, 5)


def test_window_larger_than_the_input():
    with pytest.raises(ShapeError) as info:
        Conv2D(filters=8, kernel_size=5).compute_output_shape((None, 4, 4, 3))
    assert info.value.code == Code.EMPTY_OUTPUT
    assert "5×5" in info.value.message and "(None, 4, 4, 3)" in info.value.message


def test_unknown_channels():
    with pytest.raises(ShapeError) as info:
        Conv2D(filters=8, kernel_size=3).compute_output_shape((None, 8, 8, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_unknown_spatial_sizes_pass_through():
    assert Conv2D(filters=64, kernel_size=3).compute_output_shape((None, None, None, 3)) == (None, None, None, 64)


def test_macs_count_unknown_positions_once():
    assert Conv2D(filters=64, kernel_size=3).macs((None, None, None, 3), (None, None, None, 64)) == 9 * 3 * 64


@pytest.mark.parametrize("fields, kind, loc", [
    ({"kernel_size": (3, 3, 3)}, "tuple_length", ("kernel_size",)),
    ({"kernel_size": 0}, "not_positive", ("kernel_size",)),
    ({"kernel_size": 3, "strides": (1, 0)}, "not_positive", ("strides",)),
    ({"kernel_size": 3, "padding": "full"}, "literal_error", ("padding",)),
    ({"kernel_size": 3, "activation": "Relu"}, "literal_error", ("activation",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        Conv2D(filters=8, **fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


@pytest.mark.parametrize("shape, advice", [((None, 28, 28), "[28, 28, 1]"), ((None, 784), "[28, 28, 1]"),
                                           ((None, 3072), "[32, 32, 3]")])
def test_rank_hint_for_images_without_channels(shape, advice):
    assert advice in Conv2D(filters=8, kernel_size=3).rank_hint(shape)


def test_describe():
    assert Conv2D(filters=64, kernel_size=3, activation="relu").describe() == "64 × 3×3, relu"
    # what else changes the output is said where not at Keras's default: a WaveNet's dilations read apart
    assert [Conv1D(filters=32, kernel_size=2, padding="causal", dilation_rate=d).describe() for d in (1, 2)] == [
        "32 × 2, causal", "32 × 2, dilation 2, causal"]
    assert Conv2D(filters=8, kernel_size=3, strides=2, data_format="channels_first", activation="relu",
                  groups=2).describe() == "8 × 3×3 in 2 groups, strides 2×2, channels_first, relu"
    assert Conv1D(filters=4, kernel_size=2).primitives((None, 9, 3))[0].label == "sliding size-2 windows, padding valid"


def test_padding_is_lower_cased_as_keras_does():
    assert Conv2D(filters=1, kernel_size=3, padding="SAME").padding == "same"
    with pytest.raises(ValidationError):
        Conv2D(filters=1, kernel_size=3, padding="full")


@pytest.mark.parametrize("strides, dilation, warned", [(2, 2, True), ((1, 2), (2, 1), True), (2, 1, False), (1, 3, False)])
def test_strides_with_dilation_are_flagged_because_keras_refuses_them(strides, dilation, warned):
    layer = Conv2D(filters=4, kernel_size=3, strides=strides, dilation_rate=dilation)
    advice = layer.advise((None, 32, 32, 3))
    assert [a.code for a in advice] == ([Code.KERAS_REFUSES] if warned else [])
    if warned:
        assert "Keras refuses strides > 1 together with dilation_rate > 1" in advice[0].message


@pytest.mark.parametrize("cls, shape, hint", [
    (Conv1D, (None, 784), "add a channels axis: input_shape [784, 1] (one feature per step)"),
    (Conv3D, (None, 28, 28, 1), "add a channels axis: input_shape [28, 28, 1, 1] (one channel)"),
])
def test_channels_hint_speaks_of_steps_and_volumes_too(cls, shape, hint):
    assert cls(filters=2, kernel_size=3).rank_hint(shape) == hint


def test_weight_options_carry_keras_names_and_defaults():
    layer = Conv2D(filters=4, kernel_size=3)
    assert (layer.kernel_initializer, layer.bias_initializer) == ("glorot_uniform", "zeros")
    assert (layer.kernel_regularizer, layer.bias_regularizer, layer.kernel_constraint, layer.bias_constraint) == (None,) * 4
    assert Conv1D(filters=4, kernel_size=3, kernel_initializer="he_normal").kernel_initializer == "he_normal"


@pytest.mark.parametrize("cls, shape, groups, kernel, out", [
    (Conv2D, (None, 8, 8, 6), 3, (3, 3, 2, 6), (None, 6, 6, 6)),
    (Conv2D, (None, 8, 8, 6), 6, (3, 3, 1, 6), (None, 6, 6, 6)),
    (Conv1D, (None, 10, 4), 2, (3, 2, 6), (None, 8, 6)),
    (Conv3D, (None, 4, 4, 4, 4), 2, (3, 3, 3, 2, 6), (None, 2, 2, 2, 6)),
])
def test_groups_split_the_kernel_channels(cls, shape, groups, kernel, out):
    layer = cls(filters=6, kernel_size=3, groups=groups)
    assert layer.compute_output_shape(shape) == out
    assert layer.weight_shapes(shape) == {"kernel": kernel, "bias": (6,)}
    assert layer.macs(shape, out) == math.prod(out[1:-1]) * math.prod(kernel)
    assert layer.describe() == f"6 × {'×'.join(['3'] * cls.rank)} in {groups} groups"


def test_filters_not_divisible_by_groups_names_the_field():
    with pytest.raises(ValidationError) as info:
        Conv2D(filters=6, kernel_size=3, groups=4)
    error = info.value.errors()[0]
    assert (error["type"], error["loc"]) == ("groups_divide_filters", ("groups",))
    assert "filters (6) must be divisible by groups (4)" in error["msg"]


def test_channels_not_divisible_by_groups_is_a_shape_error_on_groups():
    with pytest.raises(ShapeError) as info:
        Conv2D(filters=6, kernel_size=3, groups=3).compute_output_shape((None, 8, 8, 4))
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "groups")
    assert info.value.message == "the input has 4 channels, which groups 3 does not divide"


@pytest.mark.parametrize("size, kernel, strides, dilation, out", [
    (10, 3, 1, 1, 10), (10, 3, 2, 1, 5), (11, 4, 3, 1, 4), (10, 2, 1, 3, 10), (None, 3, 2, 1, None), (1, 5, 1, 1, 1),
])
def test_causal_conv1d_keeps_the_steps_as_same_does(size, kernel, strides, dilation, out):
    layer = Conv1D(filters=2, kernel_size=kernel, strides=strides, dilation_rate=dilation, padding="Causal")
    assert layer.padding == "causal"
    assert layer.compute_output_shape((None, size, 3)) == (None, out, 2)
    assert "padding causal" in layer.primitives((None, size, 3))[0].label


@pytest.mark.parametrize("cls", [Conv2D, Conv3D])
def test_causal_padding_is_conv1d_only_as_in_keras(cls):
    with pytest.raises(ValidationError) as info:
        cls(filters=2, kernel_size=3, padding="causal")
    assert info.value.errors()[0]["loc"] == ("padding",)


@pytest.mark.parametrize("cls, shape, out, kernel", [
    (Conv1D, (None, 3, 11), (None, 4, 9), (3, 3, 4)),
    (Conv2D, (None, 3, 9, 7), (None, 4, 7, 5), (3, 3, 3, 4)),
    (Conv3D, (None, 3, 5, 6, 7), (None, 4, 3, 4, 5), (3, 3, 3, 3, 4)),
])
def test_channels_first_reads_channels_from_axis_1(cls, shape, out, kernel):
    layer = cls(filters=4, kernel_size=3, data_format="channels_first")
    assert layer.compute_output_shape(shape) == out
    assert layer.weight_shapes(shape)["kernel"] == kernel
    assert layer.macs(shape, out) == math.prod(out[2:]) * math.prod(kernel)


def test_channels_first_errors_show_the_shape_as_written():
    layer = Conv2D(filters=4, kernel_size=5, data_format="channels_first")
    with pytest.raises(ShapeError) as info:
        layer.compute_output_shape((None, 3, 4, 4))
    assert "(None, 3, 4, 4)" in info.value.message and info.value.code == Code.EMPTY_OUTPUT
    with pytest.raises(ShapeError) as info:
        layer.compute_output_shape((None, None, 8, 8))
    assert info.value.code == Code.UNKNOWN_DIMENSION
    assert layer.rank_hint((None, 8, 8)) == "the input needs 3 axes after the batch: (batch, channels, height, width)"


def test_grouped_conv_primitives_say_how_the_channels_split():
    ops = Conv2D(filters=8, kernel_size=3, groups=2).primitives((None, 8, 8, 4))
    assert ops[1].label == "× kernel per group: 2 groups of 2 channels, 4 filters each, summed over each window"
    assert ops[1].weights == {"kernel": (3, 3, 2, 8)}
