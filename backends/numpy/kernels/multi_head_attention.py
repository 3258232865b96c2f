"""MultiHeadAttention: per-head projections, masked scaled dot products, weighted sum, output projection."""
import numpy as np

from ..ops.activations import sigmoid
from ..ops.multi_head_attention import attend, attention_mask, project
from ..ops.multi_head_attention_grad import attend_with_backward, project_backward
from .base import Gradients, Kernel, kernel


@kernel("MultiHeadAttention")
class MultiHeadAttentionKernel(Kernel):
    def forward(self, inputs, masks):
        """The output, and with return_attention_scores the softmax weights (Keras's attention_scores) after it."""
        output, scores = self.attention(inputs, masks)
        return (output, scores) if self.layer.return_attention_scores else output

    def attention(self, inputs, masks, training=None):
        """(output, scores) as Keras's call with return_attention_scores; while training, a third: the backward."""
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
        if training is not None:
            return self._train(query, key, value, heads, axes, mask, zero_hidden, training, len(inputs) > 2)
        summed, scores = attend(heads["query"], heads["key"], heads["value"], axes, mask, zero_hidden)
        if layer.use_gate:
            summed = summed * sigmoid(project(query, w["gate/kernel"], w.get("gate/bias")))
        return project(summed, w["attention_output/kernel"], w.get("attention_output/bias"), bound=2), scores

    def train_forward(self, inputs, masks, training):
        output, scores, backward = self.attention(inputs, masks, training)
        return ((output, scores) if self.layer.return_attention_scores else output), backward

    def _train(self, query, key, value, heads, axes, mask, zero_hidden, training, separate_key):
        """The training forward from the projected heads, and its backward: dropout on the attention weights."""
        w, layer = self.weights, self.layer
        (summed, scores), attend_backward = attend_with_backward(
            heads["query"], heads["key"], heads["value"], axes, mask, zero_hidden, training.rng, layer.dropout)
        gate = sigmoid(project(query, w["gate/kernel"], w.get("gate/bias"))) if layer.use_gate else None
        gated = summed if gate is None else summed * gate
        output = project(gated, w["attention_output/kernel"], w.get("attention_output/bias"), bound=2)
        sources = {"query": query, "key": key, "value": value}

        def backward(d_result):
            d_output, d_scores = d_result if layer.return_attention_scores else (d_result, None)
            grads, d_inputs = {}, {}
            d_gated = self._project_back("attention_output", gated, d_output, grads, 2)
            if gate is not None:
                d_inputs["query"] = self._project_back("gate", query, d_gated * summed * gate * (1 - gate), grads)
            d_heads = attend_backward(d_gated if gate is None else d_gated * gate, d_scores)
            for name, d_head in zip(("query", "key", "value"), d_heads):
                d_x = self._project_back(name, sources[name], d_head, grads)
                d_inputs[name] = d_x if name not in d_inputs else d_inputs[name] + d_x
            order = ["query", "value", "key"] if separate_key else ["query", "value"]
            if not separate_key:  # the value stood in for the key
                d_inputs["value"] = d_inputs["value"] + d_inputs["key"]
            return Gradients([d_inputs[n] if training.needs(i) else None for i, n in enumerate(order)],
                             grads if training.weight_grads else {})
        return output, scores, backward

    def _project_back(self, name, x, d_out, grads, bound=1):
        """d x of the projection `name`, its kernel's and bias's gradients put in `grads`."""
        d_x, d_kernel, d_bias = project_backward(x, self.weights[f"{name}/kernel"], d_out, bound)
        grads[f"{name}/kernel"] = d_kernel
        if f"{name}/bias" in self.weights:
            grads[f"{name}/bias"] = d_bias
        return d_x

    def output_mask(self, inputs, masks):
        """Keras sets the query's mask on the output."""
        return masks[0] if masks else None
