"""Every registered layer type validates from a minimal spec mapping and computes an output shape."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from graphspec.layers import LAYERS, ShapeError, layer_adapter, layer_types

# type -> (minimal spec mapping, input shape(s) with the batch, expected output shape)
EXAMPLES = {
    "Activation": ({"type": "Activation", "activation": "relu"}, (None, 10), (None, 10)),
    "Add": ({"type": "Add"}, [(None, 8), (None, 8)], (None, 8)),
    "AveragePooling1D": ({"type": "AveragePooling1D"}, (None, 10, 3), (None, 5, 3)),
    "AveragePooling2D": ({"type": "AveragePooling2D"}, (None, 8, 8, 3), (None, 4, 4, 3)),
    "BatchNormalization": ({"type": "BatchNormalization"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "Concatenate": ({"type": "Concatenate"}, [(None, 8), (None, 4)], (None, 12)),
    "Conv1D": ({"type": "Conv1D", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 8, 4)),
    "Conv2D": ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 8, 8, 1), (None, 6, 6, 4)),
    "Conv3D": ({"type": "Conv3D", "filters": 4, "kernel_size": 3}, (None, 5, 5, 5, 1), (None, 3, 3, 3, 4)),
    "Conv1DTranspose": ({"type": "Conv1DTranspose", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 12, 4)),
    "Conv2DTranspose": ({"type": "Conv2DTranspose", "filters": 4, "kernel_size": 3, "strides": 2},
                        (None, 8, 8, 1), (None, 17, 17, 4)),
    "Conv3DTranspose": ({"type": "Conv3DTranspose", "filters": 4, "kernel_size": 3}, (None, 5, 5, 5, 1),
                        (None, 7, 7, 7, 4)),
    "DecomposedConv2D": ({"type": "DecomposedConv2D", "filters": 4, "kernel_size": 3, "intermediate_filters": 2},
                         (None, 8, 8, 1), (None, 6, 6, 4)),
    "DepthwiseConv1D": ({"type": "DepthwiseConv1D", "kernel_size": 3}, (None, 10, 2), (None, 8, 2)),
    "DepthwiseConv2D": ({"type": "DepthwiseConv2D", "kernel_size": 3, "depth_multiplier": 2}, (None, 8, 8, 3),
                        (None, 6, 6, 6)),
    "Dense": ({"type": "Dense", "units": 5}, (None, 10), (None, 5)),
    "Dropout": ({"type": "Dropout", "rate": 0.5}, (None, 10), (None, 10)),
    "Embedding": ({"type": "Embedding", "input_dim": 100, "output_dim": 8}, (None, 20), (None, 20, 8)),
    "Flatten": ({"type": "Flatten"}, (None, 4, 5), (None, 20)),
    "GaussianNoise": ({"type": "GaussianNoise", "stddev": 0.1}, (None, 10), (None, 10)),
    "GlobalAveragePooling1D": ({"type": "GlobalAveragePooling1D"}, (None, 10, 3), (None, 3)),
    "GlobalAveragePooling2D": ({"type": "GlobalAveragePooling2D"}, (None, 8, 8, 3), (None, 3)),
    "GlobalMaxPooling1D": ({"type": "GlobalMaxPooling1D"}, (None, 10, 3), (None, 3)),
    "GlobalMaxPooling2D": ({"type": "GlobalMaxPooling2D"}, (None, 8, 8, 3), (None, 3)),
    "GRU": ({"type": "GRU", "units": 4}, (None, 10, 3), (None, 4)),
    "LayerNormalization": ({"type": "LayerNormalization"}, (None, 10, 3), (None, 10, 3)),
    "LSTM": ({"type": "LSTM", "units": 4}, (None, 10, 3), (None, 4)),
    "MaxPooling1D": ({"type": "MaxPooling1D"}, (None, 10, 3), (None, 5, 3)),
    "MaxPooling2D": ({"type": "MaxPooling2D"}, (None, 8, 8, 3), (None, 4, 4, 3)),
    "Multiply": ({"type": "Multiply"}, [(None, 8), (None, 8)], (None, 8)),
    "Reshape": ({"type": "Reshape", "target_shape": [2, 5]}, (None, 10), (None, 2, 5)),
    "SeparableConv1D": ({"type": "SeparableConv1D", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 8, 4)),
    "SeparableConv2D": ({"type": "SeparableConv2D", "filters": 4, "kernel_size": 3}, (None, 8, 8, 3),
                        (None, 6, 6, 4)),
    "SimpleRNN": ({"type": "SimpleRNN", "units": 4}, (None, 10, 3), (None, 4)),
}

NAMES = [cls.__name__ for cls in layer_types()]


@pytest.mark.parametrize("name", NAMES)
def test_minimal_example_validates_and_computes_a_shape(name):
    assert name in EXAMPLES, f"add a minimal example for the registered layer type {name} to EXAMPLES"
    spec, input_shape, expected = EXAMPLES[name]
    layer = layer_adapter().validate_python(spec)
    assert layer.kind == name
    assert layer.compute_output_shape(input_shape) == expected
    trainable, frozen = layer.count_params(input_shape)
    assert trainable >= 0 and frozen >= 0
    assert layer.macs(input_shape, expected) >= 0
    assert isinstance(layer.describe(), str)
    assert layer.advise(input_shape) == []


def test_every_example_names_a_registered_type():
    assert sorted(EXAMPLES) == sorted(NAMES)


@pytest.mark.parametrize("alias", sorted(LAYERS))
def test_every_alias_validates_to_its_keras_class(alias):
    spec = dict(EXAMPLES[LAYERS[alias].__name__][0], type=alias)
    layer = layer_adapter().validate_python(spec)
    assert type(layer) is LAYERS[alias]
    assert layer.type == alias


def test_unknown_type_is_a_discriminator_error():
    with pytest.raises(ValidationError) as info:
        layer_adapter().validate_python({"type": "Dense2"})
    assert info.value.errors()[0]["type"] == "union_tag_invalid"


def test_unknown_field_is_rejected():
    with pytest.raises(ValidationError) as info:
        layer_adapter().validate_python({"type": "Dense", "units": 3, "unit": 3})
    assert info.value.errors()[0]["type"] == "extra_forbidden"


sizes = st.one_of(st.none(), st.integers(1, 40))


@st.composite
def layer_and_input(draw):
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    spec = EXAMPLES[name][0]
    cls = LAYERS[spec["type"]]
    rank = draw(st.integers(cls.min_rank, cls.max_rank or 5))
    shape = lambda: (None, *draw(st.lists(sizes, min_size=rank - 1, max_size=rank - 1)))  # noqa: E731
    inputs = shape() if cls.max_inputs == 1 else [shape() for _ in range(draw(st.integers(2, 3)))]
    return layer_adapter().validate_python(spec), inputs


@settings(max_examples=400, deadline=None)
@given(layer_and_input())
def test_any_input_gives_a_shape_or_a_shape_error(case):
    """Whatever shape arrives (rank and dtype already checked), a layer answers with a shape or a ShapeError."""
    layer, input_shape = case
    try:
        output = layer.compute_output_shape(input_shape)
    except ShapeError as error:
        assert error.message and error.code
        return
    assert output[0] is None and all(d is None or (isinstance(d, int) and d > 0) for d in output[1:])
    assert min(layer.count_params(input_shape)) >= 0
    assert layer.macs(input_shape, output) >= 0
    assert all(isinstance(advice.message, str) for advice in layer.advise(input_shape))
