"""Attention and AdditiveAttention against a loop reference (float64): each query step's scores against each key
step, the softmax over the steps not hidden (value mask, causal mask), the weighted sum of the values; rows the
query mask hides are 0, and the query's mask is the output's (Keras 3's compute_mask)."""
import math

import numpy as np
import pytest
from support import assert_close, build


def score(layer, w, q, k):
    if layer["type"] == "AdditiveAttention":
        scale = w["scale"] if layer.get("use_scale", True) else np.ones_like(q)
        return sum(scale[d] * math.tanh(q[d] + k[d]) for d in range(len(q)))
    scale = w.get("scale", 1.0)
    if layer.get("score_mode", "dot") == "dot":
        return scale * sum(q[d] * k[d] for d in range(len(q)))
    return w["concat_score_weight"] * sum(math.tanh(scale * (q[d] + k[d])) for d in range(len(q)))


def reference(layer, w, query, value, key, query_mask=None, value_mask=None):
    batch, tq, tv = query.shape[0], query.shape[1], value.shape[1]
    out = np.zeros((batch, tq, value.shape[2]))
    for b in range(batch):
        for i in range(tq):
            scores = []
            for j in range(tv):
                hidden = (value_mask is not None and not value_mask[b, j]) or (layer.get("use_causal_mask") and j > i)
                scores.append(score(layer, w, query[b, i], key[b, j]) - (1e9 if hidden else 0))
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            for j in range(tv):
                out[b, i] += exps[j] / sum(exps) * value[b, j]
            if query_mask is not None and not query_mask[b, i]:
                out[b, i] = 0
    return out


LAYERS = [{"type": "Attention"}, {"type": "Attention", "use_scale": True},
          {"type": "Attention", "score_mode": "concat"}, {"type": "Attention", "score_mode": "concat", "use_scale": True},
          {"type": "Attention", "use_causal_mask": True, "use_scale": True},
          {"type": "AdditiveAttention"}, {"type": "AdditiveAttention", "use_scale": False},
          {"type": "AdditiveAttention", "use_causal_mask": True}]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("with_key", [False, True])
def test_against_loop_reference(layer, with_key):
    rng = np.random.default_rng(1)
    arrays = {"q": rng.normal(0, 1, (2, 3, 4)), "v": rng.normal(0, 1, (2, 5, 2 if with_key else 4)),
              "k": rng.normal(0, 1, (2, 5, 4))}
    arrays = {n: a.astype(np.float32) for n, a in arrays.items()}
    names = ["q", "v", "k"] if with_key else ["q", "v"]
    inputs = {n: {"shape": list(arrays[n].shape[1:])} for n in names}
    model, w = build([{**layer, "name": "att", "inputs": names}], inputs)
    out = model({n: arrays[n] for n in names})
    assert out.shape == (2, 3, arrays["v"].shape[2])
    a = {n: x.astype(np.float64) for n, x in arrays.items()}
    assert_close(out, reference(layer, w.get("att", {}), a["q"], a["v"], a["k" if with_key else "v"]))


Q = np.array([[1, 2, 0], [0, 3, 4]], np.int32)
V = np.array([[2, 0, 3, 0], [1, 5, 0, 0]], np.int32)


@pytest.mark.parametrize("layer", [{"type": "Attention"}, {"type": "Attention", "use_causal_mask": True},
                                   {"type": "AdditiveAttention"}])
def test_masks_hide_keys_zero_rows_and_pass_the_query_mask_on(layer):
    layers = [{"type": "Embedding", "name": "eq", "inputs": "q", "input_dim": 6, "output_dim": 3, "mask_zero": True},
              {"type": "Embedding", "name": "ev", "inputs": "v", "input_dim": 6, "output_dim": 3, "mask_zero": True},
              {**layer, "name": "att", "inputs": ["eq", "ev"]}, {"type": "GlobalAveragePooling1D", "name": "pool"}]
    model, w = build(layers, {"q": {"shape": [3], "dtype": "int32"}, "v": {"shape": [4], "dtype": "int32"}},
                     ["att", "pool"])
    got = model({"q": Q, "v": V})
    query, value = w["eq"]["embeddings"][Q], w["ev"]["embeddings"][V]
    expected = reference(layer, w.get("att", {}), query, value, value, Q != 0, V != 0)
    assert_close(got["att"], expected)
    assert (got["att"][0, 2] == 0).all() and (got["att"][1, 0] == 0).all()
    keep = (Q != 0)[:, :, None]
    assert_close(got["pool"], (expected * keep).sum(1) / keep.sum(1))  # the query's mask reached the pooling
