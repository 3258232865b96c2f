"""Backward of the preprocessing and random image layers in training mode, against central differences, on a fixed
draw (gradcheck gives every evaluation a generator of the same seed)."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)
# Pixels on the 0..255 scale make a loss of thousands, whose rounding drowns small gradients at gradcheck's 1e-6
# step; every transform here is piecewise linear in x, so a wider step is as exact away from the pieces' edges.
STEP = 1e-3


def pixels(shape=(3, 5, 6, 3), low=0.0, high=255.0):
    """Values well inside [low, high], so no clip sits within a difference step of a pixel."""
    return RNG.uniform(low + 0.1 * (high - low), high - 0.1 * (high - low), shape)


PREPROCESSING = [
    {"type": "Rescaling", "scale": 0.5, "offset": 1.0},
    {"type": "Rescaling", "scale": [1.0, 2.0, 3.0]},
    {"type": "Normalization", "axis": -1, "mean": [1.0, 2.0, 3.0], "variance": [4.0, 0.25, 1.0]},
    {"type": "Normalization", "axis": -1, "mean": [1.0, 2.0, 3.0], "variance": [4.0, 0.25, 1.0], "invert": True},
    {"type": "Normalization", "axis": [-3, -1]},
    {"type": "CenterCrop", "height": 3, "width": 4},
    {"type": "CenterCrop", "height": 7, "width": 4},
    {"type": "RandomCrop", "height": 3, "width": 4},
    {"type": "RandomCrop", "height": 5, "width": 4},
    {"type": "RandomCrop", "height": 7, "width": 4},
]

COLOUR = [
    {"type": "RandomBrightness", "factor": 0.1},
    {"type": "RandomContrast", "factor": [0.3, 0.2]},
    {"type": "RandomInvert", "factor": 0.7},
    {"type": "RandomGrayscale", "factor": 0.5},
    {"type": "RandomColorDegeneration", "factor": 0.2},
    {"type": "Solarization", "addition_factor": 0.1, "threshold_factor": [0.3, 0.6]},
    {"type": "RandomPosterization", "factor": [3, 6]},
    {"type": "Equalization", "bins": 16},
    {"type": "RandomSaturation", "factor": 0.4},
    {"type": "RandomSaturation", "factor": [0.6, 0.8], "value_range": [0, 1]},
    {"type": "RandomHue", "factor": 0.6},
    {"type": "RandomColorJitter", "brightness_factor": 0.1, "contrast_factor": 0.2, "saturation_factor": 0.3,
     "hue_factor": 0.4},
    {"type": "RandomSharpness", "factor": 0.7},
    {"type": "RandomGaussianBlur", "factor": 0.6, "kernel_size": [3, 5], "sigma": [0.3, 0.9]},
    {"type": "RandomErasing", "factor": 0.8, "scale": [0.1, 0.5]},
    {"type": "RandomErasing", "fill_value": [10.0, 20.0, 30.0]},
    {"type": "MixUp", "alpha": 0.5},
    {"type": "CutMix"},
]

GEOMETRIC = [{"type": "RandomFlip", "mode": mode} for mode in ("horizontal", "vertical", "horizontal_and_vertical")] + [
    {"type": "RandomRotation", "factor": 0.3, "fill_mode": fill, "fill_value": 2.0}
    for fill in ("reflect", "wrap", "constant", "nearest")] + [
    {"type": "RandomRotation", "factor": [0.1, 0.2], "interpolation": "nearest"},
    {"type": "RandomTranslation", "height_factor": 0.3, "width_factor": [-0.2, 0.4], "fill_mode": "constant"},
    {"type": "RandomZoom", "height_factor": [-0.3, 0.4]},
    {"type": "RandomZoom", "height_factor": 0.3, "width_factor": [0.1, 0.5], "fill_mode": "wrap"},
    {"type": "RandomShear", "x_factor": 0.3, "y_factor": 0.2, "fill_mode": "nearest"},
    {"type": "RandomPerspective", "scale": 0.6, "fill_value": 3.0},
    {"type": "RandomElasticTransform", "scale": [0.5, 1.0]},
    {"type": "RandomElasticTransform", "factor": 0.6, "fill_mode": "mirror", "interpolation": "nearest"},
]


@pytest.mark.parametrize("layer", PREPROCESSING + COLOUR + GEOMETRIC, ids=lambda layer: layer["type"])
def test_gradient_in_training_mode(layer):
    check_layer_gradients(layer, [pixels()], step=STEP)


@pytest.mark.parametrize("layer", [{"type": "RandomRotation", "factor": 0.3}, {"type": "RandomFlip"},
                                   {"type": "RandomCrop", "height": 3, "width": 4}, {"type": "CutMix"}],
                         ids=lambda layer: layer["type"])
def test_gradient_channels_first(layer):
    check_layer_gradients({**layer, "data_format": "channels_first"}, [pixels((2, 3, 5, 6))], step=STEP)


@pytest.mark.parametrize("layer", [{"type": "RandomBrightness", "factor": 0.1, "value_range": [0, 1]},
                                   {"type": "Solarization", "threshold_factor": 0.5, "value_range": [-1, 1]}],
                         ids=lambda layer: layer["type"])
def test_gradient_on_another_value_range(layer):
    low, high = layer["value_range"]
    check_layer_gradients(layer, [pixels(low=low, high=high)])
