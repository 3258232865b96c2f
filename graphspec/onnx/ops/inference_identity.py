"""Layers that only act while training (Dropout and its kin, GaussianNoise) and Keras's random image augmentations
(RandomCrop aside): the identity at inference, as in the NumPy backend. The exporter's cast has already made
integer pixels float where the layer's dtype rule says so; the Identity disappears in ONNX Runtime's optimiser."""
from __future__ import annotations

from ...layers.augmentation import Augmentation
from ...layers.base import LAYERS
from ..registry import onnx_op

TRAINING_ONLY = ("Dropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                 "AlphaDropout", "GaussianDropout")
AUGMENTATIONS = sorted({cls.__name__ for cls in LAYERS.values()
                        if issubclass(cls, Augmentation) and cls.__name__ != "RandomCrop"})


@onnx_op(*TRAINING_ONLY, *AUGMENTATIONS)
def identity(layer, info, inputs, weights, ctx):
    return inputs[0]
