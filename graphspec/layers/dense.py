
from typing import Literal

from pydantic import StrictBool

from .base import ActivationName, Layer, PositiveInt, activation_suffix, known_product, register, require_known
from .primitives import Primitive, activation, bias
from .weight_options import weight_options


@register
class Dense(Layer, weight_options("kernel", "glorot_uniform"), weight_options("bias", "zeros")):
    """keras.layers.Dense: `activation(x @ kernel + bias)` on the last axis of an input of any rank."""

    supports_masking = True

    type: Literal["Dense"] = "Dense"
    units: PositiveInt
    activation: ActivationName | None = None
    use_bias: StrictBool = True

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the last axis (Dense's input features)")
        return (*input_shape[:-1], self.units)

    def weight_shapes(self, input_shape):
        weights = {"kernel": (input_shape[-1], self.units)}
        return weights | ({"bias": (self.units,)} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        return known_product(input_shape[1:-1]) * input_shape[-1] * self.units

    def describe(self):
        return f"{self.units} unit{'s' * (self.units != 1)}{activation_suffix(self.activation)}"

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        return [Primitive("matmul", "x @ kernel", {"kernel": weights["kernel"]}), *bias(weights),
                *activation(self.activation)]
