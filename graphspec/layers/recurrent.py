"""SimpleRNN, LSTM and GRU: one cell stepped over the timesteps, with Keras 3's weight names and layouts.

Each keeps its gates side by side in one kernel: `kernel` (features, k·units), `recurrent_kernel`
(units, k·units) and `bias` (k·units,), with k = 1 for SimpleRNN, 4 for LSTM and 3 for GRU.
"""

import math
from typing import ClassVar, Literal

from pydantic import Field, StrictBool, StrictFloat, field_validator
from pydantic_core import PydanticCustomError

from .base import (ActivationName, Layer, PositiveInt, ShapeError, known_product, register, require_known,
                   sequential_shape)
from ..diagnostics import Code
from ..types import format_shape
from .primitives import INPUT, Primitive, pick
from .weight_options import weight_options


def _apply(function: str | None, argument: str) -> str:
    return argument if function in (None, "linear") else f"{function}({argument})"


def _gate(name: str, label: str, function: str | None, consumes: tuple[str, ...]) -> Primitive:
    return Primitive(name, f"{label} = {_apply(function, '·')}", consumes=consumes)


class BaseRNN(Layer, weight_options("kernel", "glorot_uniform"), weight_options("recurrent", "orthogonal", "recurrent_kernel"),
              weight_options("bias", "zeros")):
    gates: ClassVar[int]
    gate_order: ClassVar[str] = ""  # how the gates sit side by side in each weight, as Keras orders them
    min_rank = max_rank = 3
    axes = "(batch, timesteps, features)"
    supports_masking = True
    option_prefixes = {"recurrent_kernel": "recurrent"}  # Keras's recurrent_initializer, recurrent_regularizer...
    reference_fields = ("initial_state",)
    state_names: ClassVar[tuple[str, ...]] = ("state_h",)

    units: PositiveInt
    activation: ActivationName | None = "tanh"
    use_bias: StrictBool = True
    return_sequences: StrictBool = Field(False, description="Output every step (batch, timesteps, units), "
                                                      "not only the last (batch, units).")
    return_state: StrictBool = Field(False, description="Also output the last states, read as name:state_h (and "
                                                        "name:state_c for an LSTM), or name:1, name:2.")
    initial_state: str | list[str] | None = Field(None, description="The states to start from, one reference per "
                                                  "state (an encoder's [encoder:state_h, encoder:state_c]); "
                                                  "default zeros.")
    dropout: StrictFloat = Field(0.0, ge=0, lt=1, description="Fraction of the inputs dropped while training.")
    recurrent_dropout: StrictFloat = Field(0.0, ge=0, lt=1, description="Fraction of the state dropped while training.")
    go_backwards: StrictBool = Field(False, description="Read the steps last to first; with return_sequences the "
                                                        "outputs stay in that reversed order, as Keras keeps them.")
    unroll: StrictBool = Field(False, description="Keras unrolls the loop over a fixed number of steps (faster for "
                                                  "short sequences); the results are the same.")
    stateful: StrictBool = Field(False, description="Keras keeps the last state for the next batch; graphspec runs "
                                                    "stateless, so only false is accepted.")

    @field_validator("stateful")
    @classmethod
    def _stateless(cls, value):
        if value:
            raise PydanticCustomError(
                "stateful", "graphspec runs stateless: every call starts from zero states, so stateful: true cannot "
                "be honoured; leave stateful out (or false) and pass the whole sequence in one call", {"stated": True})
        return value

    def output_names(self):
        return ["output", *self.state_names] if self.return_state else ["output"]

    def compute_output_shapes(self, input_shape):
        states = [(input_shape[0], self.units)] * len(self.state_names) if self.return_state else []
        return [self.compute_output_shape(input_shape), *states]

    def check_input_shapes(self, shapes):
        """initial_state: one (batch, units) tensor per state, as Keras's cell states."""
        given, wanted = shapes[1:], len(self.state_names)
        if given and len(given) != wanted:
            raise ShapeError(f"{self.kind} has {wanted} state{'s' * (wanted > 1)} ({', '.join(self.state_names)}), "
                             f"but initial_state gives {len(given)}", f"give one reference per state, in the order "
                             f"{', '.join(self.state_names)}", Code.INPUT_COUNT, "initial_state")
        for name, shape in zip(self.state_names, given):
            if len(shape) != 2 or shape[1] not in (None, self.units):
                raise ShapeError(f"the initial {name} must be (None, {self.units}) for {self.units} units, got "
                                 f"{format_shape(shape)}", "pass the states of a recurrent layer with as many units "
                                 "(return_state: true on it), or a Dense with that many units", Code.SHAPE_MISMATCH,
                                 "initial_state")

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the features axis")
        batch, steps, _ = input_shape
        if self.unroll and steps is None:
            raise ShapeError(f"unroll needs a known number of timesteps, but the input is (batch, None, "
                             f"{input_shape[-1]}); Keras refuses to unroll an undefined time axis",
                             "give the input a fixed number of timesteps, or leave unroll out", Code.UNKNOWN_DIMENSION,
                             field="unroll")
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

    def rank_hint(self, input_shape, declare=sequential_shape):
        dims = input_shape[1:]
        if len(dims) == 1:
            declared = f"{declare([dims[0], 1])} or " if dims[0] and declare else ""
            return (f"{self.kind} reads a sequence of (timesteps, features): to read the values one at a time use "
                    f"{declared}a Reshape with target_shape [{dims[0] or -1}, 1]; "
                    "for integer tokens put an Embedding first")
        if len(dims) > 2:
            rest = -1 if None in dims[1:] else math.prod(dims[1:])
            return f"merge the axes after the first with a Reshape, e.g. target_shape [{dims[0] or -1}, {rest}]"
        return None

    def describe(self):
        return (f"{self.units} unit{'s' * (self.units != 1)}" + (", sequences" if self.return_sequences else "")
                + (", backwards" if self.go_backwards else ""))

    def projections(self, input_shape) -> tuple[list[Primitive], tuple[str, ...]]:
        """x(t) @ kernel, h(t−1) @ recurrent_kernel and the bias, for the diagram; and the ops the gates read."""
        weights = self.weight_shapes(input_shape)
        columns = f"gates side by side: {self.gate_order}" if self.gate_order else None
        ops = [Primitive("x_proj", "x(t) @ kernel", pick(weights, "kernel"), (INPUT,), columns),
               Primitive("h_proj", "h(t−1) @ recurrent_kernel", pick(weights, "recurrent_kernel"), ("h",))]
        if "bias" not in weights:
            return ops, ("x_proj", "h_proj")
        return [*ops, Primitive("bias", "+ bias", pick(weights, "bias"), ("x_proj", "h_proj"))], ("bias",)

    def output_note(self) -> str:
        if self.go_backwards:
            return ("output: h(t) of every step, last input step first" if self.return_sequences
                    else "output: h(t) after the first input step (read last to first)")
        return "output: h(t) of every step" if self.return_sequences else "output: h(t) of the last step"


