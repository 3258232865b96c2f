"""How long `check` takes as a spec grows: a generated chain of N layers, in YAML and in JSON.

Usage: python benchmarks/check_scaling.py [N ...]   (default 1000 5000 10000 20000)
Prints seconds per stage and microseconds per layer; linear scaling keeps the last column flat. Times are this
process's CPU seconds (time.process_time), the best of three: on a machine shared with other jobs, wall-clock time
measures the others as much as the check. `--stages` adds a line per stage of the check: reading the layers into
pydantic models, wiring the graph, inferring shapes. `--cli` adds the CPU seconds of a whole `graphspec check`
process (Python's start and graphspec's imports, about a second that does not grow with the spec, and the printed
summary) and of one on a three-layer spec, the fixed part.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from graphspec.infer import analyze
from graphspec.reader import read_spec
from graphspec.source import read_file

BLOCK = [  # a repeating unit that keeps the shape (None, 32, 16) and touches several rules
    {"type": "Conv1D", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
    {"type": "LayerNormalization"},
    {"type": "Dense", "units": 16},
    {"type": "Dropout", "rate": 0.1},
]


def generate(n_layers: int) -> dict:
    layers = [dict(BLOCK[i % len(BLOCK)]) for i in range(n_layers)]
    return {"graphspec": 1, "name": f"chain_{n_layers}", "inputs": {"x": {"shape": [32, 16]}}, "layers": layers}


def time_check(path: Path) -> tuple[float, float, float]:
    start = time.process_time()
    document, _ = read_file(path)
    parsed = time.process_time()
    graph = analyze(read_spec(document))
    done = time.process_time()
    assert graph.ok, graph.errors[:3]
    return parsed - start, done - parsed, done - start


def time_stages(path: Path) -> dict[str, float]:
    """CPU seconds of each stage of `check` on one file (the best of three)."""
    from graphspec.graph import build_graph
    from graphspec.infer import _Inference

    def once() -> dict[str, float]:
        marks = [time.process_time()]
        document, _ = read_file(path)
        marks.append(time.process_time())
        spec = read_spec(document)
        marks.append(time.process_time())
        wiring = build_graph(spec)
        marks.append(time.process_time())
        _Inference(wiring, document).run()
        marks.append(time.process_time())
        return dict(zip(("parse", "read_spec", "build_graph", "infer"), (b - a for a, b in zip(marks, marks[1:]))))
    runs = [once() for _ in range(3)]
    return {stage: min(run[stage] for run in runs) for stage in runs[0]}


def cli_seconds(path: Path) -> float:
    """CPU seconds (user + system) of a `graphspec check` process on the file, the best of three."""
    def once() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", "from graphspec.cli import main; main()", "check", str(path)],
                       stdout=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return min(once() for _ in range(3))


def main(sizes: list[int], stages: bool = False, cli: bool = False) -> None:
    print(f"{'layers':>7} {'format':>6} {'parse s':>8} {'check s':>8} {'total s':>8} {'µs/layer':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            spec = generate(n)
            for suffix, text in ((".yaml", yaml.safe_dump(spec, sort_keys=False)), (".json", json.dumps(spec, indent=1))):
                path = Path(folder) / f"chain_{n}{suffix}"
                path.write_text(text)
                parse, check, total = min(time_check(path) for _ in range(3))
                print(f"{n:>7} {suffix[1:]:>6} {parse:>8.3f} {check:>8.3f} {total:>8.3f} {1e6 * total / n:>9.1f}")
                if stages:
                    print("        " + ", ".join(f"{k} {v:.3f}" for k, v in time_stages(path).items()))
                if cli:
                    small = Path(folder) / f"small{suffix}"
                    small.write_text(json.dumps(generate(3)))
                    print(f"        graphspec check: {cli_seconds(path):.3f} s CPU, {cli_seconds(small):.3f} s for 3 layers")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([int(a) for a in args if not a.startswith("--")] or [1000, 5000, 10000, 20000], "--stages" in args,
         "--cli" in args)
