import pytest
from pydantic import ValidationError

from graphspec.layers import Masking


def test_defaults_and_shape():
    layer = Masking()
    assert layer.mask_value == 0.0 and layer.compute_output_shape((None, None, 8)) == (None, None, 8)
    assert Masking.supports_masking and Masking.dtype_rule == "preserve"
    assert layer.count_params((None, 5, 8)) == (0, 0) and Masking(mask_value=-1).describe() == "= -1"


@pytest.mark.parametrize("value", ["0", True, None])
def test_mask_value_is_a_number(value):
    with pytest.raises(ValidationError):
        Masking(mask_value=value)


def test_primitives_name_the_mask():
    ops = Masking(mask_value=-1.0).primitives((None, 5, 3))
    assert [op.name for op in ops] == ["mask", "zero"] and "x ≠ -1" in ops[0].label
