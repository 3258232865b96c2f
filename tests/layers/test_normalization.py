import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import BatchNormalization, GroupNormalization, LayerNormalization, ShapeError, UnitNormalization


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


def test_batch_normalization_axis_as_keras_2_saved_it():
    layer = BatchNormalization(axis=[1])
    assert layer.channel_axis == 1
    assert layer.weight_shapes((None, 3, 8, 8)) == dict.fromkeys(["gamma", "beta", "moving_mean", "moving_variance"],
                                                                 (3,))
    with pytest.raises(ValidationError) as info:
        BatchNormalization(axis=[1, 2])
    assert info.value.errors()[0]["type"] == "batch_norm_axes"
    with pytest.raises(ShapeError) as info:
        BatchNormalization(axis=[0]).compute_output_shape((None, 3, 8))
    assert info.value.code == Code.BAD_AXIS


def test_weight_options_with_keras_names_and_defaults():
    bn, ln = BatchNormalization(), LayerNormalization()
    for layer in (bn, ln):
        assert (layer.beta_initializer, layer.gamma_initializer) == ("zeros", "ones")
        assert layer.beta_regularizer is layer.gamma_constraint is None
    assert (bn.moving_mean_initializer, bn.moving_variance_initializer) == ("zeros", "ones")
    assert not hasattr(bn, "moving_mean_regularizer")  # Keras gives the moving statistics an initializer only
    custom = BatchNormalization(gamma_initializer={"class_name": "Constant", "config": {"value": 2.0}})
    assert custom.gamma_initializer.class_name == "Constant"


def test_group_normalization():
    layer = GroupNormalization(groups=4)
    assert layer.compute_output_shape((None, 8, 8, 16)) == (None, 8, 8, 16)
    assert layer.weight_shapes((None, 8, 8, 16)) == {"gamma": (16,), "beta": (16,)}
    assert layer.count_params((None, 8, 8, 16)) == (32, 0) and layer.macs((None, 8, 8, 16), None) == 8 * 8 * 16
    assert GroupNormalization(groups=-1, axis=1, center=False).weight_shapes((None, 6, 5)) == {"gamma": (6,)}
    assert GroupNormalization().groups == 32 and GroupNormalization().epsilon == 1e-3
    assert GroupNormalization(groups=-1).describe() == "instance"


@pytest.mark.parametrize("groups, shape", [(3, (None, 5, 8)), (16, (None, 5, 8))])
def test_groups_must_divide_the_channels(groups, shape):
    with pytest.raises(ShapeError) as info:
        GroupNormalization(groups=groups).compute_output_shape(shape)
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "groups")
    assert "1, 2, 4, 8" in info.value.hint


@pytest.mark.parametrize("fields, code", [({"axis": 0}, Code.BAD_AXIS), ({"axis": 3}, Code.BAD_AXIS),
                                          ({"axis": 1}, Code.UNKNOWN_DIMENSION)])
def test_group_normalization_axis(fields, code):
    with pytest.raises(ShapeError) as info:
        GroupNormalization(groups=1, **fields).compute_output_shape((None, None, 4))
    assert info.value.code == code


@pytest.mark.parametrize("groups", [0, -2, 2.0, True])
def test_groups_positive_or_minus_one(groups):
    with pytest.raises(ValidationError):
        GroupNormalization(groups=groups)


def test_unit_normalization():
    layer = UnitNormalization(axis=[1, 2])
    assert layer.compute_output_shape((None, None, 4, 3)) == (None, None, 4, 3)
    assert layer.count_params((None, 5, 4)) == (0, 0) and UnitNormalization().macs((None, 5, 4), None) == 40
    assert UnitNormalization.supports_masking and UnitNormalization().describe() == ""
    for axis in ([1, -2], 0, 4):
        with pytest.raises(ShapeError) as info:
            UnitNormalization(axis=axis).compute_output_shape((None, 5, 4))
        assert info.value.code == Code.BAD_AXIS
