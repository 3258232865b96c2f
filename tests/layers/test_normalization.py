import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import BatchNormalization, LayerNormalization, ShapeError


def test_batch_normalization_keras_counts():
    layer = BatchNormalization()
    assert layer.compute_output_shape((None, 32, 32, 64)) == (None, 32, 32, 64)
    assert layer.weight_shapes((None, 32, 32, 64)) == {
        "gamma": (64,), "beta": (64,), "moving_mean": (64,), "moving_variance": (64,)}
    assert layer.count_params((None, 32, 32, 64)) == (128, 128)
    assert layer.macs((None, 4, 64), (None, 4, 64)) == 256


def test_batch_normalization_without_scale_or_center():
    assert BatchNormalization(scale=False).count_params((None, 64)) == (64, 128)
    assert BatchNormalization(center=False, scale=False).weight_shapes((None, 64)) == {
        "moving_mean": (64,), "moving_variance": (64,)}
    assert BatchNormalization(trainable=False).count_params((None, 64)) == (0, 256)


@pytest.mark.parametrize("axis, size", [(1, 10), (-2, 10), (2, 64), (-1, 64)])
def test_batch_normalization_on_another_axis(axis, size):
    layer = BatchNormalization(axis=axis)
    assert layer.compute_output_shape((None, 10, 64)) == (None, 10, 64)
    assert layer.count_params((None, 10, 64)) == (2 * size, 2 * size)


@pytest.mark.parametrize("cls", [BatchNormalization, LayerNormalization])
@pytest.mark.parametrize("axis", [0, -3, 3, -4])
def test_the_batch_axis_and_missing_axes(cls, axis):
    with pytest.raises(ShapeError) as info:
        cls(axis=axis).compute_output_shape((None, 10, 64))
    assert (info.value.code, info.value.field) == (Code.BAD_AXIS, "axis")
    assert "(None, 10, 64)" in info.value.message


def test_unknown_normalised_axis():
    with pytest.raises(ShapeError) as info:
        BatchNormalization().compute_output_shape((None, 10, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION
    assert BatchNormalization(axis=2).compute_output_shape((None, None, 8)) == (None, None, 8)


def test_layer_normalization_counts():
    layer = LayerNormalization()
    assert layer.compute_output_shape((None, 30, 64)) == (None, 30, 64)
    assert layer.weight_shapes((None, 30, 64)) == {"gamma": (64,), "beta": (64,)}
    assert layer.count_params((None, 30, 64)) == (128, 0)
    assert LayerNormalization(center=False).count_params((None, 30, 64)) == (64, 0)


def test_layer_normalization_over_several_axes():
    layer = LayerNormalization(axis=[1, 2])
    assert layer.weight_shapes((None, 8, 64)) == {"gamma": (8, 64), "beta": (8, 64)}
    assert layer.count_params((None, 8, 64)) == (1024, 0)
    # Keras sorts the axes as written, so -1 (64) comes before 1 (8): its gamma is (64, 8).
    assert LayerNormalization(axis=[1, -1]).weight_shapes((None, 8, 64)) == {"gamma": (64, 8), "beta": (64, 8)}
    with pytest.raises(ShapeError) as info:
        LayerNormalization(axis=[1, 2]).compute_output_shape((None, None, 64))
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_masking():
    assert BatchNormalization.supports_masking and LayerNormalization.supports_masking
    assert BatchNormalization.non_trainable_weights == {"moving_mean", "moving_variance"}


@pytest.mark.parametrize("fields, kind, loc", [
    ({"epsilon": 0}, "greater_than", ("epsilon",)), ({"momentum": 1.5}, "less_than_equal", ("momentum",)),
    ({"axis": "last"}, "int_type", ("axis", "int")),  # axis is an int or a list of one: the int's error first
    ({"axis": True}, "int_type", ("axis", "int")),
    ({"center": "yes"}, "bool_type", ("center",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        BatchNormalization(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_layer_normalization_axis_list_errors():
    with pytest.raises(ShapeError) as info:
        LayerNormalization(axis=[2, -1]).compute_output_shape((None, 8, 64))
    assert (info.value.code, info.value.field) == (Code.BAD_AXIS, "axis")
    with pytest.raises(ValidationError):
        LayerNormalization(axis=[])
