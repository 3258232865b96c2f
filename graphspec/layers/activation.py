"""Activation and the activation layers with arguments: ReLU, LeakyReLU, ELU (keras/src/layers/activations)."""

from typing import Any, Literal

from pydantic import Field, PrivateAttr, StrictFloat, model_validator

from ..activations import HALVES_LAST_AXIS, LayerActivationName
from ..diagnostics import Code
from ..types import format_shape
from .base import Advice, Layer, ShapeError, register
from .primitives import Primitive


@register
class Activation(Layer):
    """keras.layers.Activation: applies a named activation function (glu halves the last axis)."""

    supports_masking = True

    type: Literal["Activation"] = "Activation"
    activation: LayerActivationName | None  # required; null is linear, as in Keras

    def compute_output_shape(self, input_shape):
        if self.activation not in HALVES_LAST_AXIS:
            return input_shape
        features = input_shape[-1]
        if features is not None and features % 2:
            raise ShapeError(f"glu splits the last axis in two halves, but the input {format_shape(input_shape)} has "
                             f"an odd {features} features", "give the layer before an even number of features",
                             Code.SHAPE_MISMATCH, "activation")
        return (*input_shape[:-1], None if features is None else features // 2)

    def describe(self):
        return self.activation or "linear"

    def primitives(self, input_shape):
        if self.activation in HALVES_LAST_AXIS:
            return [Primitive("activation", "first half × sigmoid(second half) of the last axis")]
        return [Primitive("activation", f"{self.describe()}, element by element")]


class ElementwiseActivation(Layer):
    supports_masking = True

    def _arguments(self) -> list[str]:
        """The arguments away from their defaults, as describe() writes them."""
        fields = [f for f in type(self).model_fields if f not in Layer.model_fields and f != "type"]
        return [f"{f} {getattr(self, f):g}" for f in fields
                if getattr(self, f) is not None and getattr(self, f) != type(self).model_fields[f].default]

    def describe(self):
        return ", ".join(self._arguments())


@register
class ReLU(ElementwiseActivation):
    """keras.layers.ReLU: x above `threshold` (else 0), capped at `max_value`, minus `negative_slope` × how far x is
    below the threshold; with only negative_slope set, leaky_relu."""

    type: Literal["ReLU"] = "ReLU"
    max_value: StrictFloat | None = Field(None, ge=0, description="The cap on the output; null for none.")
    negative_slope: StrictFloat = Field(0.0, ge=0, description="Slope below the threshold.")
    threshold: StrictFloat = Field(0.0, ge=0, description="Values at or below it give 0 (or the slope).")

    def primitives(self, input_shape):
        text = f"x if x > {self.threshold:g} else 0"
        if self.max_value is not None:
            text = f"min({text}, {self.max_value:g})"
        if self.negative_slope:
            below = "max(−x, 0)" if self.threshold == 0 else f"max({self.threshold:g} − x, 0)"
            text = f"{text} − {self.negative_slope:g} · {below}"
        return [Primitive("relu", text)]


@register
class LeakyReLU(ElementwiseActivation):
    """keras.layers.LeakyReLU: x where x >= 0, else negative_slope × x. Keras 2's `alpha` is the same value."""

    type: Literal["LeakyReLU"] = "LeakyReLU"
    negative_slope: StrictFloat = Field(0.3, ge=0, description="Slope for x < 0.")
    alpha: StrictFloat | None = Field(None, ge=0, description="Keras 2's name for negative_slope (deprecated).")

    _overridden_slope: Any = PrivateAttr(None)  # a negative_slope given beside alpha, which alpha overrides

    @model_validator(mode="wrap")
    @classmethod
    def _alpha_is_the_slope(cls, data: Any, handler) -> Any:
        """Keras 3 takes alpha as negative_slope, over a negative_slope also given, with a deprecation warning."""
        alpha = data.get("alpha") if isinstance(data, dict) else None
        if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or alpha < 0:
            return handler(data)
        layer = handler({**data, "negative_slope": float(alpha)})
        layer._overridden_slope = data.get("negative_slope")
        return layer

    def describe(self):
        return f"negative_slope {self.negative_slope:g}"

    def advise(self, input_shape):
        if self.alpha is None:
            return []
        if self._overridden_slope is not None:
            return [Advice(Code.DEPRECATED_FIELD, f"both alpha ({self.alpha:g}) and negative_slope "
                           f"({self._overridden_slope}) are given: alpha, Keras 2's name for negative_slope, "
                           "wins, as in Keras 3",
                           f"keep one: negative_slope: {self.alpha:g}, without alpha", "alpha")]
        return [Advice(Code.DEPRECATED_FIELD, f"alpha is Keras 2's name for negative_slope; Keras 3 still reads it "
                       f"(as negative_slope {self.alpha:g}) with a deprecation warning",
                       f"write negative_slope: {self.alpha:g}", "alpha")]

    def primitives(self, input_shape):
        return [Primitive("leaky_relu", f"x if x ≥ 0 else {self.negative_slope:g} · x")]


@register
class ELU(ElementwiseActivation):
    """keras.layers.ELU: x where x > 0, else alpha × (exp(x) − 1)."""

    type: Literal["ELU"] = "ELU"
    alpha: StrictFloat = Field(1.0, description="Scale of the negative part.")

    def describe(self):
        return f"alpha {self.alpha:g}"

    def primitives(self, input_shape):
        return [Primitive("elu", f"x if x > 0 else {self.alpha:g} · (exp(x) − 1)")]
