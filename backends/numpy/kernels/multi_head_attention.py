"""MultiHeadAttention: per-head projections, masked scaled dot products, weighted sum, output projection."""
import numpy as np

from ..ops.activations import sigmoid
from ..ops.multi_head_attention import attend, attention_mask, project
from .base import Kernel, kernel


@kernel("MultiHeadAttention")
class MultiHeadAttentionKernel(Kernel):
    def forward(self, inputs, masks):
        """The output, and with return_attention_scores the softmax weights (Keras's attention_scores) after it."""
        output, scores = self.attention(inputs, masks)
        return (output, scores) if self.layer.return_attention_scores else output

    def attention(self, inputs, masks):
        """(output, scores) as Keras's call with return_attention_scores."""
        layer, w = self.layer, self.weights
        query, value, *key = (a if a.dtype.kind == "f" else a.astype(np.float32) for a in inputs)
        key = key[0] if key else value
        masks = [*masks, None, None, None][:3]
        mask = attention_mask(masks[0], masks[1], masks[2] if len(inputs) > 2 else None, layer.use_causal_mask,
                              layer.sliding_window, (query.shape[1], value.shape[1]))
        heads = {name: project(x, w[f"{name}/kernel"], w.get(f"{name}/bias"))
                 for name, x in (("query", query), ("key", key), ("value", value))}
        axes = layer.attention_axes_of(query.ndim)
        zero_hidden = layer.dropout > 0 or layer.return_attention_scores or query.ndim != 3
        summed, scores = attend(heads["query"], heads["key"], heads["value"], axes, mask, zero_hidden)
        if layer.use_gate:
            summed = summed * sigmoid(project(query, w["gate/kernel"], w.get("gate/bias")))
        return project(summed, w["attention_output/kernel"], w.get("attention_output/bias"), bound=2), scores

    def output_mask(self, inputs, masks):
        """Keras sets the query's mask on the output."""
        return masks[0] if masks else None
