"""How fast the NumPy backend runs the Transformer encoder text classifier (specs/transformer_classifier.yaml)
beside PyTorch CPU, timed in the same run, at batch 32 and 256, each against its matrix-product floor.

PyTorch runs the same model as a PyTorch user writes it (embedding tables, nn.MultiheadAttention, nn.LayerNorm,
nn.Linear, a mean over the steps), on graphspec's weights; the outputs are compared. The floor
(floor.py) is the model's matrix products and embedding gather alone, each timed bare on NumPy: the per-head
scores and weighted sums as batched matmuls, the projections and Dense layers as 2D ones.
Ids: random tokens, each sample padded with zeros after a random length (16 to 64 tokens); the spec has no
padding mask (see its comment), so the padding is attended as any token, in both.

Machines differ and load falls on all contestants alike (bench_tools.race), so only ratios within one run compare.
Usage: python benchmarks/transformer.py [--batch 32 256] [--repeat 5]   (PyTorch optional: without it, graphspec alone)
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import graphspec
import torch_peer
from bench_tools import blas_description, race
from floor import floor_seconds
from model_parts import torch_call, torch_ok

SPEC = Path(__file__).resolve().parents[1] / "specs" / "transformer_classifier.yaml"


def tensor(array):
    return torch_peer.torch.from_numpy(np.ascontiguousarray(array))


class TorchClassifier(torch_peer.nn.Module if torch_peer.nn else object):
    """The spec's model in PyTorch, holding graphspec's weights (Keras layouts transposed to torch's once)."""

    def __init__(self, w):
        super().__init__()
        nn = torch_peer.nn
        self.tokens, self.positions = tensor(w["token_embedding"]["embeddings"]), tensor(
            w["position_embedding"]["embeddings"])
        attention = w["self_attention"]
        dim, heads, key_dim = attention["query/kernel"].shape
        self.attention = nn.MultiheadAttention(dim, heads, batch_first=True)
        kernels = [attention[f"{p}/kernel"].reshape(dim, heads * key_dim).T for p in ("query", "key", "value")]
        self.attention.in_proj_weight.data = tensor(np.concatenate(kernels))
        self.attention.in_proj_bias.data = tensor(np.concatenate(
            [attention[f"{p}/bias"].reshape(-1) for p in ("query", "key", "value")]))
        self.attention.out_proj.weight.data = tensor(attention["attention_output/kernel"].reshape(-1, dim).T)
        self.attention.out_proj.bias.data = tensor(attention["attention_output/bias"])
        self.norm1, self.norm2 = (self._norm(w[n], dim) for n in ("attention_norm", "encoded"))
        self.hidden, self.output, self.label = (self._dense(w[n]) for n in ("ffn_hidden", "ffn_output", "label"))

    @staticmethod
    def _norm(w, dim):
        norm = torch_peer.nn.LayerNorm(dim, eps=1e-6)
        norm.weight.data, norm.bias.data = tensor(w["gamma"]), tensor(w["beta"])
        return norm

    @staticmethod
    def _dense(w):
        dense = torch_peer.nn.Linear(*w["kernel"].shape)
        dense.weight.data, dense.bias.data = tensor(w["kernel"].T), tensor(w["bias"])
        return dense

    def forward(self, ids):
        torch = torch_peer.torch
        x = self.tokens[ids] + self.positions[: ids.shape[1]]
        attended, _ = self.attention(x, x, x, need_weights=False)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.output(torch.relu(self.hidden(x))))
        return torch.softmax(self.label(x.mean(1)), dim=-1)


def padded_ids(batch, steps, vocabulary, rng):
    ids = rng.integers(1, vocabulary, (batch, steps)).astype(np.int32)
    lengths = rng.integers(16, steps + 1, batch)
    ids[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    return ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, nargs="+", default=[32, 256])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of timed turns, best call kept (default 5)")
    args = parser.parse_args(argv)
    graph = graphspec.check(SPEC)
    model = graphspec.compile(graph, seed=0)
    steps, vocabulary = graph.input_types["tokens"].shape[1], graph["token_embedding"].layer.input_dim
    module = TorchClassifier(model.get_weights()).eval() if torch_ok() else None
    if module is not None:
        torch_peer.set_threads()
    print(f"NumPy {np.__version__}; {blas_description()}; "
          f"PyTorch {torch_peer.torch.__version__ if torch_ok() else 'absent'}")
    print(f"{graph.name}: {graph.trainable_params:,} params, {graph.macs / 1e6:.2f} MMAC/sample\n")
    print("| batch | graphspec ms | PyTorch ms | graphspec / PyTorch | floor ms | graphspec / floor | "
          "PyTorch / floor |\n|---:|---:|---:|---:|---:|---:|---:|")
    for batch in args.batch:
        ids = padded_ids(batch, steps, vocabulary, np.random.default_rng(batch))
        calls = {"graphspec": lambda: model(ids)}
        if module is not None:
            calls["torch"] = torch_call(module, tensor(ids.astype(np.int64)))
            difference = float(np.max(np.abs(calls["torch"]().numpy() - model(ids))))
            if difference > 1e-4:
                print(f"WARNING: batch {batch}: PyTorch's output differs from graphspec's by {difference:.2e}")
        best = race(calls, args.repeat)
        floor = sum(floor_seconds(graph, batch, args.repeat).values())
        ours, theirs = best["graphspec"], best.get("torch")
        peer = f"{theirs * 1e3:.2f} | {ours / theirs:.2f}" if theirs else "– | –"
        print(f"| {batch} | {ours * 1e3:.2f} | {peer} | {floor * 1e3:.2f} | {ours / floor:.2f} | "
              + (f"{theirs / floor:.2f} |" if theirs else "– |"))


if __name__ == "__main__":
    main()
