"""Bidirectional: a recurrent layer read first to last beside one read last to first, their outputs merged.

As Keras 3 builds it: the forward layer is `layer`; the backward one is `backward_layer`, or else a copy of
`layer` with go_backwards: true. merge_mode null gives the two directions' outputs as two outputs (forward,
backward); return_state on the wrapped layer adds the forward layer's last states, then the backward layer's; and
initial_state takes the forward layer's states then the backward layer's, as Keras's call splits them in half.
Weights are the forward layer's, then the backward layer's (Keras's get_weights
order; its variable paths are bidirectional/forward_<name>/... and bidirectional/backward_<name>/...).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..diagnostics import Code
from .base import Layer, ShapeError, register
from .primitives import INPUT, Primitive
from .recurrent import BaseRNN
from .wrapper import Wrapper, nested_primitives

if TYPE_CHECKING:
    from .wrapper import NestedLayer

MERGES = {"concat": "concatenate", "sum": "forward + backward", "mul": "forward × backward",
          "ave": "(forward + backward) / 2"}


@register
class Bidirectional(Wrapper):
    """keras.layers.Bidirectional: `layer` (LSTM, GRU or SimpleRNN) reads the steps first to last, a copy of it with
    go_backwards (or `backward_layer`) last to first, and their outputs are merged by merge_mode. Both nested layers
    are written as entries of `layers:` are, without inputs or input_shape (they go on the Bidirectional); a mask is
    read by both directions; the weights are forward_kernel, forward_recurrent_kernel, forward_bias, then backward_*
    (Keras's get_weights order)."""

    nested_fields = ("layer", "backward_layer")
    min_rank = max_rank = 3
    axes = "(batch, timesteps, features)"
    supports_masking = True
    reference_fields = ("initial_state",)

    type: Literal["Bidirectional"] = "Bidirectional"
    layer: NestedLayer = Field(description="The recurrent layer read first to last (LSTM, GRU or SimpleRNN), a layer "
                                           "mapping such as {type: LSTM, units: 64}.")
    merge_mode: Literal["concat", "sum", "mul", "ave"] | None = Field(
        "concat", description="How the two directions' outputs are combined: concat (features side by side), sum, "
                              "mul, ave; null keeps both, as two outputs: name:forward (the first) and name:backward.")
    backward_layer: NestedLayer | None = Field(
        None, description="The recurrent layer read last to first (go_backwards: true), where it is not a copy of "
                          "`layer`: its return_sequences and return_state must be layer's.")
    initial_state: str | list[str] | None = Field(
        None, description="The states to start from: the forward layer's, then the backward layer's (an LSTM's h "
                          "and c each, [enc:forward_state_h, enc:forward_state_c, enc:backward_state_h, "
                          "enc:backward_state_c]); default zeros.")

    @property
    def return_sequences(self) -> bool:
        return getattr(self.layer, "return_sequences", False)

    @property
    def return_state(self) -> bool:
        """Keras reads return_state off the wrapped layer: the last states follow the output(s)."""
        return getattr(self.layer, "return_state", False)

    def directions(self) -> dict[str, Layer]:
        """The forward and the backward layer, by the prefix of their weights."""
        backward = self.backward_layer
        if backward is None:
            backward = self.layer.model_copy(update={"go_backwards": True}) if isinstance(self.layer, BaseRNN) \
                else self.layer
        return {"forward_": self.layer, "backward_": backward}

    def wrapped(self):
        fields = {"forward_": "layer", "backward_": "backward_layer" if self.backward_layer else "layer"}
        return {prefix: (fields[prefix], layer) for prefix, layer in self.directions().items()}

    def output_names(self):
        heads = ["output"] if self.merge_mode else ["forward", "backward"]
        return heads + [prefix + state for prefix, state, _ in self.state_slots()] if self.return_state else heads

    def state_slots(self) -> list[tuple[str, str, int]]:
        """(direction prefix, state name, units) of each state returned or taken: the forward layer's, then the
        backward layer's."""
        return [(prefix, state, layer.units) for prefix, layer in self.directions().items()
                for state in getattr(layer, "state_names", ())]

    def compute_output_shapes(self, input_shape):
        heads = [self.compute_output_shape(input_shape)]
        if self.merge_mode is None:
            heads.append(self.check_wrapped(input_shape)["backward_"])
        states = [(input_shape[0], units) for _, _, units in self.state_slots()] if self.return_state else []
        return heads + states

    def check_input_shapes(self, shapes):
        """initial_state: the forward layer's states then the backward layer's, each (batch, units)."""
        given = shapes[1:]
        if not given:
            return
        self._check_directions()
        forward, backward = self.directions().values()
        counts = [len(forward.state_names), len(backward.state_names)]
        if counts[0] != counts[1]:
            raise ShapeError(f"initial_state is split in half between the directions, as Keras splits it, but the "
                             f"forward {forward.kind} has {counts[0]} state(s) and the backward {backward.kind} "
                             f"{counts[1]}", "give both directions layers of one type, or leave initial_state out",
                             Code.INPUT_COUNT, "initial_state")
        if len(given) != sum(counts):
            names = ", ".join(prefix + state for prefix, state, _ in self.state_slots())
            raise ShapeError(f"Bidirectional has {sum(counts)} states ({names}), but initial_state gives "
                             f"{len(given)}", f"give one reference per state, in the order {names}",
                             Code.INPUT_COUNT, "initial_state")
        for prefix, layer, states in zip(("forward", "backward"), (forward, backward),
                                         (given[:counts[0]], given[counts[0]:])):
            try:
                layer.check_input_shapes([shapes[0], *states])
            except ShapeError as exc:
                raise ShapeError(f"{prefix} layer: {exc.message}", exc.hint, exc.code, "initial_state") from None

    def compute_output_shape(self, input_shape):
        """The first output: the merged one, or the forward layer's with merge_mode null."""
        self._check_directions()
        shapes = self.check_wrapped(input_shape)
        forward, backward = shapes["forward_"], shapes["backward_"]
        if self.merge_mode is None:
            return forward
        if self.merge_mode == "concat":
            return (*forward[:-1], forward[-1] + backward[-1])
        if forward != backward:
            raise ShapeError(f"merge_mode {self.merge_mode} needs both directions of one size, but the forward layer "
                             f"gives {forward[-1]} units and the backward layer {backward[-1]}",
                             "give backward_layer the units of layer, or use merge_mode: concat",
                             Code.MERGE_SIZES, "merge_mode")
        return forward

    def _check_directions(self) -> None:
        """What Keras's Bidirectional checks of its layers: recurrent ones, reading opposite ways, both returning
        sequences or both not."""
        for field in self.nested_fields:
            layer = getattr(self, field)
            if layer is not None and not isinstance(layer, BaseRNN):
                raise ShapeError(f"Bidirectional wraps a recurrent layer (LSTM, GRU or SimpleRNN), not {layer.kind}",
                                 "to apply a layer to every step, use TimeDistributed (a Dense applies per step "
                                 "by itself)", Code.WRAPPED_TYPE, (field, "type"))
        forward, backward = self.layer, self.backward_layer
        if backward is None:
            if forward.go_backwards:
                raise ShapeError("layer has go_backwards: true, so the backward copy Bidirectional makes of it would "
                                 "read last to first too; Keras refuses two directions that read the same way",
                                 "leave go_backwards out of layer: Bidirectional makes the backward copy itself",
                                 Code.DIRECTIONS_DISAGREE, ("layer", "go_backwards"))
            return
        if forward.go_backwards == backward.go_backwards:
            raise ShapeError(f"layer and backward_layer both have go_backwards: {str(forward.go_backwards).lower()}; "
                             "Keras needs one of them to read last to first",
                             f"set go_backwards: {str(not forward.go_backwards).lower()} on backward_layer",
                             Code.DIRECTIONS_DISAGREE, ("backward_layer", "go_backwards"))
        for alike in ("return_sequences", "return_state"):
            if getattr(forward, alike) != getattr(backward, alike):
                ours, theirs = str(getattr(forward, alike)).lower(), str(getattr(backward, alike)).lower()
                raise ShapeError(f"layer has {alike}: {ours} and backward_layer {theirs}; Keras needs them alike, "
                                 "to merge the outputs", f"set {alike}: {ours} on "
                                 "backward_layer", Code.DIRECTIONS_DISAGREE, ("backward_layer", alike))

    def macs(self, input_shape, output_shape):
        return sum(layer.macs(input_shape, None) for layer in self.directions().values())

    def describe(self):
        forward, backward = self.directions().values()
        inside = f"{forward.kind} {forward.describe()}"
        if self.backward_layer is not None:
            inside += f" | {backward.kind} {backward.describe()}"
        return f"{inside}, {self.merge_mode or 'both outputs'}"

    def primitives(self, input_shape):
        forward, backward = self.directions().values()
        ahead = nested_primitives(forward.primitives(input_shape), "forward.", INPUT, "forward_", "forward: ")
        behind = nested_primitives(backward.primitives(input_shape), "backward.", INPUT, "backward_", "backward: ")
        flipped = "; the backward outputs flipped back to input order" if self.return_sequences else ""
        states = "; then the last states, forward then backward" if self.return_state else ""
        merge = Primitive("merge", MERGES.get(self.merge_mode, "both outputs"), consumes=(ahead[-1].name,
                          behind[-1].name), note=f"merge_mode {self.merge_mode or 'null'}{flipped}{states}")
        return [*ahead, *behind, merge]
