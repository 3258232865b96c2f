import pytest
from pydantic import ValidationError

from graphspec.layers import Activation


def test_element_by_element():
    layer = Activation(activation="softmax")
    assert layer.compute_output_shape((None, None, 10)) == (None, None, 10)
    assert layer.count_params((None, 10)) == (0, 0)
    assert layer.describe() == "softmax"
    assert Activation.supports_masking


def test_null_is_linear_as_in_keras():
    assert Activation(activation=None).describe() == "linear"


@pytest.mark.parametrize("fields, kind", [({}, "missing"), ({"activation": "ReLU"}, "literal_error")])
def test_activation_errors(fields, kind):
    with pytest.raises(ValidationError) as info:
        Activation(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, ("activation",))
