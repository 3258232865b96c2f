from __future__ import annotations

from typing import Literal

from .base import ActivationName, Layer, register
from .primitives import Primitive


@register
class Activation(Layer):
    """keras.layers.Activation: applies a named activation function element by element."""

    supports_masking = True

    type: Literal["Activation"] = "Activation"
    activation: ActivationName

    def describe(self):
        return self.activation

    def primitives(self, input_shape):
        return [Primitive("activation", f"{self.activation}, element by element")]
