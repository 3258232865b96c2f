"""SimpleRNN, LSTM and GRU: one cell stepped over the timesteps, with Keras 3's weight names and layouts.

Each keeps its gates side by side in one kernel: `kernel` (features, k·units), `recurrent_kernel`
(units, k·units) and `bias` (k·units,), with k = 1 for SimpleRNN, 4 for LSTM and 3 for GRU.
"""
from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import Field

from .base import ActivationName, Layer, PositiveInt, known_product, register, require_known


class BaseRNN(Layer):
    gates: ClassVar[int]
    min_rank = max_rank = 3
    axes = "(batch, timesteps, features)"
    supports_masking = True

    units: PositiveInt
    activation: ActivationName | None = "tanh"
    use_bias: bool = True
    return_sequences: bool = Field(False, description="Output every step (batch, timesteps, units), "
                                                      "not only the last (batch, units).")
    dropout: float = Field(0.0, ge=0, lt=1, description="Fraction of the inputs dropped while training.")
    recurrent_dropout: float = Field(0.0, ge=0, lt=1, description="Fraction of the state dropped while training.")

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the features axis")
        batch, steps, _ = input_shape
        return (batch, steps, self.units) if self.return_sequences else (batch, self.units)

    def weight_shapes(self, input_shape):
        width = self.gates * self.units
        weights = {"kernel": (input_shape[-1], width), "recurrent_kernel": (self.units, width)}
        return weights | ({"bias": self.bias_shape()} if self.use_bias else {})

    def bias_shape(self) -> tuple[int, ...]:
        return (self.gates * self.units,)

    def macs(self, input_shape, output_shape):
        """Per sample over all timesteps; with an unknown number of timesteps, per step."""
        return known_product(input_shape[1:2]) * self.gates * self.units * (input_shape[-1] + self.units)

    def rank_hint(self, input_shape):
        dims = input_shape[1:]
        if len(dims) == 1:
            declared = f"input_shape [{dims[0]}, 1] or " if dims[0] else ""
            return (f"{self.kind} reads a sequence of (timesteps, features): to read the values one at a time use "
                    f"{declared}a Reshape with target_shape [{dims[0] or -1}, 1]; "
                    "for integer tokens put an Embedding first")
        if len(dims) > 2:
            rest = -1 if None in dims[1:] else math.prod(dims[1:])
            return f"merge the axes after the first with a Reshape, e.g. target_shape [{dims[0] or -1}, {rest}]"
        return None

    def describe(self):
        return f"{self.units} units" + (", sequences" if self.return_sequences else "")


@register
class SimpleRNN(BaseRNN):
    """keras.layers.SimpleRNN: h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""

    gates = 1
    type: Literal["SimpleRNN"] = "SimpleRNN"


@register
class LSTM(BaseRNN):
    """keras.layers.LSTM: gates in Keras's order i, f, c, o."""

    gates = 4
    type: Literal["LSTM"] = "LSTM"
    recurrent_activation: ActivationName = "sigmoid"


@register
class GRU(BaseRNN):
    """keras.layers.GRU: gates in Keras's order z, r, h; reset_after (the cuDNN form) keeps two biases."""

    gates = 3
    type: Literal["GRU"] = "GRU"
    recurrent_activation: ActivationName = "sigmoid"
    reset_after: bool = True

    def bias_shape(self):
        # reset_after applies the reset gate after the recurrent matmul, which needs its own bias row.
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)