@register
class SimpleRNN(BaseRNN):
    """keras.layers.SimpleRNN: h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""

    gates = 1
    type: Literal["SimpleRNN"] = "SimpleRNN"

    def primitives(self, input_shape):
        ops, summed = self.projections(input_shape)
        h = Primitive("h", f"h(t) = {_apply(self.activation, '·')}", consumes=summed, note=self.output_note())
        return [*ops, h]


@register
class LSTM(BaseRNN):
    """keras.layers.LSTM: gates in Keras's order i, f, c, o."""

    gates = 4
    gate_order = "i, f, c, o"
    state_names = ("state_h", "state_c")
    type: Literal["LSTM"] = "LSTM"
    recurrent_activation: ActivationName = "sigmoid"
    unit_forget_bias: StrictBool = Field(True, description="The forget gate's bias starts at 1 (the other gates' "
                                                           "from bias_initializer).")

    def drawn_parts(self, weight, shape):
        """With unit_forget_bias Keras draws the bias as bias_initializer((units,)) and ((2 units,))."""
        if weight == "bias" and self.unit_forget_bias:
            return [(self.units,), (2 * self.units,)]
        return []

    def primitives(self, input_shape):
        ops, summed = self.projections(input_shape)
        gates, act = self.recurrent_activation, self.activation
        return [*ops, _gate("i", "input gate i", gates, summed), _gate("f", "forget gate f", gates, summed),
                _gate("g", "candidate g", act, summed), _gate("o", "output gate o", gates, summed),
                Primitive("c", "c(t) = f × c(t−1) + i × g", consumes=("f", "c", "i", "g")),
                Primitive("h", f"h(t) = o × {_apply(act, 'c(t)')}", consumes=("o", "c"), note=self.output_note())]


@register
class GRU(BaseRNN):
    """keras.layers.GRU: gates in Keras's order z, r, h; reset_after (the cuDNN form) keeps two biases."""

    gates = 3
    gate_order = "z, r, h"
    type: Literal["GRU"] = "GRU"
    recurrent_activation: ActivationName = "sigmoid"
    reset_after: StrictBool = True

    def bias_shape(self):
        # reset_after applies the reset gate after the recurrent matmul, which needs its own bias row.
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def primitives(self, input_shape):
        ops, summed = self.projections(input_shape)
        gates = self.recurrent_activation
        recurrent = "r × (h(t−1) @ U_h + b_h)" if self.reset_after else "(r × h(t−1)) @ U_h"
        candidate = f"ĥ = {_apply(self.activation, f'x_h + {recurrent}')}"
        return [*ops, _gate("z", "update gate z", gates, summed), _gate("r", "reset gate r", gates, summed),
                Primitive("candidate", candidate, consumes=(*summed, "r")),
                Primitive("h", "h(t) = z × h(t−1) + (1 − z) × ĥ", consumes=("z", "h", "candidate"),
                          note=self.output_note())]
