"""The DecomposeMe CNN's training step (forward, backward, SGD update) beside the example CNN's, against their
multiply-adds: does a step cost in proportion to the work the layers do? Both graphspec steps and, when torch is
importable, the same two steps in PyTorch 2.13 CPU (built from the checked graphs by torch_peer, with the same
weights and batch) are timed in one run (bench_tools.race).

    python benchmarks/decomposeme_training_step.py [--repeat 3] [--batch 256]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch_peer  # noqa: E402
from bench_tools import race  # noqa: E402
from training_step import LEARNING_RATE, sgd_step  # noqa: E402

import graphspec  # noqa: E402
from graphspec_backends.numpy.training.data import Data  # noqa: E402

SPECS = Path(__file__).resolve().parent.parent / "specs"
NAMES = ("seed_cnn", "decomposeme_cnn")


def graphspec_step(graph, images, labels):
    model = graphspec.compile(graph, seed=0)
    model.compile_training(loss="sparse_categorical_crossentropy",
                           optimizer={"type": "sgd", "learning_rate": LEARNING_RATE})
    trainer, arrays = model._training(), {graph.inputs[0]: images}
    return model.get_weights(), trainer, lambda: trainer._step(Data(arrays, labels))


def layer_times(trainer, graph, images, labels) -> dict[str, float]:
    """Forward + backward seconds of each layer in one step (the training plan's own profile)."""
    plan = trainer._plan()
    plan.profile = {}
    trainer._step(Data({graph.inputs[0]: images}, labels))
    times, plan.profile = {name: sum(pair) for name, pair in plan.profile.items()}, None
    return times


def torch_step(graph, weights, images, labels):
    """torch_peer's module for the graph in training mode, its closing softmax left to sgd_step."""
    torch = torch_peer.torch
    layers = list(torch_peer.build_torch(graph, weights).train())
    if not isinstance(layers[-1], torch.nn.Softmax):
        raise NotImplementedError("the benchmark models end in a softmax")
    logits, x = torch.nn.Sequential(*layers[:-1]), torch_peer.convert_input(images)
    return sgd_step(torch, [logits], lambda: logits(x), labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    args, rng = parser.parse_args(), np.random.default_rng(0)
    images = rng.standard_normal((args.batch, 64, 64, 1)).astype("float32")
    labels = rng.integers(0, 2, args.batch)
    graphs, calls, trainers = {name: graphspec.check(SPECS / f"{name}.yaml") for name in NAMES}, {}, {}
    for name, graph in graphs.items():
        weights, trainers[name], calls[f"graphspec {name}"] = graphspec_step(graph, images, labels)
        if torch_peer.torch is not None:
            calls[f"torch {name}"] = torch_step(graph, weights, images, labels)
    best = race(calls, args.repeat)
    print(f"training step at batch {args.batch}, SGD; multiply-adds are the forward's (a step does about three times as many)")
    print("| model | forward MMACs / sample | graphspec ms | ms per forward GMAC | torch ms | graphspec / torch |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, graph in graphs.items():
        ours, theirs = best[f"graphspec {name}"], best.get(f"torch {name}", float("nan"))
        print(f"| {name} | {graph.macs / 1e6:.1f} | {ours * 1e3:.0f} | {ours * 1e3 / (graph.macs * args.batch / 1e9):.1f} | "
              f"{theirs * 1e3:.0f} | {ours / theirs:.2f} |")
    (seed, decomposed) = (graphs[n].macs for n in NAMES)
    ratio = best["graphspec decomposeme_cnn"] / best["graphspec seed_cnn"]
    print(f"decomposeme_cnn / seed_cnn: {decomposed / seed:.2f} of the multiply-adds, {ratio:.2f} of graphspec's step time")
    second = {n: [c for c in graphs[n].layer_names() if "Conv2D" in graphs[n][c].layer.kind][1] for n in NAMES}
    conv = {n: min(layer_times(trainers[n], graphs[n], images, labels)[second[n]] for _ in range(args.repeat))
            for n in NAMES}
    conv_macs = {n: graphs[n][second[n]].macs for n in NAMES}
    print(f"the layer decomposed, the second convolution (forward + backward): {conv['seed_cnn'] * 1e3:.0f} ms as Conv2D, "
          f"{conv['decomposeme_cnn'] * 1e3:.0f} ms as DecomposedConv2D: {conv_macs['decomposeme_cnn'] / conv_macs['seed_cnn']:.2f} "
          f"of the multiply-adds, {conv['decomposeme_cnn'] / conv['seed_cnn']:.2f} of the time")


if __name__ == "__main__":
    main()
