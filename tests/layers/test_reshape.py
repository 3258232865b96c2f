import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Permute, RepeatVector, Reshape, ShapeError


@pytest.mark.parametrize("target", [[28, 28, 1], (28, 28, 1), "(28, 28, 1)", "[28, 28, 1]"])
def test_target_shape_as_list_or_python_string(target):
    layer = Reshape(target_shape=target)
    assert layer.target_shape == (28, 28, 1)
    assert layer.compute_output_shape((None, 784)) == (None, 28, 28, 1)


@pytest.mark.parametrize("target, shape, out", [
    ([-1, 1], (None, 784), (None, 784, 1)), ([28, -1], (None, 28, 28), (None, 28, 28)),
    ("(-1,)", (None, 7, 7, 64), (None, 3136)), ([-1, 4], (None, None, 4), (None, None, 4)),
    ([5, 4], (None, None), (None, 5, 4)), ([1], (None,), (None, 1)),
])
def test_inferred_and_unknown_sizes(target, shape, out):
    assert Reshape(target_shape=target).compute_output_shape(shape) == out


def test_size_mismatch_names_both_shapes_and_counts():
    with pytest.raises(ShapeError) as info:
        Reshape(target_shape=[28, 28, 3]).compute_output_shape((None, 784))
    error = info.value
    assert (error.code, error.field) == (Code.RESHAPE_SIZE, "target_shape")
    assert error.message == "cannot reshape (None, 784) (784 elements) into (None, 28, 28, 3) (2,352 elements)"
    assert "784" in error.hint


def test_inferred_size_that_does_not_divide():
    with pytest.raises(ShapeError) as info:
        Reshape(target_shape=[-1, 5]).compute_output_shape((None, 784))
    assert info.value.code == Code.RESHAPE_SIZE
    assert "(None, 784)" in info.value.message and "(None, -1, 5)" in info.value.message


@pytest.mark.parametrize("target, kind, loc", [
    ([-1, -1], "reshape_inferred", ("target_shape",)), ([0, 4], "reshape_zero", ("target_shape",)),
    (784, "bare_shape", ("target_shape",)), ("(28, 28", "shape_syntax", ("target_shape",)),
    ([-2, 4], "greater_than_equal", ("target_shape", 0)),
])
def test_field_errors(target, kind, loc):
    with pytest.raises(ValidationError) as info:
        Reshape(target_shape=target)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_keeps_the_dtype_and_describes_the_target():
    assert Reshape.dtype_rule == "preserve"
    assert Reshape(target_shape=[28, 28, 1]).describe() == "to (28, 28, 1)"


def test_repeat_vector():
    layer = RepeatVector(n=4)
    assert layer.compute_output_shape((None, 16)) == (None, 4, 16)
    assert layer.compute_output_shape((None, None)) == (None, 4, None)
    assert layer.count_params((None, 16)) == (0, 0) and layer.describe() == "× 4"
    assert (layer.min_rank, layer.max_rank, layer.dtype_rule) == (2, 2, "preserve")


@pytest.mark.parametrize("n, kind", [(0, "greater_than"), (True, "int_type"), (2.0, "int_type")])
def test_repeat_vector_needs_a_positive_whole_n(n, kind):
    with pytest.raises(ValidationError) as info:
        RepeatVector(n=n)
    assert info.value.errors()[0]["type"] == kind


@pytest.mark.parametrize("dims, shape, out", [([2, 1], (None, 10, 64), (None, 64, 10)),
                                              ("(3, 1, 2)", (None, 4, 5, 6), (None, 6, 4, 5)),
                                              ([1], (None, 7), (None, 7)), ([2, 1], (None, None, 3), (None, 3, None))])
def test_permute(dims, shape, out):
    layer = Permute(dims=dims)
    assert layer.compute_output_shape(shape) == out and layer.dtype_rule == "preserve"


@pytest.mark.parametrize("dims", [[0, 1], [1, 1], [1, 3], []])
def test_permute_dims_must_be_a_permutation_from_one(dims):
    with pytest.raises(ValidationError):
        Permute(dims=dims)


def test_permute_dims_must_cover_every_axis():
    with pytest.raises(ShapeError) as info:
        Permute(dims=[2, 1]).compute_output_shape((None, 4, 5, 6))
    assert (info.value.code, info.value.field) == (Code.RANK, "dims")
    assert "(None, 4, 5, 6) has 3 after the batch" in info.value.message
