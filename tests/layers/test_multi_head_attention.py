import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Attention, MultiHeadAttention, ShapeError, layer_adapter


def mha(**fields):
    return MultiHeadAttention(**{"num_heads": 2, "key_dim": 4, **fields})


@pytest.mark.parametrize("fields, shapes, out", [
    ({}, [(None, 5, 8), (None, 6, 8)], (None, 5, 8)),
    ({}, [(None, None, 8), (None, None, 3), (None, None, 6)], (None, None, 8)),
    ({"output_shape": 6}, [(None, 5, 8), (None, 6, 8)], (None, 5, 6)),
    ({"output_shape": [2, 3]}, [(None, 5, 8), (None, 6, 8)], (None, 5, 2, 3)),
    ({"attention_axes": [1, 2]}, [(None, 3, 4, 8), (None, 5, 6, 8)], (None, 3, 4, 8)),
    ({"attention_axes": -2}, [(None, 3, 4, 8), (None, 3, 6, 8)], (None, 3, 4, 8)),
])
def test_output_is_the_query_steps_by_the_query_features_or_output_shape(fields, shapes, out):
    assert mha(**fields).compute_output_shape(shapes) == out


def test_weights_in_keras_names_shapes_and_order():
    shapes = [(None, 5, 8), (None, 6, 7), (None, 6, 3)]
    assert list(mha(value_dim=5, output_shape=[2, 3]).weight_shapes(shapes).items()) == [
        ("query/kernel", (8, 2, 4)), ("query/bias", (2, 4)), ("key/kernel", (3, 2, 4)), ("key/bias", (2, 4)),
        ("value/kernel", (7, 2, 5)), ("value/bias", (2, 5)), ("attention_output/kernel", (2, 5, 2, 3)),
        ("attention_output/bias", (2, 3))]
    gated = mha(use_gate=True, use_bias=False).weight_shapes(shapes[:2])
    assert list(gated) == ["query/kernel", "key/kernel", "gate/kernel", "value/kernel", "attention_output/kernel"]
    assert gated["gate/kernel"] == (8, 2, 4)
    assert mha().count_params([(None, 5, 8), (None, 6, 8)]) == (4 * (8 * 8 + 8), 0)  # three projections, the output


def test_weight_options_are_kerass_shared_kernel_and_bias_ones():
    layer = mha(kernel_initializer="he_normal", bias_initializer="ones", kernel_regularizer="l2")
    assert layer.initializer_for("key/kernel") == "he_normal"
    assert layer.initializer_for("attention_output/bias") == "ones"
    assert layer.option_field("value/kernel", "regularizer") == "kernel_regularizer"


def test_scores_shape_is_kerass():
    assert mha().scores_shape([(None, 5, 8), (None, 6, 8)]) == (None, 2, 5, 6)
    assert mha(attention_axes=[1, 2]).scores_shape([(None, 3, 4, 8), (None, 5, 6, 8)]) == (None, 2, 3, 4, 5, 6)
    assert mha(attention_axes=2).scores_shape([(None, 3, 4, 8), (None, 3, 6, 8)]) == (None, 3, 2, 4, 6)


@pytest.mark.parametrize("shapes, words", [
    ([(None, 5, 8), (None, 3, 6, 8)], "the query (None, 5, 8) and the value (None, 3, 6, 8) differ in rank"),
    ([(None, 5, 8), (None, 6, 8), (None, 7, 8)], "the value (None, 6, 8) and the key (None, 7, 8) differ besides"),
])
def test_inputs_that_do_not_fit_together(shapes, words):
    with pytest.raises(ShapeError) as info:
        mha().compute_output_shape(shapes)
    assert words in info.value.message and info.value.code == Code.SHAPE_MISMATCH


def test_axes_attention_does_not_run_over_must_agree():
    with pytest.raises(ShapeError, match="differ on axes \\[1\\], which attention does not run over"):
        mha(attention_axes=2).compute_output_shape([(None, 3, 4, 8), (None, 5, 6, 8)])


@pytest.mark.parametrize("axes, words", [(0, "0 is the batch axis"), (-1, "-1 is the features axis"),
                                         (3, "3 is the features axis"), ([1, -3], "names an axis twice")])
def test_attention_axes_between_batch_and_features(axes, words):
    with pytest.raises(ShapeError) as info:
        mha(attention_axes=axes).compute_output_shape([(None, 3, 4, 8), (None, 3, 4, 8)])
    assert words in info.value.message and info.value.code == Code.BAD_AXIS
    assert info.value.field == "attention_axes"


def test_features_must_be_known():
    with pytest.raises(ShapeError) as info:
        mha().compute_output_shape([(None, 5, None), (None, 6, 8)])
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_macs_count_projections_scores_weighted_sum_and_output():
    shapes = [(None, 5, 8), (None, 6, 7)]
    projections = 5 * 8 * 8 + 6 * 7 * 8 * 2
    assert mha().macs(shapes, (None, 5, 8)) == projections + 5 * 6 * (8 + 8) + 5 * 8 * 8


def test_named_inputs_in_the_order_of_kerass_call():
    assert mha(inputs={"key": "k", "value": "v", "query": "q"}).input_list() == ["q", "v", "k"]
    assert Attention(inputs={"query": "q", "value": "v"}).input_list() == ["q", "v"]
    for inputs, words in (({"query": "q", "key": "k"}, "it needs query and value"),
                          ({"query": "q", "values": "v"}, "'values' is not one of its inputs")):
        with pytest.raises(ValidationError) as info:
            layer_adapter().validate_python({"type": "MultiHeadAttention", "num_heads": 1, "key_dim": 1,
                                             "inputs": inputs})
        assert words in info.value.errors()[0]["msg"]
    with pytest.raises(ValidationError, match="this layer's inputs have no names"):
        layer_adapter().validate_python({"type": "Add", "inputs": {"a": "x", "b": "y"}})


def test_required_fields_and_defaults_as_keras():
    layer = mha()
    assert (layer.value_dim, layer.dropout, layer.use_bias, layer.output_shape, layer.attention_axes) == \
        (None, 0.0, True, None, None)
    assert (layer.kernel_initializer, layer.bias_initializer, layer.use_causal_mask) == \
        ("glorot_uniform", "zeros", False)
    with pytest.raises(ValidationError):
        layer_adapter().validate_python({"type": "MultiHeadAttention", "num_heads": 2})


def test_describe_and_primitives():
    assert mha(value_dim=3, use_causal_mask=True).describe() == "2 heads × 4, value 3, causal"
    ops = mha().primitives([(None, 5, 8), (None, 6, 8)])
    assert [op.name for op in ops] == ["query", "key", "value", "scores", "mask", "softmax", "weighted_sum",
                                       "attention_output"]
    assert [op.consumes for op in ops[:3]] == [("input:0",), ("input:1",), ("input:1",)]
    assert mha().primitives([(None, 5, 8), (None, 6, 8), (None, 6, 8)])[1].consumes == ("input:2",)


def test_attention_scores_are_a_second_output():
    shapes = [(None, 5, 8), (None, 6, 8)]
    assert mha().output_names() == ["output"]
    layer = mha(return_attention_scores=True)
    assert layer.output_names() == ["output", "attention_scores"]
    assert layer.compute_output_shapes(shapes) == [(None, 5, 8), (None, 2, 5, 6)]
