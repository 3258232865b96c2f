"""One training step (forward, backward, SGD update) of graphspec's NumPy backend beside PyTorch 2.13 CPU, timed in
the same run (bench_tools.race), with the same weights and batch: the issue's text model (Embedding 20,000 × 128
on 200 ids -> mean -> Dense 64 relu -> Dense 5 softmax) at batch 256. Prints the ratio, the per-layer forward and
backward profile of graphspec's step, and its peak memory beside the activations the step keeps.

torch is taken from /tmp/kerasvenv when the project venv has none (it is never a project dependency):
    .venv/bin/python benchmarks/training_step.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tools import race  # noqa: E402

import graphspec  # noqa: E402
from graphspec_backends.numpy.training.data import Data  # noqa: E402

TEXT = """
graphspec: 1
name: text_model
inputs: {ids: {shape: [200], dtype: int32}}
layers:
  - {type: Embedding, name: table, input_dim: 20000, output_dim: 128}
  - {type: GlobalAveragePooling1D, name: mean}
  - {type: Dense, name: hidden, units: 64, activation: relu}
  - {type: Dense, name: probs, units: 5, activation: softmax}
"""
BATCH, LEARNING_RATE = 256, 0.01


def import_torch():
    try:
        import torch
    except ImportError:
        sys.path.append(next(str(p) for p in Path("/tmp/kerasvenv/lib").glob("python3*/site-packages")))
        import torch
    return torch


def torch_step(torch, weights, ids, labels):
    """The same model in torch: a trainable (dense-gradient) Embedding, mean, Linear + ReLU, Linear, softmax."""
    nn = torch.nn
    table = nn.Embedding(20000, 128)
    hidden, probs = nn.Linear(128, 64), nn.Linear(64, 5)
    with torch.no_grad():
        table.weight.copy_(torch.from_numpy(weights["table"]["embeddings"]))
        for module, name in ((hidden, "hidden"), (probs, "probs")):
            module.weight.copy_(torch.from_numpy(weights[name]["kernel"].T.copy()))
            module.bias.copy_(torch.from_numpy(weights[name]["bias"]))
    x = torch.from_numpy(ids.astype(np.int64))
    return sgd_step(torch, (table, hidden, probs), lambda: probs(torch.relu(hidden(table(x).mean(dim=1)))), labels)


def sgd_step(torch, modules, logits, labels):
    """One SGD step in torch on `modules`' parameters: softmax of logits(), Keras's clipped cross-entropy."""
    optimizer = torch.optim.SGD([p for m in modules for p in m.parameters()], lr=LEARNING_RATE)
    y = torch.from_numpy(labels.astype(np.int64))

    def step():
        optimizer.zero_grad()
        p = torch.softmax(logits(), dim=-1)
        loss = torch.nn.functional.nll_loss(torch.log(p.clamp(1e-7, 1 - 1e-7)), y)
        loss.backward()
        optimizer.step()
        return float(loss.detach())
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args, rng = parser.parse_args(), np.random.default_rng(0)
    graph = graphspec.check(graphspec.loads(TEXT))
    model = graphspec.compile(graph, seed=0)
    weights = model.get_weights()
    ids, labels = rng.integers(0, 20000, (BATCH, 200)).astype("int32"), rng.integers(0, 5, BATCH)
    compare_step(f"text model step at batch {BATCH}", model, {"ids": ids}, labels,
                 lambda: torch_step(import_torch(), weights, ids, labels), args.repeat)


def compare_step(title: str, model, arrays: dict, labels, torch_make, repeat: int) -> None:
    """Prints one SGD step of `model` raced against torch_make()'s (the same step in torch, on the same weights),
    then the step's memory and per-layer profile."""
    model.compile_training(loss="sparse_categorical_crossentropy",
                           optimizer={"type": "sgd", "learning_rate": LEARNING_RATE})
    trainer, checked_labels = model._training(), labels.astype(np.int64)
    contestants = {"graphspec": lambda: trainer._step(Data(arrays, checked_labels))}
    try:
        contestants["torch"] = torch_make()
    except (ImportError, StopIteration):
        print("torch not found: graphspec alone")
    best = race(contestants, repeat)
    ratio = f", {best['graphspec'] / best['torch']:.2f}× torch's {best['torch'] * 1e3:.1f} ms" if "torch" in best else ""
    print(f"{title}: graphspec {best['graphspec'] * 1e3:.1f} ms{ratio}")
    profile(trainer, arrays, checked_labels)


def profile(trainer, arrays, labels) -> None:
    plan = trainer._plan()
    plan.profile = {}
    tracemalloc.start()
    trainer._step(Data(arrays, labels))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    kept = sum(info.output.size * 4 for name, info in trainer.model.graph.nodes.items() if info.layer is not None)
    batch = next(iter(arrays.values())).shape[0]
    print(f"peak memory of a step {peak / 2**20:.1f} MiB; the activations it keeps {kept * batch / 2**20:.1f} MiB")
    print("| layer | forward ms | backward ms |\n| --- | --- | --- |")
    for name, (forward, backward) in plan.profile.items():
        print(f"| {name} | {forward * 1e3:.2f} | {backward * 1e3:.2f} |")
    plan.profile = None


if __name__ == "__main__":
    main()
