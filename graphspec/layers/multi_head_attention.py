"""MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py): inputs [query, value] or [query, value,
key], or by name {query: ..., value: ..., key: ...}, the key defaulting to the value, as Keras's mha(query, value, key).

Each input is projected per head over its last axis (query/kernel (dim, heads, key_dim), ...), the scaled dot
products of query and key heads are softmaxed over the attention axes (all but the batch and the features, unless
attention_axes says otherwise), the value heads weighed by them, and attention_output/kernel (heads, value_dim, *out)
projects back to the query's features (or output_shape). Masks combine as Keras's _compute_attention_mask does: the
query's (batch, T, 1), the value's and key's (batch, 1, S), the causal (1, T, S) and sliding-window bands, and-ed.
"""

from typing import ClassVar, Literal

from pydantic import Field, StrictBool, StrictInt

from ..diagnostics import Code
from ..types import format_shape
from .base import Layer, PositiveInt, ShapeError, known_product, register, require_known
from .dropout import Rate
from .primitives import Primitive, input_of
from .weight_options import weight_options

PROJECTIONS = ("query", "key", "gate", "value", "attention_output")  # Keras's build order, its weights' order


@register
class MultiHeadAttention(Layer, weight_options("kernel", "glorot_uniform"), weight_options("bias", "zeros")):
    """keras.layers.MultiHeadAttention: scaled dot-product attention over num_heads heads, Vaswani et al. 2017."""

    min_inputs, max_inputs = 2, 3
    min_rank = 3
    axes: ClassVar[str] = "(batch, steps, features)"
    supports_masking = True  # the query's mask is the output's
    input_names = ("query", "value", "key")
    option_prefixes = {f"{p}/{w}": w for p in PROJECTIONS for w in ("kernel", "bias")}

    type: Literal["MultiHeadAttention"] = "MultiHeadAttention"
    num_heads: PositiveInt = Field(description="Number of attention heads.")
    key_dim: PositiveInt = Field(description="Size of each head for query and key.")
    value_dim: PositiveInt | None = Field(None, description="Size of each head for value; default: key_dim.")
    dropout: Rate = Field(0.0, description="Fraction of the attention weights to drop while training.")
    use_bias: StrictBool = Field(True, description="Whether the projections add biases.")
    output_shape: PositiveInt | list[PositiveInt] | None = Field(
        None, description="Output shape besides the batch and steps; default: the query's features.")
    attention_axes: StrictInt | list[StrictInt] | None = Field(
        None, description="Axes attention runs over; default: all but the batch and the features.")
    sliding_window: PositiveInt | None = Field(None, description="Query step i sees the key steps less than "
                                                                 "sliding_window away (a band; with the causal "
                                                                 "mask, the steps just before).")
    use_gate: StrictBool = Field(False, description="Gate the heads by sigmoid(query @ gate/kernel + gate/bias).")
    seed: StrictInt | None = Field(None, description="Seed of the dropout.")
    use_causal_mask: StrictBool = Field(False, description="Keras's call argument: query step i attends only to "
                                                           "key steps j <= i (decoder self-attention).")
    return_attention_scores: StrictBool = Field(
        False, description="Keras's call argument: also output the attention weights, read as name:attention_scores "
                           "(or name:1), (batch, heads, query steps, key steps).")

    @property
    def head_value_dim(self) -> int:
        return self.value_dim or self.key_dim

    def out_dims(self, query) -> tuple[int, ...]:
        if self.output_shape is None:
            return (query[-1],)
        return (self.output_shape,) if isinstance(self.output_shape, int) else tuple(self.output_shape)

    @staticmethod
    def query_value_key(input_shape):
        shapes = [tuple(s) for s in input_shape]
        return shapes[0], shapes[1], shapes[2] if len(shapes) > 2 else shapes[1]

    def attention_axes_of(self, rank: int) -> tuple[int, ...]:
        """The attention axes, counted from 0 in an input of this rank (Keras reads -2 as the last step axis)."""
        if self.attention_axes is None:
            return tuple(range(1, rank - 1))
        given = [self.attention_axes] if isinstance(self.attention_axes, int) else self.attention_axes
        axes = tuple(a if a >= 0 else rank + a for a in given)
        for a, b in zip(given, axes):
            if not 1 <= b <= rank - 2:
                what = {0: "the batch", rank - 1: "the features"}.get(b, "not an")
                raise ShapeError(f"attention_axes {a} is {what} axis of the inputs, of rank {rank}",
                                 f"attention runs over axes 1 to {rank - 2} (or -{rank - 1} to -2), the ones "
                                 "between the batch and the features", Code.BAD_AXIS, "attention_axes")
        if len(set(axes)) < len(axes):
            raise ShapeError(f"attention_axes {given} names an axis twice", "name each axis once",
                             Code.BAD_AXIS, "attention_axes")
        return tuple(sorted(axes))

    def compute_output_shape(self, input_shape):
        query, value, key = self.query_value_key(input_shape)
        names = {"value": value, "key": key} if len(input_shape) > 2 else {"value": value}
        for name, shape in names.items():
            if len(shape) != len(query):
                raise self._mismatch(f"the query {format_shape(query)} and the {name} {format_shape(shape)} differ "
                                     "in rank", "give them the same rank: the projections keep every axis")
        if not _agree(value[1:-1], key[1:-1]):
            raise self._mismatch(f"the value {format_shape(value)} and the key {format_shape(key)} differ besides "
                                 "their features", "the key and the value are read step by step together: give "
                                 "them the same steps")
        axes = self.attention_axes_of(len(query))
        others = [a for a in range(1, len(query) - 1) if a not in axes]
        if not _agree([query[a] for a in others], [key[a] for a in others]):
            raise self._mismatch(f"the query {format_shape(query)} and the key {format_shape(key)} differ on axes "
                                 f"{others}, which attention does not run over", "give them the same sizes there, "
                                 "or add those axes to attention_axes")
        self.weight_shapes(input_shape)  # the features must be known
        return (*query[:-1], *self.out_dims(query))

    def output_names(self):
        return ["output", "attention_scores"] if self.return_attention_scores else ["output"]

    def compute_output_shapes(self, input_shape):
        output = self.compute_output_shape(input_shape)
        return [output, self.scores_shape(input_shape)] if self.return_attention_scores else [output]

    def _mismatch(self, message: str, hint: str) -> ShapeError:
        return ShapeError(f"MultiHeadAttention: {message}", hint, Code.SHAPE_MISMATCH, "inputs")

    def scores_shape(self, input_shape):
        """Keras's attention scores: (batch, axes attention does not run over, heads, query's, key's axes)."""
        query, _, key = self.query_value_key(input_shape)
        axes = self.attention_axes_of(len(query))
        others = [query[a] for a in range(1, len(query) - 1) if a not in axes]
        return (query[0], *others, self.num_heads, *(query[a] for a in axes), *(key[a] for a in axes))

    def weight_shapes(self, input_shape):
        query, value, key = self.query_value_key(input_shape)
        features = {name: require_known(shape, -1, f"the {name}'s features")
                    for name, shape in (("query", query), ("key", key), ("value", value))}
        heads, head = (self.num_heads,), {"query": self.key_dim, "key": self.key_dim, "gate": self.head_value_dim,
                                          "value": self.head_value_dim}
        weights = {}
        for name in PROJECTIONS[:-1] if self.use_gate else ("query", "key", "value"):
            weights[f"{name}/kernel"] = (features["query" if name == "gate" else name], *heads, head[name])
            weights |= {f"{name}/bias": (*heads, head[name])} if self.use_bias else {}
        out = self.out_dims(query)
        weights["attention_output/kernel"] = (*heads, self.head_value_dim, *out)
        return weights | ({"attention_output/bias": out} if self.use_bias else {})

    def macs(self, input_shape, output_shape):
        query, value, key = self.query_value_key(input_shape)
        steps, sources = known_product(query[1:-1]), known_product(key[1:-1])
        axes = self.attention_axes_of(len(query))
        attended = known_product(key[a] for a in axes)  # the key positions each query position sees
        heads_k, heads_v = self.num_heads * self.key_dim, self.num_heads * self.head_value_dim
        projections = steps * (query[-1] or 1) * (heads_k + heads_v * self.use_gate) \
            + sources * ((key[-1] or 1) * heads_k + (value[-1] or 1) * heads_v)
        return projections + steps * attended * (heads_k + heads_v) + steps * heads_v * known_product(
            self.out_dims(query))

    def describe(self):
        value = f", value {self.value_dim}" if self.value_dim not in (None, self.key_dim) else ""
        masks = ["causal"] * self.use_causal_mask + [f"window {self.sliding_window}"] * bool(self.sliding_window)
        return ", ".join([f"{self.num_heads} heads × {self.key_dim}{value}", *masks, *["gated"] * self.use_gate])

    def primitives(self, input_shape):
        w = self.weight_shapes(input_shape)
        key_input = input_of(2 if len(input_shape) > 2 else 1)
        project = [Primitive(name, f"{name} heads = {label} @ {name}/kernel" + " + bias" * self.use_bias,
                             _pick(w, name), (source,)) for name, label, source in (
            ("query", "query", input_of(0)), ("key", "key", key_input), ("value", "value", input_of(1)))]
        masks = ", ".join(["query", "value", "key"][:len(input_shape)] + ["causal"] * self.use_causal_mask
                          + ["sliding window"] * bool(self.sliding_window))
        gate = [Primitive("gate", "× sigmoid(query @ gate/kernel + bias)", _pick(w, "gate"),
                          ("weighted_sum", input_of(0)))] if self.use_gate else []
        return [*project,
                Primitive("scores", f"scores = query · key / √{self.key_dim}, per head", consumes=("query", "key")),
                Primitive("mask", f"scores → −1e9 where the {masks} masks hide a pair"),
                Primitive("softmax", "softmax over the attention axes"),
                Primitive("weighted_sum", "weights @ value heads", consumes=("softmax", "value")), *gate,
                Primitive("attention_output", "heads @ attention_output/kernel" + " + bias" * self.use_bias,
                          _pick(w, "attention_output"))]


def _pick(weights, name: str):
    return {w: shape for w, shape in weights.items() if w.startswith(f"{name}/")}


def _agree(a, b) -> bool:
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))
