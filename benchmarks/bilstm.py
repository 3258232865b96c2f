"""How fast the NumPy backend runs the Bidirectional LSTM text classifier (specs/bilstm_text_classifier.yaml)
beside PyTorch CPU, timed in the same run, at batch 32 and 256, each time against its matrix-product floor.

The spec's sequences are of any length; here they are `--steps` tokens (no padding, so PyTorch needs no packing;
graphspec still carries the mask_zero mask). PyTorch runs the same weights: nn.Embedding, nn.LSTM(bidirectional=True,
batch_first=True) whose gates i, f, g, o are Keras's i, f, c, o, the last forward and backward states side by side,
Dropout (inference), nn.Linear and sigmoid; the outputs are compared.

The floor is the model's matrix products and its embedding gather alone, each timed bare on NumPy: the input
projection of every step for both directions ((batch·steps, 128) @ (128, 2·256)), the recurrent products (steps
× the faster of one (2, batch, 64) @ (2, 64, 256) batched product and two (batch, 64) @ (64, 256) ones: NumPy's
stacked matmul calls BLAS per matrix, and with several OpenBLAS threads on small matrices it can be the slower),
the Dense head. A recurrence runs its steps one after the other, so at small batches the floor is mostly NumPy's
cost per call.
Machines differ and load falls on all contestants alike (bench_tools.race), so only ratios within one run compare.
Usage: python benchmarks/bilstm.py [--steps 100] [--repeat 5] [--batches 32 256]   (PyTorch optional)
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml

import graphspec
from bench_tools import blas_description, race
from model_parts import torch_call, torch_ok
import torch_peer

SPEC = Path(__file__).resolve().parents[1] / "specs" / "bilstm_text_classifier.yaml"


def fixed_length_graph(steps: int):
    """The example spec with sequences of `steps` tokens, so that every size (and so the floor) is known."""
    document = yaml.safe_load(SPEC.read_text())
    document["inputs"]["tokens"]["shape"] = [steps]
    return graphspec.check(graphspec.loads(yaml.safe_dump(document)))


def torch_module(weights):
    """The classifier in PyTorch on graphspec's weights (Keras layouts transposed to torch's once)."""
    nn, torch = torch_peer.nn, torch_peer.torch
    w = weights["bilstm"]
    table, dense = weights["embedding"]["embeddings"], weights["dense"]
    units = w["forward_recurrent_kernel"].shape[0]
    lstm = nn.LSTM(table.shape[1], units, batch_first=True, bidirectional=True)
    for suffix, prefix in (("", "forward_"), ("_reverse", "backward_")):
        getattr(lstm, f"weight_ih_l0{suffix}").data = torch.from_numpy(np.ascontiguousarray(w[prefix + "kernel"].T))
        getattr(lstm, f"weight_hh_l0{suffix}").data = torch.from_numpy(
            np.ascontiguousarray(w[prefix + "recurrent_kernel"].T))
        getattr(lstm, f"bias_ih_l0{suffix}").data = torch.from_numpy(w[prefix + "bias"].copy())
        getattr(lstm, f"bias_hh_l0{suffix}").data.zero_()

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding.from_pretrained(torch.from_numpy(table.copy()))
            self.lstm, self.head = lstm, nn.Linear(*dense["kernel"].shape)
            self.head.weight.data = torch.from_numpy(np.ascontiguousarray(dense["kernel"].T))
            self.head.bias.data = torch.from_numpy(dense["bias"].copy())

        def forward(self, ids):
            _, (h, _) = self.lstm(self.embedding(ids))
            return torch.sigmoid(self.head(torch.cat([h[0], h[1]], dim=-1)))

    return Classifier().eval()


def floor_seconds(graph, batch: int, repeat: int) -> float:
    """The bare NumPy time of the model's matrix products and its embedding gather at `batch`."""
    rng = np.random.default_rng(0)
    steps = graph["tokens"].output.shape[1]
    w = graph["bilstm"].weights
    features, gates = w["forward_kernel"]
    units = w["forward_recurrent_kernel"][0]
    table = rng.standard_normal(graph["embedding"].weights["embeddings"], dtype=np.float32)
    ids = rng.integers(1, table.shape[0], batch * steps)
    x = rng.standard_normal((batch * steps, features), dtype=np.float32)
    kernel = rng.standard_normal((features, 2 * gates), dtype=np.float32)
    h, h0 = rng.standard_normal((2, batch, units), dtype=np.float32), rng.standard_normal((batch, units), dtype=np.float32)
    recurrent = rng.standard_normal((2, units, gates), dtype=np.float32)
    r0 = recurrent[0].copy()
    head_x = rng.standard_normal((batch, 2 * units), dtype=np.float32)
    head = rng.standard_normal(graph["dense"].weights["kernel"], dtype=np.float32)
    parts = {"gather": lambda: np.take(table, ids, axis=0), "projection": lambda: x @ kernel,
             "batched step": lambda: h @ recurrent, "two steps": lambda: (h0 @ r0, h0 @ r0), "head": lambda: head_x @ head}
    best = race(parts, repeat)
    step = min(best["batched step"], best["two steps"])
    return best["gather"] + best["projection"] + steps * step + best["head"]


def contestants(graph, model, ids):
    calls = {"graphspec": lambda: model(ids)}
    if not torch_ok():
        return calls
    module = torch_module(model.get_weights())
    calls["torch"] = torch_call(module, torch_peer.convert_input(ids))
    difference = float(np.max(np.abs(calls["torch"]().numpy() - model(ids))))
    if difference > 1e-4:
        print(f"WARNING: PyTorch's output differs from graphspec's by {difference:.2e}")
    return calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of timed turns, best call kept (default 5)")
    parser.add_argument("--batches", type=int, nargs="+", default=[32, 256])
    args = parser.parse_args(argv)
    if torch_ok():
        torch_peer.set_threads()
    graph = fixed_length_graph(args.steps)
    model = graphspec.compile(graph, seed=0)
    print(f"NumPy {np.__version__}; {blas_description()}; PyTorch {torch_peer.torch.__version__ if torch_ok() else 'absent'}")
    print(f"\nBiLSTM text classifier, {args.steps} tokens, {graph.total_params:,} params, "
          f"{graph.macs / 1e6:.1f} MMAC/sample\n")
    print("| batch | graphspec ms | floor ms | graphspec / floor | PyTorch ms | PyTorch / floor | graphspec / PyTorch |"
          "\n|---:|---:|---:|---:|---:|---:|---:|")
    for batch in args.batches:
        ids = np.random.default_rng(batch).integers(1, 20000, (batch, args.steps)).astype(np.int32)
        best, floor = race(contestants(graph, model, ids), args.repeat), floor_seconds(graph, batch, args.repeat)
        ours, theirs = best["graphspec"], best.get("torch")
        peer = (f"{theirs * 1e3:.1f} | {theirs / floor:.2f} | {ours / theirs:.2f}" if theirs else "– | – | –")
        print(f"| {batch} | {ours * 1e3:.1f} | {floor * 1e3:.1f} | {ours / floor:.2f} | {peer} |")


if __name__ == "__main__":
    main()
