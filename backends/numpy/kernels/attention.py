"""Attention and AdditiveAttention: scores of query against key, a masked softmax, the values weighed by it."""
import numpy as np

from ..ops.attention import apply_scores, dot_scores, score_mask, tanh_sums
from .base import Kernel, kernel


class AttentionBase(Kernel):
    def scores(self, query, key):
        raise NotImplementedError

    def forward(self, inputs, masks):
        query, value, *key = (a if a.dtype.kind == "f" else a.astype(np.float32) for a in inputs)
        key = key[0] if key else value
        scores = self.scores(query, key)
        mask = score_mask(masks[1] if len(masks) > 1 else None, query.shape[1], key.shape[1],
                          self.layer.use_causal_mask)
        output, weights = apply_scores(scores, value, mask, masks[0] if masks else None)
        return (output, weights) if self.layer.return_attention_scores else output

    def output_mask(self, inputs, masks):
        """Keras's compute_mask: the query's mask."""
        return masks[0] if masks else None


@kernel("Attention")
class AttentionKernel(AttentionBase):
    def scores(self, query, key):
        scale = self.weights.get("scale")
        if self.layer.score_mode == "dot":
            scores = dot_scores(query, key)
            return scores if scale is None else scores * scale
        return self.weights["concat_score_weight"] * tanh_sums(query, key, inner=scale)


@kernel("AdditiveAttention")
class AdditiveAttentionKernel(AttentionBase):
    def scores(self, query, key):
        return tanh_sums(query, key, outer=self.weights.get("scale"))
