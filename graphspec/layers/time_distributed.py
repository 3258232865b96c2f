"""TimeDistributed: one layer, with one set of weights, applied to every step of (batch, timesteps, ...)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import known_product, register
from .primitives import Primitive
from .wrapper import Wrapper, nested_primitives

if TYPE_CHECKING:
    from .wrapper import NestedLayer


@register
class TimeDistributed(Wrapper):
    """keras.layers.TimeDistributed: `layer` applied to every step (the axis after the batch) of its input, the
    same weights at every step; the input's mask is passed on. `layer` is written as an entry of `layers:` is (its
    type and fields, checked the same way), without inputs or input_shape, which go on the TimeDistributed; its
    weights keep their names (kernel, bias...)."""

    min_rank = 3
    axes = "(batch, timesteps, ...)"
    supports_masking = True  # Keras's TimeDistributed passes its input's mask on, whatever the layer inside

    type: Literal["TimeDistributed"] = "TimeDistributed"
    layer: NestedLayer = Field(description="The layer applied to each step, a layer mapping such as {type: Dense, "
                                           "units: 8}; it sees (batch, ...) without the timesteps.")

    @property
    def dtype_rule(self):
        """The wrapped layer's: an Embedding inside takes integer ids."""
        return self.layer.dtype_rule

    def inner_input(self, input_shape):
        return (input_shape[0], *input_shape[2:])

    def compute_output_shape(self, input_shape):
        child = self.check_wrapped(input_shape)[""]
        return (child[0], input_shape[1], *child[1:])

    def fed(self, shape):
        return f"each step's {super().fed(shape)}"

    def rank_advice(self, layer, rank):
        return (f"TimeDistributed takes the axis after the batch as the timesteps, so a {layer.kind} of rank {rank} "
                f"per step needs an input of rank {rank + 1} (batch, timesteps, ...)")

    def rank_hint(self, input_shape, declare=None):
        if len(input_shape) >= self.min_rank:  # the layer inside is the one that wants another rank
            return None
        return (f"TimeDistributed applies its layer to each step of (batch, timesteps, ...); for one {self.layer.kind} "
                f"per sample of {input_shape}, use the {self.layer.kind} without TimeDistributed")

    def macs(self, input_shape, output_shape):
        """The wrapped layer's per step, times the steps (per step where their number is unknown)."""
        inner_in, inner_out = self.inner_input(input_shape), (output_shape[0], *output_shape[2:])
        return known_product(input_shape[1:2]) * self.layer.macs(inner_in, inner_out)

    def describe(self):
        inside = self.layer.describe()
        return f"{self.layer.kind}{': ' + inside if inside else ''} per step"

    def primitives(self, input_shape):
        fold = Primitive("fold", "fold time into batch: (batch·timesteps, ...)")
        inside = nested_primitives(self.layer.primitives(self.inner_input(input_shape)), "layer.", "fold")
        return [fold, *inside, Primitive("unfold", "unfold: (batch, timesteps, ...)",
                                         note=f"one {self.layer.kind} for every step")]
