"""keras_hub's position layers: PositionEmbedding (a learned table) and SinePositionEncoding (a fixed one).

Both read only the input's shape (batch, ..., steps, features) and return one row per step broadcast over the
rest, to be added to a token embedding (`Add`). Neither supports masking in keras_hub (0.32), so a mask arriving
is dropped there, as Keras drops it at any layer that does not support masking.
"""

from typing import Literal

from pydantic import Field, StrictFloat

from ..diagnostics import Code
from ..dim_rules import surely
from ..types import format_shape
from .base import Layer, PositiveInt, ShapeError, register, require_known
from .primitives import Primitive
from .weight_options import InitializerOption


class _Positions(Layer):
    min_rank = 3
    axes = "(batch, steps, features)"

    def rank_hint(self, input_shape, declare=None):  # noqa: ARG002 - the steps come from a layer, not a declaration
        return "feed it a sequence of vectors, (batch, steps, features), e.g. the output of an Embedding"


# keras_hub calls the table's option plain `initializer` (option_prefixes maps the weight to the prefix "").


@register
class PositionEmbedding(_Positions):
    """keras_hub.layers.PositionEmbedding: a learned (sequence_length × features) table; a sequence of T steps
    gets its first T rows, the same for every sample. Add it to the token embedding."""

    option_prefixes = {"embeddings": ""}  # keras_hub names the option `initializer`
    unregularized_weights = frozenset({"embeddings"})  # keras_hub takes no regularizer or constraint for it

    type: Literal["PositionEmbedding"] = "PositionEmbedding"
    sequence_length: PositiveInt = Field(description="The longest sequence: the table has one row per position.")
    initializer: InitializerOption = Field("glorot_uniform", description="Initial values of the table "
                                                                          "(a Keras initializer).")

    def compute_output_shape(self, input_shape):
        require_known(input_shape, -1, "the feature size (the table's width)")
        steps = input_shape[-2]
        if steps is not None and surely(lambda: steps > self.sequence_length):
            raise ShapeError(f"the input {format_shape(input_shape)} has {steps} steps, but the table holds "
                             f"sequence_length = {self.sequence_length} positions",
                             f"raise sequence_length to at least {steps}, or feed shorter sequences",
                             Code.SHAPE_MISMATCH, "sequence_length")
        return input_shape

    def weight_shapes(self, input_shape):
        return {"embeddings": (self.sequence_length, require_known(input_shape, -1, "the feature size"))}

    def describe(self):
        return f"{self.sequence_length} positions" + (", frozen" if not self.trainable else "")

    def primitives(self, input_shape):
        return [Primitive("slice", "embeddings[:steps]", self.weight_shapes(input_shape), (),
                          note="broadcast over the batch; the input gives only its shape")]


@register
class SinePositionEncoding(_Positions):
    """keras_hub.layers.SinePositionEncoding: position p, feature j gets sin(p·w) for even j and cos(p·w) for odd j,
    w = (1 / max_wavelength) ** (2·(j // 2) / features), as in "Attention is all you need". No weights."""

    type: Literal["SinePositionEncoding"] = "SinePositionEncoding"
    max_wavelength: StrictFloat = Field(10000.0, gt=0, description="The longest wavelength of the sines and cosines.")

    def describe(self):
        return f"max_wavelength {self.max_wavelength:g}"

    def primitives(self, input_shape):
        return [Primitive("sinusoid", "sin/cos(p · max_wavelength^(-2⌊j/2⌋/features))", consumes=(),
                          note="even features sine, odd cosine; broadcast over the batch")]
