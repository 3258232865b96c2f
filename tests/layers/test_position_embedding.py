import pytest
from pydantic import ValidationError

from support import checked

from graphspec.diagnostics import Code, SpecError
from graphspec.layers import PositionEmbedding, ShapeError, SinePositionEncoding


def test_position_embedding_is_a_table_of_positions():
    layer = PositionEmbedding(sequence_length=16)
    assert layer.compute_output_shape((None, 10, 8)) == (None, 10, 8)
    assert layer.compute_output_shape((None, None, 8)) == (None, None, 8)
    assert layer.weight_shapes((None, 10, 8)) == {"embeddings": (16, 8)}
    assert layer.count_params((None, 10, 8)) == (128, 0) and layer.macs((None, 10, 8), (None, 10, 8)) == 0
    assert layer.describe() == "16 positions" and not PositionEmbedding.supports_masking


def test_keras_hub_names_the_option_initializer():
    layer = PositionEmbedding(sequence_length=4)
    assert layer.initializer_for("embeddings") == "glorot_uniform" and layer.initializer == "glorot_uniform"
    assert PositionEmbedding(sequence_length=4, initializer="he_normal").initializer_for("embeddings") == "he_normal"
    fields = set(PositionEmbedding.model_fields)
    assert "initializer" in fields and not fields & {"regularizer", "constraint", "embeddings_initializer"}
    with pytest.raises(ValidationError):
        PositionEmbedding(sequence_length=4, initializer="l2")


@pytest.mark.parametrize("value", [0, -1, 2.5, None, "8"])
def test_sequence_length_is_a_positive_int(value):
    with pytest.raises(ValidationError):
        PositionEmbedding(sequence_length=value)


def test_sequence_longer_than_the_table():
    with pytest.raises(ShapeError) as err:
        PositionEmbedding(sequence_length=8).compute_output_shape((None, 9, 4))
    assert err.value.code == Code.SHAPE_MISMATCH and err.value.field == "sequence_length"
    assert "9 steps" in str(err.value) and "sequence_length = 8" in str(err.value)


def test_features_must_be_known():
    with pytest.raises(ShapeError) as err:
        PositionEmbedding(sequence_length=8).compute_output_shape((None, 5, None))
    assert err.value.code == Code.UNKNOWN_DIMENSION


@pytest.mark.parametrize("kind", ["PositionEmbedding", "SinePositionEncoding"])
def test_a_sequence_of_vectors(kind):
    layers = [{"type": kind, **({"sequence_length": 8} if kind == "PositionEmbedding" else {})}]
    with pytest.raises(SpecError) as err:
        checked(layers, {"x": {"shape": [8]}})
    assert err.value.diagnostics[0].code == Code.RANK and "Embedding" in err.value.diagnostics[0].hint


def test_sine_position_encoding():
    layer = SinePositionEncoding()
    assert layer.max_wavelength == 10000.0 and layer.describe() == "max_wavelength 10000"
    assert layer.compute_output_shape((None, None, 7)) == (None, None, 7)
    assert layer.weight_shapes((None, 5, 7)) == {} and layer.count_params((None, 5, 7)) == (0, 0)
    assert SinePositionEncoding(max_wavelength=100).max_wavelength == 100.0


@pytest.mark.parametrize("value", [0, -5.0, "1e4", True])
def test_max_wavelength_is_positive(value):
    with pytest.raises(ValidationError):
        SinePositionEncoding(max_wavelength=value)


def test_primitives():
    assert [op.name for op in PositionEmbedding(sequence_length=4).primitives((None, 3, 2))] == ["slice"]
    assert [op.name for op in SinePositionEncoding().primitives((None, 3, 2))] == ["sinusoid"]
