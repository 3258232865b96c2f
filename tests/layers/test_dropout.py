import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Dropout, ShapeError


def test_identity_at_inference():
    layer = Dropout(rate=0.5)
    assert layer.compute_output_shape((None, 30, 64)) == (None, 30, 64)
    assert layer.count_params((None, 30, 64)) == (0, 0)
    assert Dropout.supports_masking
    assert layer.describe() == "0.5"


@pytest.mark.parametrize("noise_shape", [[None, 1, 64], "(None, 1, 64)", [None, 30, 1], [None, None, None]])
def test_noise_shape_broadcasts(noise_shape):
    assert Dropout(rate=0.2, noise_shape=noise_shape).compute_output_shape((None, 30, 64)) == (None, 30, 64)


@pytest.mark.parametrize("noise_shape", [[None, 1, 32], [None, 64]])
def test_noise_shape_that_does_not_fit(noise_shape):
    with pytest.raises(ShapeError) as info:
        Dropout(rate=0.2, noise_shape=noise_shape).compute_output_shape((None, 30, 64))
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "noise_shape")
    assert "(None, 30, 64)" in info.value.message


def test_rate_one_is_allowed_as_in_keras():
    assert Dropout(rate=1.0).rate == 1.0


@pytest.mark.parametrize("rate, kind", [(1.5, "less_than_equal"), (-0.1, "greater_than_equal"), ("half", "float_type"), ("0.5", "float_type"), (True, "float_type")])
def test_rate_in_zero_to_one(rate, kind):
    with pytest.raises(ValidationError) as info:
        Dropout(rate=rate)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, ("rate",))
