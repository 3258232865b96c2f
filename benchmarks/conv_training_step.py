"""One training step (forward, backward, SGD update) of the example CNN (specs/seed_cnn.yaml: two 3×3 conv + 2×2 max
pooling stages on 64×64×1, Dense 64, Dense 2) at batch 256, beside PyTorch 2.13 CPU with the same weights and batch,
timed in the same run (bench_tools.race). Prints the ratio, then the per-layer forward/backward profile and peak
memory of graphspec's step (training_step.profile).

    .venv/bin/python benchmarks/conv_training_step.py [--repeat 3] [--batch 256]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from training_step import compare_step, import_torch, sgd_step  # noqa: E402

import graphspec  # noqa: E402

SPEC = Path(__file__).resolve().parent.parent / "specs" / "seed_cnn.yaml"


def torch_step(torch, weights, images, labels):
    """The same CNN in torch (NCHW): Keras's kernels transposed to OIHW, and the features put back channels-last
    before Flatten so that the first Dense's kernel reads them in Keras's order."""
    nn, names = torch.nn, list(weights)
    convs = [nn.Conv2d(1, 64, 3), nn.Conv2d(64, 64, 3)]
    dense = [nn.Linear(14 * 14 * 64, 64), nn.Linear(64, 2)]
    with torch.no_grad():
        for module, name in zip(convs, names[:2]):
            module.weight.copy_(torch.from_numpy(weights[name]["kernel"].transpose(3, 2, 0, 1).copy()))
            module.bias.copy_(torch.from_numpy(weights[name]["bias"]))
        for module, name in zip(dense, names[2:]):
            module.weight.copy_(torch.from_numpy(weights[name]["kernel"].T.copy()))
            module.bias.copy_(torch.from_numpy(weights[name]["bias"]))
    x, pool = torch.from_numpy(images.transpose(0, 3, 1, 2).copy()), nn.functional.max_pool2d

    def logits():
        h = pool(torch.relu(convs[1](pool(torch.relu(convs[0](x)), 2))), 2)
        return dense[1](torch.relu(dense[0](h.permute(0, 2, 3, 1).flatten(1))))
    return sgd_step(torch, (*convs, *dense), logits, labels)

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    args, rng = parser.parse_args(), np.random.default_rng(0)
    model = graphspec.compile(graphspec.check(graphspec.load(SPEC)), seed=0)
    weights = model.get_weights()
    images = rng.standard_normal((args.batch, 64, 64, 1)).astype("float32")
    labels = rng.integers(0, 2, args.batch)
    compare_step(f"example CNN step at batch {args.batch}", model, {"image": images}, labels,
                 lambda: torch_step(import_torch(), weights, images, labels), args.repeat)

if __name__ == "__main__":
    main()
