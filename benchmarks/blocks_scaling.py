"""How long `check` and a folded `render` take on a spec written with blocks that expands to N layers (issue 11:
10,000 layers checked under 1 s, drawn folded under 2 s).

Usage: python benchmarks/blocks_scaling.py [N ...]   (default 1000 10000)
The spec is what a person writes for a deep residual network: a `residual` block of five layers using a nested
`dense_norm` block, repeated in 4 stages of N / 20 copies each. Printed per size: the spec's line count, CPU seconds
(time.process_time, the best of three, so other load on the machine counts less) of reading + expanding + checking,
of drawing the folded diagram to SVG in-process, and the wall seconds of the whole `graphspec check` and
`graphspec render` processes (Python's start and graphspec's imports included).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from graphspec.api import check
from graphspec.render import render

STAGES = 4

BLOCKS = {
    "dense_norm": {"params": ["units"], "layers": [
        {"type": "Dense", "name": "dense", "units": "$units"},
        {"type": "LayerNormalization", "name": "norm"}]},
    "residual": {"params": ["units"], "inputs": ["x"], "layers": [
        {"block": "dense_norm", "name": "a", "inputs": "x", "units": "$units"},
        {"type": "Activation", "name": "relu", "activation": "relu"},
        {"block": "dense_norm", "name": "b", "units": "$units"},
        {"type": "Add", "name": "add", "inputs": ["x", "b"]}]},
}
COPY_LAYERS = 6  # a/dense, a/norm, relu, b/dense, b/norm, add


def generate(n_layers: int) -> dict:
    copies = max(1, n_layers // (STAGES * COPY_LAYERS))
    uses = [{"block": "residual", "name": f"stage{s}", "repeat": copies, "units": 32} for s in range(1, STAGES + 1)]
    return {"graphspec": 2, "name": f"residual_blocks_{n_layers}", "inputs": {"x": {"shape": [32]}},
            "blocks": BLOCKS, "layers": uses}


def best_cpu(action, times: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(times):
        start = time.process_time()
        result = action()
        best = min(best, time.process_time() - start)
    return best, result


def process_wall(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from graphspec.cli import main; main()", *args], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    print(f"{'layers':>7} {'lines':>6} {'check cpu s':>12} {'render cpu s':>13} {'check proc s':>13} "
          f"{'render proc s':>14}")
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"blocks_{n}.yaml"
            path.write_text(yaml.safe_dump(generate(n), sort_keys=False))
            check_s, graph = best_cpu(lambda: check(path))
            svg = Path(folder) / f"blocks_{n}.svg"
            render_s, _ = best_cpu(lambda: render(graph, svg))
            lines = len(path.read_text().splitlines())
            check_p = min(process_wall("check", str(path)) for _ in range(3))
            render_p = min(process_wall("render", str(path), "-o", str(svg)) for _ in range(3))
            print(f"{len(graph.nodes) - len(graph.inputs):>7} {lines:>6} {check_s:>12.3f} {render_s:>13.3f} {check_p:>13.3f} "
                  f"{render_p:>14.3f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
