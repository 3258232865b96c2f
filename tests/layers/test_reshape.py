import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Reshape, ShapeError


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
