"""MultiHeadAttention against a loop reference (float64): per sample, head and query position, each key position's
scaled score, the softmax over the positions the masks leave (Keras's where(mask, s, -1e9)), the weighted values,
the output projection; a fully hidden query row is uniform (Keras's fused path) or zero (its softmax path)."""
import itertools
import math

import numpy as np
import pytest
from support import assert_close, build


def project(x, kernel, bias):
    out = np.einsum("...d,dnh->...nh", x, kernel)
    return out if bias is None else out + bias


def reference(layer, w, query, value, key, allowed, zero_hidden):
    """allowed(b, i, j) -> bool over flat query and key positions of the attention axes (rank-3 inputs here)."""
    q, k, v = (project(x, w[f"{n}/kernel"], w.get(f"{n}/bias")) for n, x in (("query", query), ("key", key),
                                                                               ("value", value)))
    batch, tq, heads, kd = q.shape
    summed = np.zeros((batch, tq, heads, v.shape[-1]))
    for b, i, n in itertools.product(range(batch), range(tq), range(heads)):
        scores = [sum(q[b, i, n, d] * k[b, j, n, d] for d in range(kd)) / math.sqrt(kd) if allowed(b, i, j)
                  else -1e9 for j in range(k.shape[1])]
        exps = [math.exp(s - max(scores)) for s in scores]
        for j in range(k.shape[1]):
            weight = exps[j] / sum(exps)
            if allowed(b, i, j) or not zero_hidden:
                summed[b, i, n] += weight * v[b, j, n]
    if layer.get("use_gate"):
        summed = summed / (1 + np.exp(-project(query, w["gate/kernel"], w.get("gate/bias"))))
    out = np.einsum("tinh,nho->tio", summed, w["attention_output/kernel"].reshape(heads, v.shape[-1], -1))
    out = out + w["attention_output/bias"].reshape(-1) if "attention_output/bias" in w else out
    return out.reshape(*query.shape[:2], *w["attention_output/kernel"].shape[2:])


LAYERS = [{"num_heads": 2, "key_dim": 3}, {"num_heads": 3, "key_dim": 2, "value_dim": 4, "use_bias": False},
          {"num_heads": 2, "key_dim": 2, "output_shape": [2, 3]}, {"num_heads": 2, "key_dim": 3, "use_gate": True},
          {"num_heads": 1, "key_dim": 4, "use_causal_mask": True}, {"num_heads": 2, "key_dim": 2, "sliding_window": 2}]


def allowed_by(layer, tq, tk):
    causal, window = layer.get("use_causal_mask"), layer.get("sliding_window")
    return lambda b, i, j: (not causal or j <= i) and (not window or abs(i - j) < window)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("with_key", [False, True])
def test_against_loop_reference(layer, with_key):
    rng = np.random.default_rng(2)
    tk = 4 if not (layer.get("use_causal_mask") or layer.get("sliding_window")) else 3
    arrays = {"q": rng.normal(0, 1, (2, 3, 4)), "v": rng.normal(0, 1, (2, tk, 5)), "k": rng.normal(0, 1, (2, tk, 2))}
    arrays = {n: a.astype(np.float32) for n, a in arrays.items()}
    names = ["q", "v", "k"] if with_key else ["q", "v"]
    spec = {"type": "MultiHeadAttention", "name": "mha", "inputs": dict(zip(["query", "value", "key"], names)), **layer}
    model, w = build([spec], {n: {"shape": list(arrays[n].shape[1:])} for n in names})
    got = model({n: arrays[n] for n in names})
    a = {n: x.astype(np.float64) for n, x in arrays.items()}
    expected = reference(layer, w["mha"], a["q"], a["v"], a["k" if with_key else "v"], allowed_by(layer, 3, tk), False)
    assert_close(got, expected)


Q = np.array([[1, 2, 0], [0, 3, 4]], np.int32)
V = np.array([[2, 0, 3, 0], [1, 5, 0, 0]], np.int32)


