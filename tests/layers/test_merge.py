import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, ShapeError, Subtract

ELEMENTWISE = [Add, Subtract, Multiply, Average, Maximum, Minimum]


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


def test_concatenate_inputs_of_different_rank():
    with pytest.raises(ShapeError) as info:
        Concatenate().compute_output_shape([(None, 30), (None, 30, 64)])
    assert info.value.code == Code.RANK
    assert "(None, 30) and (None, 30, 64)" in info.value.message


@pytest.mark.parametrize("cls", ELEMENTWISE)
@pytest.mark.parametrize("shapes, out", [
    ([(None, 64), (None, 30, 64)], (None, 30, 64)),  # Keras's Merge: expand_dims(x, 1) until the ranks agree
    ([(None, 30, 64), (None, 1)], (None, 30, 64)),
    ([(None, 4, 1, 5), (None, 3, 1)], (None, 4, 3, 5)),
    ([(None, 1, 5), (None, None, 1)], (None, None, 5)),
])
def test_elementwise_broadcasts_across_ranks(cls, shapes, out):
    assert cls().compute_output_shape(shapes) == out


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_elementwise_across_ranks_aligns_the_last_axes(cls):
    with pytest.raises(ShapeError) as info:
        cls().compute_output_shape([(None, 30), (None, 30, 64)])
    assert info.value.code == Code.SHAPE_MISMATCH
    assert info.value.message == f"{cls.__name__} of (None, 30) and (None, 30, 64) mismatches on axis 2 (30, 64)"
    assert "lined up with the others' last axes" in info.value.hint


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
    for cls in (Concatenate, Add, Multiply, Average, Maximum, Minimum):
        assert (cls.min_inputs, cls.max_inputs, cls.dtype_rule, cls.supports_masking) == (2, None, "preserve", True)
    assert (Subtract.min_inputs, Subtract.max_inputs, Dot.min_inputs, Dot.max_inputs) == (2, 2, 2, 2)
    assert not Dot.supports_masking
    assert [p.label for cls in ELEMENTWISE for p in cls().primitives([(None, 2)] * 2)] == [
        "x1 + x2, element by element", "x1 − x2, element by element", "x1 × x2, element by element",
        "(x1 + x2) / 2, element by element", "max(x1, x2), element by element", "min(x1, x2), element by element"]
    assert Add().count_params([(None, 8), (None, 8)]) == (0, 0)
    assert Multiply().macs([(None, 8)] * 3, (None, 8)) == 16
    assert Concatenate(axis=1).describe() == "axis 1"


@pytest.mark.parametrize("axes, shapes, out", [
    (1, [(None, 5), (None, 5)], (None, 1)),
    (-1, [(None, 5), (None, 5)], (None, 1)),
    ([1, 1], [(None, 5), (None, 5, 3)], (None, 3)),
    (2, [(None, 4, 5), (None, 6, 5)], (None, 4, 6)),
    ([2, 1], [(None, 4, 5), (None, 5, 6)], (None, 4, 6)),
    ([1, 2], [(None, 5, 3), (None, 4, 5)], (None, 3, 4)),
    (-1, [(None, 3, 5), (None, 5)], (None, 3)),
    ([3, 1], [(None, 2, 3, 4), (None, 4, 6, 7)], (None, 2, 3, 6, 7)),
    ([-2, -1], [(None, None, 4, 2), (None, 3, 4)], (None, None, 2, 3)),
])
def test_dot_shapes_are_keras_batch_dot(axes, shapes, out):
    assert Dot(axes=axes).compute_output_shape(shapes) == out


def test_dot_macs_params_and_describe():
    layer = Dot(axes=[2, 1], normalize=True)
    assert layer.macs([(None, 4, 5), (None, 5, 6)], (None, 4, 6)) == 4 * 6 * 5
    assert layer.count_params([(None, 4, 5), (None, 5, 6)]) == (0, 0)
    assert layer.describe() == "axes [2, 1], normalized"
    assert [p.name for p in layer.primitives([(None, 4, 5), (None, 5, 6)])] == ["l2_normalize", "dot"]


@pytest.mark.parametrize("axes, shapes, code, text", [
    (1, [(None, 5), (None, 4)], Code.SHAPE_MISMATCH, "sums over axis 1 of the first (5) and axis 1 of the second (4)"),
    (1, [(None, None, 3), (None, 5, 3)], Code.SHAPE_MISMATCH, "(None) and axis 1 of the second (5)"),
    (0, [(None, 5), (None, 5)], Code.BAD_AXIS, "is the batch axis"),
    (2, [(None, 5), (None, 5, 5)], Code.BAD_AXIS, "axis 2 of input 1 (None, 5) is not an axis"),
    ([1, -3], [(None, 5), (None, 5, 5)], Code.BAD_AXIS, "is the batch axis"),
])
def test_dot_errors(axes, shapes, code, text):
    with pytest.raises(ShapeError) as info:
        Dot(axes=axes).compute_output_shape(shapes)
    assert info.value.code == code and text in info.value.message, info.value.message


@pytest.mark.parametrize("axes", [[1], [1, 2, 3], "1", True, None])
def test_dot_axes_field(axes):
    with pytest.raises(ValidationError):
        Dot(axes=axes)
