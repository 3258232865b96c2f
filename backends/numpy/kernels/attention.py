"""Attention and AdditiveAttention: scores of query against key, a masked softmax, the values weighed by it."""
import numpy as np

from ..ops.attention import MASKED, apply_scores, dot_scores, score_mask, tanh_sums
from ..ops.attention_grad import dot_scores_backward, softmax_backward, tanh_sums_with_backward
from ..ops.activations import softmax
from .base import Gradients, Kernel, kernel


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

    def train_scores(self, query, key):
        """The scores and their backward, d scores -> (d query, d key, weight gradients)."""
        raise NotImplementedError

    def train_forward(self, inputs, masks, training):
        """Keras's dropout drops attention weights (those returned as scores too); the hidden scores' shift by
        -1e9 is a constant, and the rows the query mask hides get no gradient."""
        query, value, *key = (a if a.dtype.kind == "f" else a.astype(np.float32) for a in inputs)
        key = key[0] if key else value
        scores, scores_backward = self.train_scores(query, key)
        mask = score_mask(masks[1] if len(masks) > 1 else None, query.shape[1], key.shape[1],
                          self.layer.use_causal_mask)
        weights = softmax(scores if mask is None else np.where(mask, scores, scores - scores.dtype.type(MASKED)))
        rate = self.layer.dropout
        keep = None if not rate else (training.rng.random(weights.shape) >= rate) / (1 - rate)
        dropped = weights if keep is None else weights * keep
        query_mask = masks[0] if masks else None
        output = dropped @ value
        output = output if query_mask is None else np.where(query_mask[:, :, None], output, 0)

        def backward(d_result):
            d_output, d_dropped = d_result if self.layer.return_attention_scores else (d_result, None)
            d_output = d_output if query_mask is None else np.where(query_mask[:, :, None], d_output, 0)
            d_dropped = d_output @ np.swapaxes(value, -2, -1) + (0 if d_dropped is None else d_dropped)
            d_query, d_key, grads = scores_backward(softmax_backward(weights, d_dropped if keep is None
                                                                     else d_dropped * keep))
            d_value = np.swapaxes(dropped, -2, -1) @ d_output
            d_inputs = [d_query, d_value + d_key] if len(inputs) == 2 else [d_query, d_value, d_key]
            return Gradients([d if training.needs(i) else None for i, d in enumerate(d_inputs)],
                             grads if training.weight_grads else {})
        return ((output, dropped) if self.layer.return_attention_scores else output), backward

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

    def train_scores(self, query, key):
        scale = self.weights.get("scale")
        if self.layer.score_mode == "dot":
            products = dot_scores(query, key)

            def dot_backward(d_scores):
                grads = {} if scale is None else {"scale": np.sum(d_scores * products).reshape(np.shape(scale))}
                return (*dot_scores_backward(d_scores if scale is None else d_scores * scale, query, key), grads)
            return (products if scale is None else products * scale), dot_backward
        weight = self.weights["concat_score_weight"]
        sums, sums_backward = tanh_sums_with_backward(query, key, inner=scale)

        def concat_backward(d_scores):
            d_query, d_key, d_scale, _ = sums_backward(d_scores * weight)
            grads = {"concat_score_weight": np.sum(d_scores * sums).reshape(np.shape(weight))}
            return d_query, d_key, grads | ({} if scale is None else {"scale": d_scale})
        return weight * sums, concat_backward


@kernel("AdditiveAttention")
class AdditiveAttentionKernel(AttentionBase):
    def scores(self, query, key):
        return tanh_sums(query, key, outer=self.weights.get("scale"))

    def train_scores(self, query, key):
        scale = self.weights.get("scale")
        sums, sums_backward = tanh_sums_with_backward(query, key, outer=scale)

        def backward(d_scores):
            d_query, d_key, _, d_scale = sums_backward(d_scores)
            return d_query, d_key, {} if scale is None else {"scale": d_scale}
        return sums, backward
