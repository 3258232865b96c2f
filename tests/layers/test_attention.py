import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import AdditiveAttention, Attention, ShapeError, layer_adapter


@pytest.mark.parametrize("shapes, out", [
    ([(None, 5, 4), (None, 6, 4)], (None, 5, 4)),
    ([(None, 5, 4), (None, 6, 3), (None, 6, 4)], (None, 5, 3)),
    ([(None, None, 4), (None, None, 4)], (None, None, 4)),
    ([(None, 5, None), (None, 6, 8)], (None, 5, 8)),
])
@pytest.mark.parametrize("kind", [Attention, AdditiveAttention])
def test_output_is_query_steps_by_value_features(kind, shapes, out):
    assert kind(use_scale=False).compute_output_shape(shapes) == out


def test_query_and_key_features_must_agree():
    with pytest.raises(ShapeError) as info:
        Attention().compute_output_shape([(None, 5, 4), (None, 6, 3)])
    assert info.value.code == Code.SHAPE_MISMATCH
    assert info.value.message == ("Attention compares the query (None, 5, 4) and the value (the key) (None, 6, 3), "
                                  "whose features (axis 2) differ")
    with pytest.raises(ShapeError, match="the query .* and the key \\(None, 6, 3\\)"):
        AdditiveAttention().compute_output_shape([(None, 5, 4), (None, 6, 4), (None, 6, 3)])


def test_value_and_key_steps_must_agree():
    with pytest.raises(ShapeError) as info:
        Attention().compute_output_shape([(None, 5, 4), (None, 7, 2), (None, 6, 4)])
    assert info.value.message == ("Attention compares the value (None, 7, 2) and the key (None, 6, 4), "
                                  "whose steps (axis 1) differ")
    assert "same number of steps" in info.value.hint


def test_weights_in_keras_order():
    shapes = [(None, 5, 4), (None, 6, 4)]
    assert Attention().weight_shapes(shapes) == {}
    assert list(Attention(use_scale=True, score_mode="concat").weight_shapes(shapes).items()) == [
        ("scale", ()), ("concat_score_weight", ())]
    assert AdditiveAttention().weight_shapes(shapes) == {"scale": (4,)}
    assert AdditiveAttention(use_scale=False).weight_shapes(shapes) == {}
    assert Attention(use_scale=True).count_params(shapes) == (1, 0)
    assert AdditiveAttention().initializer_for("scale") == "glorot_uniform"
    assert Attention().initializer_for("concat_score_weight") == "ones"


def test_additive_scale_needs_known_features():
    with pytest.raises(ShapeError) as info:
        AdditiveAttention().weight_shapes([(None, 5, None), (None, 6, None)])
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_defaults_as_keras():
    a, b = Attention(), AdditiveAttention()
    assert (a.use_scale, a.score_mode, a.dropout, a.seed, a.use_causal_mask) == (False, "dot", 0.0, None, False)
    assert (b.use_scale, b.dropout, b.use_causal_mask) == (True, 0.0, False)
    assert "score_mode" not in AdditiveAttention.model_fields


def test_macs_count_scores_and_weighted_sum():
    assert Attention().macs([(None, 5, 4), (None, 6, 3), (None, 6, 4)], (None, 5, 3)) == 5 * 6 * (4 + 3)


def test_describe():
    assert Attention(use_scale=True, use_causal_mask=True).describe() == "dot, scaled, causal"
    assert AdditiveAttention().describe() == "scaled"


def test_bad_score_mode_and_rank():
    with pytest.raises(ValidationError):
        layer_adapter().validate_python({"type": "Attention", "score_mode": "general"})
    assert Attention.min_rank == Attention.max_rank == 3
    assert (Attention.min_inputs, Attention.max_inputs) == (2, 3)


def test_attention_scores_are_a_second_output():
    shapes = [(None, 5, 4), (None, 6, 3), (None, 6, 4)]
    assert Attention().output_names() == ["output"]
    for layer in (Attention(return_attention_scores=True), AdditiveAttention(return_attention_scores=True)):
        assert layer.output_names() == ["output", "attention_scores"]
        assert layer.compute_output_shapes(shapes) == [(None, 5, 3), (None, 5, 6)]
