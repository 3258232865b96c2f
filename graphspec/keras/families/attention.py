"""Attention layers: use_causal_mask (and return_attention_scores) are call arguments in Keras."""
from __future__ import annotations

from . import Mapping, register

register(Mapping(call_fields=("use_causal_mask", "return_attention_scores")), "Attention", "AdditiveAttention")
register(Mapping(module="keras_hub.layers"), "PositionEmbedding", "SinePositionEncoding")

# MultiHeadAttention(query, value, key): its projections are sublayers, each with its own group in the archive.
register(Mapping(call_fields=("use_causal_mask", "return_attention_scores"), positional=True,
                 weight_groups=tuple(f"{part}_dense/vars" for part in ("query", "key", "value", "output"))),
         "MultiHeadAttention")
