"""Attention and AdditiveAttention (keras/src/layers/attention/attention.py and additive_attention.py): inputs
[query, value] or [query, value, key], the key defaulting to the value.

Scores (batch, Tq, Tv) compare each query step with each key step; a softmax over the Tv key steps weighs the value
steps, giving (batch, Tq, dim of value). The value's mask hides key steps (their scores lowered by 1e9 before the
softmax), use_causal_mask hides the key steps after each query step, and the query's mask zeroes the output rows
it hides and is the output's mask, as in Keras.
"""

from typing import ClassVar, Literal

from pydantic import Field, StrictBool, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import Layer, ShapeError, known_product, register, require_known
from .dropout import Rate
from .primitives import Primitive


class BaseAttention(Layer):
    """What Attention and AdditiveAttention share: the inputs, the masks and the shape rule."""

    min_inputs, max_inputs = 2, 3
    min_rank = max_rank = 3
    axes: ClassVar[str] = "(batch, steps, features)"
    supports_masking = True  # the query's mask is the output's
    input_names = ("query", "value", "key")

    dropout: Rate = Field(0.0, description="Fraction of the attention weights to drop while training.")
    seed: StrictInt | None = Field(None, description="Seed of the dropout.")
    use_causal_mask: StrictBool = Field(False, description="Keras's call argument: query step i attends only to "
                                                           "key steps j <= i (decoder self-attention).")
    return_attention_scores: StrictBool = Field(
        False, description="Keras's call argument: also output the attention weights, read as name:attention_scores "
                           "(or name:1), (batch, query steps, key steps).")

    def compute_output_shape(self, input_shape):
        query, value, key = self.query_value_key(input_shape)
        for a, b, axis, what in ((query, key, 2, "features"), (value, key, 1, "steps")):
            if a is not b and None not in (a[axis], b[axis]) and a[axis] != b[axis]:
                raise self._mismatch(query, value, key, axis, what)
        return (query[0], query[1], value[2])

    def output_names(self):
        return ["output", "attention_scores"] if self.return_attention_scores else ["output"]

    def compute_output_shapes(self, input_shape):
        output = self.compute_output_shape(input_shape)
        query, value, _ = self.query_value_key(input_shape)
        return [output, (query[0], query[1], value[1])] if self.return_attention_scores else [output]

    @staticmethod
    def query_value_key(input_shape):
        shapes = [tuple(s) for s in input_shape]
        return shapes[0], shapes[1], shapes[2] if len(shapes) > 2 else shapes[1]

    def _mismatch(self, query, value, key, axis: int, what: str) -> ShapeError:
        key_name = "key" if key is not value else "value (the key)"
        if axis == 2:
            pair = f"the query {format_shape(query)} and the {key_name} {format_shape(key)}"
            hint = "give the query and the key the same last size, e.g. with a Dense on one of them"
        else:
            pair = f"the value {format_shape(value)} and the key {format_shape(key)}"
            hint = "the key and the value are read step by step together: give them the same number of steps"
        return ShapeError(f"{self.kind} compares {pair}, whose {what} (axis {axis}) differ",
                          hint, Code.SHAPE_MISMATCH, "inputs")

    def macs(self, input_shape, output_shape):
        query, value, _ = self.query_value_key(input_shape)
        return known_product((query[1], value[1])) * ((query[2] or 1) + (value[2] or 1))

    def describe_masks(self) -> list[str]:
        return ["causal"] if self.use_causal_mask else []

    def primitives(self, input_shape):
        masks = "value mask" + (" and causal mask" if self.use_causal_mask else "")
        return [*self.score_primitives(input_shape),
                Primitive("mask", f"scores − 1e9 where the {masks} hides a key step"),
                Primitive("softmax", "softmax over the key steps"),
                Primitive("weighted_sum", "weights @ value, rows the query mask hides set to 0")]


@register
class Attention(BaseAttention):
    """keras.layers.Attention (Luong-style): scores query @ keyᵀ (score_mode dot), or the sum over features of
    tanh(query + key) (concat, times concat_score_weight); use_scale multiplies by a learned scalar `scale`."""

    fixed_initializers = {"scale": "ones", "concat_score_weight": "ones"}  # Keras gives them no options

    type: Literal["Attention"] = "Attention"
    use_scale: StrictBool = Field(False, description="Multiply the scores (concat: the sums) by a learned scalar.")
    score_mode: Literal["dot", "concat"] = Field("dot", description="dot: query · key; concat: Σ tanh(query + key).")

    def weight_shapes(self, input_shape):
        return {**({"scale": ()} if self.use_scale else {}),
                **({"concat_score_weight": ()} if self.score_mode == "concat" else {})}

    def describe(self):
        return ", ".join([self.score_mode, *(["scaled"] if self.use_scale else []), *self.describe_masks()])

    def score_primitives(self, input_shape):
        if self.score_mode == "dot":
            return [Primitive("matmul", "scores = query @ keyᵀ" + (" × scale" if self.use_scale else ""),
                              self.weight_shapes(input_shape))]
        inside = "scale × (query + key)" if self.use_scale else "query + key"
        return [Primitive("add_tanh", f"scores = concat_score_weight × Σ tanh({inside})",
                          self.weight_shapes(input_shape))]


@register
class AdditiveAttention(BaseAttention):
    """keras.layers.AdditiveAttention (Bahdanau-style): scores Σ over features of scale × tanh(query + key), with a
    learned `scale` per feature (use_scale, Keras's default) or 1."""

    fixed_initializers = {"scale": "glorot_uniform"}  # Keras gives it no options

    type: Literal["AdditiveAttention"] = "AdditiveAttention"
    use_scale: StrictBool = Field(True, description="Weigh each feature's tanh by a learned `scale` of (dim,).")

    def compute_output_shape(self, input_shape):
        output = super().compute_output_shape(input_shape)
        self.weight_shapes(input_shape)  # the scale's size must be known
        return output

    def weight_shapes(self, input_shape):
        if not self.use_scale:
            return {}
        return {"scale": (require_known(tuple(input_shape[0]), 2, "AdditiveAttention's query features"),)}

    def describe(self):
        return ", ".join([*(["scaled"] if self.use_scale else []), *self.describe_masks()])

    def score_primitives(self, input_shape):
        inside = "scale × tanh(query + key)" if self.use_scale else "tanh(query + key)"
        return [Primitive("add_tanh", f"scores = Σ {inside} over the features", self.weight_shapes(input_shape))]
