"""Every registered layer type validates from a minimal spec mapping and computes an output shape."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from graphspec.layers import LAYERS, ShapeError, layer_adapter, layer_types

# type -> (minimal spec mapping, input shape(s) with the batch, expected output shape)
EXAMPLES = {
    "Activation": ({"type": "Activation", "activation": "relu"}, (None, 10), (None, 10)),
    "Attention": ({"type": "Attention", "use_scale": True, "score_mode": "concat"}, [(None, 5, 4), (None, 6, 4)],
                  (None, 5, 4)),
    "AdditiveAttention": ({"type": "AdditiveAttention"}, [(None, 5, 4), (None, 6, 3), (None, 6, 4)], (None, 5, 3)),
    "Average": ({"type": "Average"}, [(None, 8), (None, 1)], (None, 8)),
    "Add": ({"type": "Add"}, [(None, 8), (None, 8)], (None, 8)),
    "AveragePooling1D": ({"type": "AveragePooling1D", "pool_size": 2}, (None, 10, 3), (None, 5, 3)),
    "AveragePooling2D": ({"type": "AveragePooling2D", "pool_size": 2}, (None, 8, 8, 3), (None, 4, 4, 3)),
    "AveragePooling3D": ({"type": "AveragePooling3D", "pool_size": 2}, (None, 4, 8, 8, 3), (None, 2, 4, 4, 3)),
    "BatchNormalization": ({"type": "BatchNormalization"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "Concatenate": ({"type": "Concatenate"}, [(None, 8), (None, 4)], (None, 12)),
    "Conv1D": ({"type": "Conv1D", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 8, 4)),
    "Conv2D": ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 8, 8, 1), (None, 6, 6, 4)),
    "Cropping1D": ({"type": "Cropping1D"}, (None, 10, 3), (None, 8, 3)),
    "Cropping2D": ({"type": "Cropping2D", "cropping": 1}, (None, 8, 8, 3), (None, 6, 6, 3)),
    "Cropping3D": ({"type": "Cropping3D"}, (None, 4, 8, 8, 3), (None, 2, 6, 6, 3)),
    "Conv3D": ({"type": "Conv3D", "filters": 4, "kernel_size": 3}, (None, 5, 5, 5, 1), (None, 3, 3, 3, 4)),
    "Conv1DTranspose": ({"type": "Conv1DTranspose", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 12, 4)),
    "Conv2DTranspose": ({"type": "Conv2DTranspose", "filters": 4, "kernel_size": 3, "strides": 2},
                        (None, 8, 8, 1), (None, 17, 17, 4)),
    "Conv3DTranspose": ({"type": "Conv3DTranspose", "filters": 4, "kernel_size": 3}, (None, 5, 5, 5, 1),
                        (None, 7, 7, 7, 4)),
    "DecomposedConv2D": ({"type": "DecomposedConv2D", "filters": 4, "kernel_size": 3, "intermediate_filters": 2},
                         (None, 8, 8, 1), (None, 6, 6, 4)),
    "Dot": ({"type": "Dot", "axes": 1}, [(None, 8), (None, 8)], (None, 1)),
    "DepthwiseConv1D": ({"type": "DepthwiseConv1D", "kernel_size": 3}, (None, 10, 2), (None, 8, 2)),
    "DepthwiseConv2D": ({"type": "DepthwiseConv2D", "kernel_size": 3, "depth_multiplier": 2}, (None, 8, 8, 3),
                        (None, 6, 6, 6)),
    "Dense": ({"type": "Dense", "units": 5}, (None, 10), (None, 5)),
    "Dropout": ({"type": "Dropout", "rate": 0.5}, (None, 10), (None, 10)),
    "ELU": ({"type": "ELU"}, (None, 10), (None, 10)),
    "Embedding": ({"type": "Embedding", "input_dim": 100, "output_dim": 8}, (None, 20), (None, 20, 8)),
    "Flatten": ({"type": "Flatten"}, (None, 4, 5), (None, 20)),
    "GaussianNoise": ({"type": "GaussianNoise", "stddev": 0.1}, (None, 10), (None, 10)),
    "GlobalAveragePooling1D": ({"type": "GlobalAveragePooling1D"}, (None, 10, 3), (None, 3)),
    "GlobalAveragePooling2D": ({"type": "GlobalAveragePooling2D"}, (None, 8, 8, 3), (None, 3)),
    "GlobalMaxPooling1D": ({"type": "GlobalMaxPooling1D"}, (None, 10, 3), (None, 3)),
    "GlobalMaxPooling2D": ({"type": "GlobalMaxPooling2D"}, (None, 8, 8, 3), (None, 3)),
    "GlobalAveragePooling3D": ({"type": "GlobalAveragePooling3D"}, (None, 4, 8, 8, 3), (None, 3)),
    "GlobalMaxPooling3D": ({"type": "GlobalMaxPooling3D"}, (None, 4, 8, 8, 3), (None, 3)),
    "GRU": ({"type": "GRU", "units": 4}, (None, 10, 3), (None, 4)),
    "LayerNormalization": ({"type": "LayerNormalization"}, (None, 10, 3), (None, 10, 3)),
    "LeakyReLU": ({"type": "LeakyReLU"}, (None, 10), (None, 10)),
    "LSTM": ({"type": "LSTM", "units": 4}, (None, 10, 3), (None, 4)),
    "Maximum": ({"type": "Maximum"}, [(None, 4, 8), (None, 8)], (None, 4, 8)),
    "MaxPooling1D": ({"type": "MaxPooling1D"}, (None, 10, 3), (None, 5, 3)),
    "MaxPooling2D": ({"type": "MaxPooling2D"}, (None, 8, 8, 3), (None, 4, 4, 3)),
    "Minimum": ({"type": "Minimum"}, [(None, 8), (None, 8)], (None, 8)),
    "MaxPooling3D": ({"type": "MaxPooling3D"}, (None, 4, 8, 8, 3), (None, 2, 4, 4, 3)),
    "Multiply": ({"type": "Multiply"}, [(None, 8), (None, 8)], (None, 8)),
    "MultiHeadAttention": ({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 4}, [(None, 5, 8), (None, 6, 8)],
                           (None, 5, 8)),
    "PReLU": ({"type": "PReLU", "shared_axes": [1]}, (None, 6, 4), (None, 6, 4)),
    "ReLU": ({"type": "ReLU", "max_value": 6}, (None, 10), (None, 10)),
    "Reshape": ({"type": "Reshape", "target_shape": [2, 5]}, (None, 10), (None, 2, 5)),
    "Resizing": ({"type": "Resizing", "height": 5, "width": 6}, (None, 8, 8, 3), (None, 5, 6, 3)),
    "SeparableConv1D": ({"type": "SeparableConv1D", "filters": 4, "kernel_size": 3}, (None, 10, 2), (None, 8, 4)),
    "SeparableConv2D": ({"type": "SeparableConv2D", "filters": 4, "kernel_size": 3}, (None, 8, 8, 3),
                        (None, 6, 6, 4)),
    "SimpleRNN": ({"type": "SimpleRNN", "units": 4}, (None, 10, 3), (None, 4)),
    "Softmax": ({"type": "Softmax", "axis": 1}, (None, 6, 4), (None, 6, 4)),
    "Subtract": ({"type": "Subtract"}, [(None, 1, 8), (None, 5, 1)], (None, 5, 8)),
    "UpSampling1D": ({"type": "UpSampling1D"}, (None, 10, 3), (None, 20, 3)),
    "UpSampling2D": ({"type": "UpSampling2D"}, (None, 8, 8, 3), (None, 16, 16, 3)),
    "UpSampling3D": ({"type": "UpSampling3D"}, (None, 4, 8, 8, 3), (None, 8, 16, 16, 3)),
    "ZeroPadding1D": ({"type": "ZeroPadding1D"}, (None, 10, 3), (None, 12, 3)),
    "ZeroPadding2D": ({"type": "ZeroPadding2D"}, (None, 8, 8, 3), (None, 10, 10, 3)),
    "ZeroPadding3D": ({"type": "ZeroPadding3D"}, (None, 4, 8, 8, 3), (None, 6, 10, 10, 3)),
    # graphspec issue 9: reshaping, masking, dropout kin, normalisation, preprocessing and augmentation
    "AlphaDropout": ({"type": "AlphaDropout", "rate": 0.1}, (None, 10), (None, 10)),
    "CenterCrop": ({"type": "CenterCrop", "height": 4, "width": 6}, (None, 8, 8, 3), (None, 4, 6, 3)),
    "CutMix": ({"type": "CutMix"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "Equalization": ({"type": "Equalization"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "GaussianDropout": ({"type": "GaussianDropout", "rate": 0.1}, (None, 10), (None, 10)),
    "GroupNormalization": ({"type": "GroupNormalization", "groups": 2}, (None, 8, 8, 4), (None, 8, 8, 4)),
    "Masking": ({"type": "Masking"}, (None, 10, 3), (None, 10, 3)),
    "PositionEmbedding": ({"type": "PositionEmbedding", "sequence_length": 16}, (None, 10, 8), (None, 10, 8)),
    "SinePositionEncoding": ({"type": "SinePositionEncoding"}, (None, 10, 8), (None, 10, 8)),
    "MixUp": ({"type": "MixUp"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "Normalization": ({"type": "Normalization"}, (None, 10, 3), (None, 10, 3)),
    "Permute": ({"type": "Permute", "dims": [2, 1]}, (None, 10, 3), (None, 3, 10)),
    "RandomBrightness": ({"type": "RandomBrightness", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomColorDegeneration": ({"type": "RandomColorDegeneration", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomColorJitter": ({"type": "RandomColorJitter", "hue_factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomContrast": ({"type": "RandomContrast", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomCrop": ({"type": "RandomCrop", "height": 8, "width": 8}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomElasticTransform": ({"type": "RandomElasticTransform"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomErasing": ({"type": "RandomErasing"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomFlip": ({"type": "RandomFlip"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomGaussianBlur": ({"type": "RandomGaussianBlur"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomGrayscale": ({"type": "RandomGrayscale"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomHue": ({"type": "RandomHue", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomInvert": ({"type": "RandomInvert"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomPerspective": ({"type": "RandomPerspective"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomPosterization": ({"type": "RandomPosterization", "factor": 4}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomRotation": ({"type": "RandomRotation", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomSaturation": ({"type": "RandomSaturation", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomSharpness": ({"type": "RandomSharpness", "factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomShear": ({"type": "RandomShear", "x_factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomTranslation": ({"type": "RandomTranslation", "height_factor": 0.2, "width_factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RandomZoom": ({"type": "RandomZoom", "height_factor": 0.2}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "RepeatVector": ({"type": "RepeatVector", "n": 3}, (None, 10), (None, 3, 10)),
    "Rescaling": ({"type": "Rescaling", "scale": 0.5}, (None, 10), (None, 10)),
    "Solarization": ({"type": "Solarization"}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "SpatialDropout1D": ({"type": "SpatialDropout1D", "rate": 0.1}, (None, 10, 3), (None, 10, 3)),
    "SpatialDropout2D": ({"type": "SpatialDropout2D", "rate": 0.1}, (None, 8, 8, 3), (None, 8, 8, 3)),
    "SpatialDropout3D": ({"type": "SpatialDropout3D", "rate": 0.1}, (None, 4, 4, 4, 3), (None, 4, 4, 4, 3)),
    "UnitNormalization": ({"type": "UnitNormalization"}, (None, 10, 3), (None, 10, 3)),
    # graphspec issue 10: the wrappers, each with a nested layer spec
    "Bidirectional": ({"type": "Bidirectional", "layer": {"type": "LSTM", "units": 4}}, (None, 10, 3), (None, 8)),
    "TimeDistributed": ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 5}}, (None, 10, 3),
                        (None, 10, 5)),
}

NAMES = [cls.__name__ for cls in layer_types()]


# Types valid in graphspec that Keras cannot build in a model, so even their minimal example is warned about.
KERAS_CANNOT_BUILD = {"Equalization"}


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
    advice = [a.code.value for a in layer.advise(input_shape)]
    assert advice == (["GS207"] if name in KERAS_CANNOT_BUILD else [])


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


@pytest.mark.parametrize("name", NAMES)
def test_every_weight_has_an_initializer_field(name):
    """Layer.initializer_for(weight) finds each weight's <prefix>_initializer field; weight_shapes says which weights exist.
    A weight training never updates (moving statistics, adapted ones) has no regularizer or constraint, as in Keras."""
    spec, input_shape, _ = EXAMPLES[name]
    layer = layer_adapter().validate_python(spec)
    for weight in layer.weight_shapes(input_shape):
        layer.initializer_for(weight)
        owner, weight = layer.owner(weight) if hasattr(layer, "owner") else (layer, weight)  # a wrapper's: nested  # LookupError when the type declares no <prefix>_initializer for it
        if weight in owner.non_trainable_weights | owner.unregularized_weights | set(owner.fixed_initializers):
            continue  # Keras gives an untrained weight, or one it starts a fixed way (Attention's scale), no options
        assert {owner.option_field(weight, "regularizer"), owner.option_field(weight, "constraint")} <= \
            set(type(owner).model_fields)
