import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Conv2D, DecomposedConv2D, ShapeError


@pytest.mark.parametrize("shape, filters, d, k, decomposed, full", [
    ((None, 32, 32, 64), 64, 3, 64, 24_704, 36_928),
    ((None, 17, 17, 128), 192, 7, 128, 287_040, 1_204_416),
    ((None, 28, 28, 16), 32, 3, 8, 1_192, 4_640),
])
def test_worked_examples(shape, filters, d, k, decomposed, full):
    layer = DecomposedConv2D(filters=filters, kernel_size=d, intermediate_filters=k, padding="same")
    assert layer.compute_output_shape(shape) == (*shape[:3], filters)
    assert layer.count_params(shape) == (decomposed, 0)
    assert Conv2D(filters=filters, kernel_size=d).count_params(shape) == (full, 0)
    assert layer.advise(shape) == []


def test_weights_by_stage():
    layer = DecomposedConv2D(filters=32, kernel_size=3, intermediate_filters=8)
    assert layer.weight_shapes((None, 28, 28, 16)) == {
        "vertical_kernel": (3, 1, 16, 8), "vertical_bias": (8,),
        "horizontal_kernel": (1, 3, 8, 32), "horizontal_bias": (32,)}
    no_bias = DecomposedConv2D(filters=32, kernel_size=(5, 3), intermediate_filters=8, use_bias=False)
    assert no_bias.weight_shapes((None, 28, 28, 16)) == {"vertical_kernel": (5, 1, 16, 8),
                                                         "horizontal_kernel": (1, 3, 8, 32)}


def test_macs_same_padding():
    layer = DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=64, padding="same")
    shape = (None, 32, 32, 64)
    assert layer.macs(shape, (None, 32, 32, 64)) == 25_165_824
    assert Conv2D(filters=64, kernel_size=3, padding="same").macs(shape, (None, 32, 32, 64)) == 37_748_736


def test_macs_count_each_stage_over_its_own_positions():
    layer = DecomposedConv2D(filters=4, kernel_size=(3, 5), intermediate_filters=2, strides=2)
    shape = (None, 11, 11, 3)
    assert layer.intermediate_shape(shape) == (None, 5, 11, 2)
    out = layer.compute_output_shape(shape)
    assert out == (None, 5, 4, 4)
    assert layer.macs(shape, out) == 5 * 11 * 3 * 3 * 2 + 5 * 4 * 5 * 2 * 4


@pytest.mark.parametrize("kernel, strides, padding, dilation", [
    (3, 1, "valid", 1), (3, 1, "same", 1), (3, 2, "same", 1), (3, 2, "valid", 1), ((3, 5), (2, 3), "same", 1),
    ((5, 3), (1, 2), "valid", 1), (4, 1, "same", 1), (3, 1, "valid", 2), ((3, 3), 1, "same", (2, 3)),
    (7, 3, "valid", 1),
])
@pytest.mark.parametrize("size", [(27, 31), (32, 32), (None, 17)])
def test_output_shape_equals_the_full_convolution(kernel, strides, padding, dilation, size):
    fields = dict(filters=8, kernel_size=kernel, strides=strides, padding=padding, dilation_rate=dilation)
    shape = (None, *size, 3)
    decomposed = DecomposedConv2D(intermediate_filters=4, **fields).compute_output_shape(shape)
    assert decomposed == Conv2D(**fields).compute_output_shape(shape)


def test_window_that_does_not_fit_names_the_whole_kernel():
    with pytest.raises(ShapeError) as info:
        DecomposedConv2D(filters=8, kernel_size=(3, 5), intermediate_filters=4).compute_output_shape((None, 30, 4, 3))
    assert info.value.code == Code.EMPTY_OUTPUT
    assert "3×5" in info.value.message and "(None, 30, 4, 3)" in info.value.message


def test_unknown_channels():
    with pytest.raises(ShapeError) as info:
        DecomposedConv2D(filters=8, kernel_size=3, intermediate_filters=4).compute_output_shape((None, 8, 8, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_advice_when_decomposing_costs_more():
    layer = DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=64, padding="same")
    (advice,) = layer.advise((None, 32, 32, 3))
    assert advice.code == Code.DECOMPOSITION_COSTS_MORE
    assert "12,992" in advice.message and "1,792" in advice.message
    assert "K ≈ 8.6" in advice.hint and "intermediate_filters ≤ 8" in advice.hint
    assert DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=8).advise((None, 32, 32, 3)) == []
    assert DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=9).advise((None, 32, 32, 3)) != []


def test_advice_when_no_width_saves():
    (advice,) = DecomposedConv2D(filters=1, kernel_size=2, intermediate_filters=1).advise((None, 8, 8, 1))
    assert "use a Conv2D" in advice.hint


def test_describe_and_defaults():
    layer = DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=8)
    assert layer.describe() == "64 × 3×1→1×3 via 8, relu"
    assert DecomposedConv2D(filters=64, kernel_size=(5, 3), intermediate_filters=8, intermediate_activation=None,
                            activation="softmax").describe() == "64 × 5×1→1×3 via 8 → softmax"
    assert (layer.activation, layer.strides, layer.dilation_rate) == (None, (1, 1), (1, 1))
    assert (DecomposedConv2D.min_rank, DecomposedConv2D.max_rank) == (4, 4)
    assert "[28, 28, 1]" in layer.rank_hint((None, 28, 28))


@pytest.mark.parametrize("fields, kind, loc", [
    ({"filters": 8, "kernel_size": 3}, "missing", ("intermediate_filters",)),
    ({"filters": 8, "kernel_size": 3, "intermediate_filters": 0}, "greater_than", ("intermediate_filters",)),
    ({"filters": 8, "kernel_size": (3, 3, 3), "intermediate_filters": 2}, "tuple_length", ("kernel_size",)),
    ({"filters": 8, "kernel_size": 3, "intermediate_filters": 2, "intermediate_activation": "rel"},
     "literal_error", ("intermediate_activation",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        DecomposedConv2D(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_advice_on_strides_with_dilation_comes_first():
    layer = DecomposedConv2D(filters=64, kernel_size=3, intermediate_filters=64, strides=2, dilation_rate=2)
    assert [a.code for a in layer.advise((None, 32, 32, 3))] == [Code.KERAS_REFUSES, Code.DECOMPOSITION_COSTS_MORE]
