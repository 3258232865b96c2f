import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Dense, ShapeError


def test_dense_on_flat_features():
    layer = Dense(units=10, activation="softmax")
    assert layer.compute_output_shape((None, 784)) == (None, 10)
    assert layer.weight_shapes((None, 784)) == {"kernel": (784, 10), "bias": (10,)}
    assert layer.count_params((None, 784)) == (7850, 0)
    assert layer.macs((None, 784), (None, 10)) == 7840


def test_dense_acts_on_the_last_axis_of_any_rank():
    layer = Dense(units=10)
    assert layer.compute_output_shape((None, 30, 64)) == (None, 30, 10)
    assert layer.count_params((None, 30, 64)) == (650, 0)
    assert layer.macs((None, 30, 64), (None, 30, 10)) == 30 * 64 * 10


def test_unknown_steps_pass_through_and_count_once():
    layer = Dense(units=10)
    assert layer.compute_output_shape((None, None, 64)) == (None, None, 10)
    assert layer.macs((None, None, 64), (None, None, 10)) == 640


def test_without_bias():
    assert Dense(units=10, use_bias=False).count_params((None, 64)) == (640, 0)


def test_unknown_features_are_an_error():
    with pytest.raises(ShapeError) as info:
        Dense(units=10).compute_output_shape((None, 30, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION
    assert "(None, 30, None)" in info.value.message


@pytest.mark.parametrize("fields, kind, loc", [
    ({"units": 0}, "greater_than", ("units",)),
    ({"units": 3, "activation": "rellu"}, "literal_error", ("activation",)),
    ({}, "missing", ("units",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        Dense(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_describe():
    assert Dense(units=64, activation="relu").describe() == "64 units, relu"
    assert Dense(units=64, activation="linear").describe() == "64 units"
    assert Dense.supports_masking
