from __future__ import annotations

from typing import Literal

from .base import ActivationName, Layer, register


@register
class Activation(Layer):
    """keras.layers.Activation: applies a named activation function element by element."""

    supports_masking = True

    type: Literal["Activation"] = "Activation"
    activation: ActivationName

    def describe(self):
        return self.activation
