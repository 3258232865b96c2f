"""Attention layers: use_causal_mask (and return_attention_scores) are call arguments in Keras."""
from __future__ import annotations

from . import Mapping, register

register(Mapping(call_fields=("use_causal_mask", "return_attention_scores")), "Attention", "AdditiveAttention")
register(Mapping(module="keras_hub.layers"), "PositionEmbedding", "SinePositionEncoding")
