import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import (AveragePooling1D, AveragePooling2D, AveragePooling3D, MaxPooling1D, MaxPooling2D,
                              MaxPooling3D, ShapeError, layer_adapter)


def test_defaults_halve_each_spatial_axis():
    layer = MaxPooling2D()
    assert (layer.pool_size, layer.strides, layer.window_strides) == ((2, 2), None, (2, 2))
    assert layer.compute_output_shape((None, 28, 28, 32)) == (None, 14, 14, 32)
    assert MaxPooling1D().compute_output_shape((None, 100, 8)) == (None, 50, 8)
    assert layer.count_params((None, 28, 28, 32)) == (0, 0)
    assert layer.macs((None, 28, 28, 32), (None, 14, 14, 32)) == 0


@pytest.mark.parametrize("size, pool, strides, padding, out", [
    (7, 2, None, "valid", 3), (7, 2, None, "same", 4), (7, 3, 2, "valid", 3), (7, 3, 2, "same", 4),
    (8, 3, 2, "same", 4), (7, 3, 1, "valid", 5), (7, 3, 1, "same", 7), (4, 4, None, "valid", 1),
    (None, 2, None, "valid", None),
])
def test_strides_and_padding(size, pool, strides, padding, out):
    for cls in (MaxPooling2D, AveragePooling2D):
        layer = cls(pool_size=pool, strides=strides, padding=padding)
        assert layer.compute_output_shape((None, size, size, 3)) == (None, out, out, 3)
    layer = AveragePooling1D(pool_size=pool, strides=strides, padding=padding)
    assert layer.compute_output_shape((None, size, 3)) == (None, out, 3)


def test_one_value_per_axis_and_unknown_sizes():
    layer = MaxPooling2D(pool_size=(2, 1))
    assert layer.compute_output_shape((None, 10, 10, 1)) == (None, 5, 10, 1)
    assert layer.compute_output_shape((None, None, 10, None)) == (None, None, 10, None)


def test_window_larger_than_the_input():
    with pytest.raises(ShapeError) as info:
        MaxPooling2D(pool_size=3).compute_output_shape((None, 2, 2, 8))
    assert info.value.code == Code.EMPTY_OUTPUT
    assert "3×3" in info.value.message and "(None, 2, 2, 8)" in info.value.message


@pytest.mark.parametrize("fields, kind, loc", [
    ({"pool_size": (2, 2, 2)}, "tuple_length", ("pool_size",)),
    ({"pool_size": 0}, "not_positive", ("pool_size",)),
    ({"strides": (2, 0)}, "not_positive", ("strides",)),
    ({"padding": "causal"}, "literal_error", ("padding",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        MaxPooling2D(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_aliases_and_ranks():
    assert type(layer_adapter().validate_python({"type": "MaxPool2D"})) is MaxPooling2D
    assert type(layer_adapter().validate_python({"type": "AvgPool1D", "pool_size": 3})) is AveragePooling1D
    assert (MaxPooling1D.min_rank, MaxPooling1D.max_rank, AveragePooling2D.min_rank) == (3, 3, 4)
    assert AveragePooling2D.axes == "(batch, height, width, channels)"


def test_rank_hint_and_describe():
    assert "[28, 28, 1]" in MaxPooling2D().rank_hint((None, 28, 28))
    assert MaxPooling2D().describe() == "2×2"
    assert MaxPooling2D(pool_size=3, strides=2, padding="same").describe() == "3×3, strides 2×2, same"


def test_padding_is_lower_cased_as_keras_does():
    assert MaxPooling2D(padding="Same").padding == "same"


def test_average_pooling_needs_pool_size_as_in_keras():
    for cls in (AveragePooling1D, AveragePooling2D, AveragePooling3D):
        with pytest.raises(ValidationError) as info:
            cls()
        assert info.value.errors()[0]["type"] == "missing"
    assert MaxPooling3D().pool_size == (2, 2, 2)


def test_3d_pooling():
    assert MaxPooling3D().compute_output_shape((None, 4, 5, 3, 2)) == (None, 2, 2, 1, 2)
    layer = AveragePooling3D(pool_size=[3, 2, 3], strides=[1, 2, 1], padding="same")
    assert layer.compute_output_shape((None, 4, 5, 3, 2)) == (None, 4, 3, 3, 2)
    assert MaxPooling3D(pool_size=[3, 2, 2], strides=1).compute_output_shape((None, 4, None, 3, 2)) == \
        (None, 2, None, 2, 2)
    assert (MaxPooling3D.min_rank, MaxPooling3D.max_rank) == (5, 5)
    assert type(layer_adapter().validate_python({"type": "MaxPool3D"})) is MaxPooling3D
    assert type(layer_adapter().validate_python({"type": "AvgPool3D", "pool_size": 2})) is AveragePooling3D


@pytest.mark.parametrize("layer, shape, out", [
    (MaxPooling1D(pool_size=3, strides=2, padding="same"), (None, 2, 7), (None, 2, 4)),
    (AveragePooling2D(pool_size=3, strides=[2, 1], padding="same"), (None, 2, 5, 6), (None, 2, 3, 6)),
    (MaxPooling3D(pool_size=2, padding="same"), (None, 2, 4, 5, 3), (None, 2, 2, 3, 2)),
    (MaxPooling2D(), (None, 3, None, 8), (None, 3, None, 4)),
])
def test_channels_first(layer, shape, out):
    layer = type(layer)(**{**layer.model_dump(exclude={"type"}), "data_format": "channels_first"})
    assert layer.compute_output_shape(shape) == out
    assert layer.rank_hint(shape) is None


def test_channels_first_error_quotes_the_input_as_given():
    with pytest.raises(ShapeError) as info:
        MaxPooling2D(pool_size=4, data_format="channels_first").compute_output_shape((None, 2, 3, 8))
    assert info.value.message == ("a 4×4 window does not fit the input (None, 2, 3, 8) (channels_first) "
                                  "with padding 'valid'")
