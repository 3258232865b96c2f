import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import LAYERS, Dropout, ShapeError


def test_identity_at_inference():
    layer = Dropout(rate=0.5)
    assert layer.compute_output_shape((None, 30, 64)) == (None, 30, 64)
    assert layer.count_params((None, 30, 64)) == (0, 0)
    assert Dropout.supports_masking
    assert layer.describe() == "rate 0.5"


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


@pytest.mark.parametrize("kind, shape", [("SpatialDropout1D", (None, 10, 8)), ("SpatialDropout2D", (None, 8, 8, 3)),
                                         ("SpatialDropout3D", (None, 4, 4, 4, 2)), ("AlphaDropout", (None, 5)),
                                         ("GaussianDropout", (None, 3, 5))])
def test_dropout_kin_are_the_identity_at_inference(kind, shape):
    layer = LAYERS[kind](rate=0.3)
    assert layer.compute_output_shape(shape) == shape and layer.count_params(shape) == (0, 0)
    assert layer.supports_masking and layer.describe() == "rate 0.3"
    assert "identity at inference" in layer.primitives(shape)[0].note


@pytest.mark.parametrize("kind, rank", [("SpatialDropout1D", 3), ("SpatialDropout2D", 4), ("SpatialDropout3D", 5)])
def test_spatial_dropout_ranks(kind, rank):
    assert (LAYERS[kind].min_rank, LAYERS[kind].max_rank) == (rank, rank)
    assert LAYERS[kind](rate=0.1).rank_hint((None, *[4] * (rank - 2)))  # the channels axis is missing


def test_spatial_dropout_data_format_where_keras_has_it():
    assert LAYERS["SpatialDropout2D"](rate=0.1, data_format="channels_first").channels_first
    with pytest.raises(ValidationError):
        LAYERS["SpatialDropout1D"](rate=0.1, data_format="channels_first")  # Keras's has none


@pytest.mark.parametrize("kind", ["SpatialDropout2D", "AlphaDropout", "GaussianDropout"])
@pytest.mark.parametrize("rate", [1.5, -0.1, "0.5"])
def test_kin_rates_in_zero_to_one(kind, rate):
    with pytest.raises(ValidationError):
        LAYERS[kind](rate=rate)


def test_alpha_dropout_noise_shape_must_fit():
    assert LAYERS["AlphaDropout"](rate=0.1, noise_shape=[None, 1, 4]).compute_output_shape((None, 6, 4)) == (None, 6, 4)
    with pytest.raises(ShapeError) as info:
        LAYERS["AlphaDropout"](rate=0.1, noise_shape=[None, 1, 3]).compute_output_shape((None, 6, 4))
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "noise_shape")
