from __future__ import annotations

from typing import Literal

from .base import ActivationName, Layer, register
from .primitives import Primitive


@register
class Activation(Layer):
    """keras.layers.Activation: applies a named activation function element by element."""

    supports_masking = True

    type: Literal["Activation"] = "Activation"
    activation: ActivationName | None  # required; null is linear, as in Keras

    def describe(self):
        return self.activation or "linear"

    def primitives(self, input_shape):
        return [Primitive("activation", f"{self.describe()}, element by element")]
