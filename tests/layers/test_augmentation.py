"""Keras's random image layers: their factor forms checked as Keras checks them; the identity at inference, except
RandomCrop, whose declared size differs from what Keras 3.15 returns at inference (a warning)."""
import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import LAYERS, RandomCrop
from graphspec.layers.augmentation import Augmentation

IDENTITY = sorted(n for n, c in LAYERS.items() if issubclass(c, Augmentation) and n != "RandomCrop")


@pytest.mark.parametrize("kind, fields", [
    ("RandomRotation", {"factor": 0.2}), ("RandomRotation", {"factor": [-0.1, 0.3]}),
    ("RandomRotation", {"factor": [-2, 0.5]}),  # Keras checks only that the pair is not wholly outside [-1, 1]
    ("RandomZoom", {"height_factor": 1.0}), ("RandomZoom", {"height_factor": [-0.5, 0.2], "width_factor": 0.1}),
    ("RandomTranslation", {"height_factor": -1, "width_factor": [-1, 1]}),
    ("RandomContrast", {"factor": 1}), ("RandomPosterization", {"factor": [1, 8]}),
    ("RandomShear", {"x_factor": [0, 1]}), ("Solarization", {"threshold_factor": 0.5}),
    ("RandomGaussianBlur", {"kernel_size": [3, 5]}), ("RandomErasing", {"fill_value": [1, 2, 3]}),
])
def test_factor_forms_keras_accepts(kind, fields):
    LAYERS[kind](**fields)


@pytest.mark.parametrize("kind, fields, kind_of_error", [
    ("RandomRotation", {"factor": 1.5}, "factor_range"), ("RandomRotation", {"factor": [2, 3]}, "factor_range"),
    ("RandomRotation", {"factor": [0.1, 0.2, 0.3]}, "too_long"),
    ("RandomZoom", {"height_factor": -1}, "factor_range"),  # (-1, 1]: -1 would zoom to nothing
    ("RandomTranslation", {"height_factor": [-1.5, 0], "width_factor": 0}, "factor_range"),
    ("RandomContrast", {"factor": -0.1}, "factor_range"), ("RandomPosterization", {"factor": 0}, "factor_range"),
    ("RandomShear", {"x_factor": -0.1}, "factor_range"), ("Solarization", {"addition_factor": 2}, "factor_range"),
    ("RandomGrayscale", {"factor": 1.5}, "less_than_equal"), ("RandomPerspective", {"scale": 2}, "less_than_equal"),
    ("RandomGaussianBlur", {"kernel_size": 4}, "odd_kernel"), ("RandomErasing", {"fill_value": [1, 2]}, "fill_value"),
    ("RandomFlip", {"mode": "diagonal"}, "literal_error"), ("RandomRotation", {"factor": 0.1, "fill_mode": "mirror"},
                                                            "literal_error"),
    ("RandomBrightness", {"factor": 0.1, "value_range": [0]}, "missing"),
    ("RandomRotation", {}, "missing"),
])
def test_factor_forms_keras_refuses(kind, fields, kind_of_error):
    with pytest.raises(ValidationError) as info:
        LAYERS[kind](**fields)
    assert kind_of_error in {error["type"] for error in info.value.errors()}  # a union reports each member's


def test_the_identity_at_inference():
    for kind in IDENTITY:
        cls = LAYERS[kind]
        assert (cls.min_rank, cls.max_rank) == (4, 4)
        assert cls.dtype_rule == ("preserve" if kind == "RandomGrayscale" else "cast")
        assert "identity at inference" in cls.model_construct().primitives((None, 8, 8, 3))[0].note


def test_data_format_and_seed_only_where_keras_has_them():
    assert "data_format" not in LAYERS["RandomContrast"].model_fields
    assert "seed" not in LAYERS["Equalization"].model_fields
    assert LAYERS["RandomFlip"](data_format="channels_first", seed=3).seed == 3


def test_random_crop_declares_its_size_and_warns_when_it_changes():
    layer = RandomCrop(height=6, width=6)
    assert layer.compute_output_shape((None, 8, 10, 3)) == (None, 6, 6, 3)
    assert layer.advise((None, 6, 6, 3)) == []
    [advice] = layer.advise((None, 8, 10, 3))
    assert advice.code == Code.KERAS_DIFFERS and "Keras 3.15 returns the uncropped image" in advice.message
    first = RandomCrop(height=6, width=6, data_format="channels_first")
    assert first.compute_output_shape((None, 3, 8, 10)) == (None, 3, 6, 6)


def test_the_box_says_the_factors_given():
    assert LAYERS["RandomContrast"](factor=0.2).describe() == "factor 0.2"
    assert LAYERS["RandomRotation"](factor=[-0.1, 0.3]).describe() == "factor [-0.1, 0.3]"
    assert LAYERS["RandomZoom"](height_factor=0.2).describe() == "height_factor 0.2"  # width: the same, unsaid
    assert LAYERS["RandomTranslation"](height_factor=0.1, width_factor=0.2).describe() == (
        "height_factor 0.1, width_factor 0.2")
    assert LAYERS["RandomShear"](y_factor=0.3).describe() == "y_factor 0.3"  # x_factor at its default, 0
    assert LAYERS["RandomFlip"]().describe() == "horizontal_and_vertical"
    assert RandomCrop(height=4, width=5).describe() == "4×5"  # no factor: the crop's own text
