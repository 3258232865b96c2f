import pytest

from graphspec.diagnostics import Code
from graphspec.layers import Add, Concatenate, Multiply, ShapeError


@pytest.mark.parametrize("axis, shapes, out", [
    (-1, [(None, 30, 300), (None, 30, 64)], (None, 30, 364)),
    (1, [(None, 30, 64), (None, 20, 64)], (None, 50, 64)),
    (-1, [(None, 8), (None, 4), (None, 2)], (None, 14)),
    (-1, [(None, None, 300), (None, 30, 64)], (None, 30, 364)),
    (1, [(None, None, 64), (None, 20, 64)], (None, None, 64)),
])
def test_concatenate_shapes(axis, shapes, out):
    assert Concatenate(axis=axis).compute_output_shape(shapes) == out


def test_concatenate_mismatch_names_the_axis_and_every_input():
    with pytest.raises(ShapeError) as info:
        Concatenate(axis=1).compute_output_shape([(None, 30, 300), (None, 30, 64)])
    error = info.value
    assert error.code == Code.SHAPE_MISMATCH
    assert error.message == "Concatenate on axis 1 of (None, 30, 300) and (None, 30, 64) mismatches on axis 2 (300, 64)"
    assert "axis: -1" in error.hint


def test_concatenate_mismatch_on_several_axes():
    with pytest.raises(ShapeError) as info:
        Concatenate().compute_output_shape([(None, 3, 4, 5), (None, 3, 5, 6), (None, 2, 4, 5)])
    assert "(None, 3, 4, 5), (None, 3, 5, 6) and (None, 2, 4, 5) mismatches on axis 1" in info.value.message
    assert "only the concatenation axis may differ" in info.value.hint


@pytest.mark.parametrize("axis", [0, -3, 3])
def test_concatenate_bad_axis(axis):
    with pytest.raises(ShapeError) as info:
        Concatenate(axis=axis).compute_output_shape([(None, 30, 64), (None, 30, 64)])
    assert (info.value.code, info.value.field) == (Code.BAD_AXIS, "axis")


@pytest.mark.parametrize("cls", [Concatenate, Add, Multiply])
def test_inputs_of_different_rank(cls):
    with pytest.raises(ShapeError) as info:
        cls().compute_output_shape([(None, 30), (None, 30, 64)])
    assert info.value.code == Code.RANK
    assert "(None, 30) and (None, 30, 64)" in info.value.message


@pytest.mark.parametrize("shapes, out", [
    ([(None, 16, 16, 8), (None, 16, 16, 8)], (None, 16, 16, 8)),
    ([(None, 1, 64), (None, 30, 1)], (None, 30, 64)),
    ([(None, 30, 64), (None, None, 64), (None, 30, 1)], (None, 30, 64)),
    ([(None, None, 1), (None, 1, 1)], (None, None, 1)),
])
def test_add_and_multiply_broadcast(shapes, out):
    assert Add().compute_output_shape(shapes) == out
    assert Multiply().compute_output_shape(shapes) == out


def test_elementwise_mismatch():
    with pytest.raises(ShapeError) as info:
        Add().compute_output_shape([(None, 30, 64), (None, 30, 32)])
    assert info.value.code == Code.SHAPE_MISMATCH
    assert info.value.message == "Add of (None, 30, 64) and (None, 30, 32) mismatches on axis 2 (64, 32)"


def test_merge_class_rules():
    for cls in (Concatenate, Add, Multiply):
        assert (cls.min_inputs, cls.max_inputs, cls.dtype_rule, cls.supports_masking) == (2, None, "preserve", True)
    assert Add().count_params([(None, 8), (None, 8)]) == (0, 0)
    assert Multiply().macs([(None, 8)] * 3, (None, 8)) == 16
    assert Concatenate(axis=1).describe() == "axis 1"
