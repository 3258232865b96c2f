import pytest
from pydantic import ValidationError

from graphspec.layers import GaussianNoise


def test_identity_at_inference():
    layer = GaussianNoise(stddev=0.1, seed=3)
    assert layer.compute_output_shape((None, 8, 8, 3)) == (None, 8, 8, 3)
    assert layer.count_params((None, 8, 8, 3)) == (0, 0)
    assert GaussianNoise.supports_masking
    assert GaussianNoise(stddev=0).describe() == "σ 0"


@pytest.mark.parametrize("fields, kind", [({}, "missing"), ({"stddev": -0.1}, "greater_than_equal"),
                                          ({"stddev": 1.5}, "less_than_equal")])
def test_stddev_errors(fields, kind):
    with pytest.raises(ValidationError) as info:
        GaussianNoise(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, ("stddev",))