@pytest.mark.parametrize("dropout", [0.0, 0.2])
@pytest.mark.parametrize("causal", [False, True])
def test_masks_combine_as_keras_and_the_query_mask_passes_on(dropout, causal):
    """Keras and-s the query's mask (rows) with the value's (columns): a padded query row is fully hidden, uniform
    over every key in Keras's fused path (no dropout) and zero weights in its softmax path (dropout > 0)."""
    layer = {"num_heads": 2, "key_dim": 3, "dropout": dropout, "use_causal_mask": causal}
    layers = [{"type": "Embedding", "name": "eq", "inputs": "q", "input_dim": 6, "output_dim": 4, "mask_zero": True},
              {"type": "Embedding", "name": "ev", "inputs": "v", "input_dim": 6, "output_dim": 4, "mask_zero": True},
              {"type": "MultiHeadAttention", "name": "mha", "inputs": ["eq", "ev"], **layer},
              {"type": "GlobalAveragePooling1D", "name": "pool"}]
    model, w = build(layers, {"q": {"shape": [3], "dtype": "int32"}, "v": {"shape": [4], "dtype": "int32"}},
                     ["mha", "pool"])
    got = model({"q": Q, "v": V})
    query, value = w["eq"]["embeddings"][Q].astype(np.float64), w["ev"]["embeddings"][V].astype(np.float64)
    allowed = lambda b, i, j: Q[b, i] != 0 and V[b, j] != 0 and (not causal or j <= i)  # noqa: E731
    expected = reference(layer, w["mha"], query, value, value, allowed, dropout > 0)
    assert_close(got["mha"], expected)
    bias = w["mha"]["attention_output/bias"]
    assert np.allclose(got["mha"][0, 2], bias, atol=1e-6) == (dropout > 0)  # the padded row: zero weights, or not
    keep = (Q != 0)[:, :, None]
    assert_close(got["pool"], (expected * keep).sum(1) / keep.sum(1))  # the query's mask reached the pooling


def test_two_attention_axes_softmax_over_both_jointly():
    """Images (batch, rows, cols, features) with attention_axes [1, 2]: every pixel against every pixel."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 1, (2, 2, 3, 4)).astype(np.float32), rng.normal(0, 1, (2, 3, 2, 4)).astype(np.float32)
    spec = {"type": "MultiHeadAttention", "name": "mha", "inputs": ["x", "y"], "num_heads": 2, "key_dim": 3,
            "attention_axes": [1, 2]}
    model, w = build([spec], {"x": {"shape": [2, 3, 4]}, "y": {"shape": [3, 2, 4]}})
    got = model({"x": x, "y": y})
    flat = reference(spec, w["mha"], x.reshape(2, 6, 4).astype(np.float64), y.reshape(2, 6, 4).astype(np.float64),
                     y.reshape(2, 6, 4).astype(np.float64), lambda b, i, j: True, True)
    assert_close(got, flat.reshape(2, 2, 3, 4))


def test_one_attention_axis_of_images_keeps_the_other_apart():
    """attention_axes -2 (the columns): each row attends within itself, as a batch of sequences."""
    rng = np.random.default_rng(4)
    x, y = rng.normal(0, 1, (2, 3, 4, 5)).astype(np.float32), rng.normal(0, 1, (2, 3, 2, 5)).astype(np.float32)
    spec = {"type": "MultiHeadAttention", "name": "mha", "inputs": ["x", "y"], "num_heads": 2, "key_dim": 2,
            "attention_axes": -2}
    model, w = build([spec], {"x": {"shape": [3, 4, 5]}, "y": {"shape": [3, 2, 5]}})
    got = model({"x": x, "y": y})
    rows = [reference(spec, w["mha"], x[:, r].astype(np.float64), y[:, r].astype(np.float64),
                      y[:, r].astype(np.float64), lambda b, i, j: True, True) for r in range(3)]
    assert_close(got, np.stack(rows, axis=1))


def test_attention_scores_are_the_masked_softmax_weights():
    """return_attention_scores: (batch, heads, Tq, Tk) weights, zero where the masks hide a pair (Keras's softmax
    path, which asking for them takes: a padded query row is all zeros)."""
    layers = [{"type": "Embedding", "name": "eq", "inputs": "q", "input_dim": 6, "output_dim": 4, "mask_zero": True},
              {"type": "Embedding", "name": "ev", "inputs": "v", "input_dim": 6, "output_dim": 4, "mask_zero": True},
              {"type": "MultiHeadAttention", "name": "mha", "inputs": ["eq", "ev"], "num_heads": 2, "key_dim": 3,
               "return_attention_scores": True}]
    model, w = build(layers, {"q": {"shape": [3], "dtype": "int32"}, "v": {"shape": [4], "dtype": "int32"}},
                     ["mha", "mha:attention_scores"])
    got = model({"q": Q, "v": V})
    scores = got["mha:attention_scores"]
    assert scores.shape == (2, 2, 3, 4)
    allowed = np.broadcast_to((Q != 0)[:, None, :, None] & (V != 0)[:, None, None, :], scores.shape)
    assert (scores[~allowed] == 0).all()
    assert_close(scores.sum(-1), np.broadcast_to((Q != 0)[:, None, :], (2, 2, 3)).astype(float))
    query, value = w["eq"]["embeddings"][Q].astype(np.float64), w["ev"]["embeddings"][V].astype(np.float64)
    expected = reference({}, w["mha"], query, value, value, lambda b, i, j: Q[b, i] != 0 and V[b, j] != 0, True)
    assert_close(got["mha"], expected)
