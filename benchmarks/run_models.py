"""How fast the NumPy backend runs the example models, beside PyTorch and ONNX Runtime timed in the same run.

Prints Markdown tables: the float32 matmul GFLOP/s NumPy reaches on this machine; per model and batch,
graphspec's best time, PyTorch's (the faster of its NCHW and channels_last layouts, the same weights, outputs
compared) and ONNX Runtime's (the torch model exported), their ratios and the GFLOP/s graphspec reaches
(2 x multiply-adds x batch / time); each model's floor, its matrix products and embedding gathers timed bare
(floor.py); a 3x3 conv 64->64 beside the matmul rate; peak memory per batch against the largest activation
(tracemalloc); a per-layer time profile of each model.

Machines differ (OPENBLAS_CORETYPE can force an older BLAS kernel), so only ratios within one run compare.
Contestants are timed in turns, best of N, with a pause before each turn so that thread pools left spinning by
the previous contestant go to sleep; other load on the machine falls on all alike. Re-run a noisy measurement:
the matmul rate printed at the start and at the end of the run shows whether the machine was quiet. On this
project's VM, disturbances lasting seconds were also seen: one contestant (graphspec or PyTorch) at twice its time
for a whole row while the matmul rate at both ends was normal (the VM shares its host, and its kernel runs DAMON,
which pages out memory left idle). Rows that disagree with the floor, the profile or the other batch sizes point
to one; re-run.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

import bench_report
import graphspec
from bench_tools import blas_description, matmul_call, peak_bytes, race
from floor import floor_seconds
from model_parts import conv_contestants, layer_profile, peer_contestants, torch_ok

ROOT = Path(__file__).resolve().parents[1]
MODELS = {"cnn": "seed_cnn.yaml", "decomposeme": "decomposeme_cnn.yaml", "text": "text_classifier.yaml"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Peers are optional; install them into the dev venv only: a CPU build of torch, onnx, onnxruntime, "
               "threadpoolctl.")
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS),
                        help="models to time (default: all): "
                        + ", ".join(f"{k} = specs/{v}" for k, v in MODELS.items()))
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 32, 256], help="batch sizes (default 1 32 256)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds of timed turns per contestant, best call kept "
                             "(default 5; a turn repeats calls under 0.1 s)")
    parser.add_argument("--no-peers", action="store_true", help="time graphspec alone, even where torch is installed")
    parser.add_argument("--profile-batch", type=int, default=256, help="batch of the per-layer profile (default 256)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["floor", "conv", "memory", "profile"],
                        help="sections to leave out")
    return parser.parse_args(argv)


def example_input(graph, batch: int) -> np.ndarray:
    """Uniform floats for images; ids below the vocabulary for an Embedding's input."""
    (name,) = graph.inputs
    tensor, rng = graph[name].output, np.random.default_rng(batch)
    shape = (batch, *tensor.shape[1:])
    if not tensor.dtype.startswith("int"):
        return rng.uniform(0, 1, shape).astype(tensor.dtype)
    readers = [graph[s].layer for s in graph.graph.successors(name)]
    vocabulary = min(layer.input_dim for layer in readers if hasattr(layer, "input_dim"))
    return rng.integers(0, vocabulary, shape).astype(tensor.dtype)


def gflops(macs_per_sample: int, batch: int, seconds: float) -> float:
    return 2 * macs_per_sample * batch / seconds / 1e9


def model_rows(key, graph, model, batches, repeat, peers, matmul_rate):
    rows = []
    for batch in batches:
        x = example_input(graph, batch)
        contestants, notes = {"ours": lambda: model(x)}, {}
        if peers:
            contestants, notes = peer_contestants(graph, model, x, contestants)
        best = race(contestants, repeat)
        ours = best["ours"]
        torch_key = min((k for k in best if k.startswith("torch")), key=best.get, default=None)
        row = {"model": key, "batch": batch, "ours": ours, "torch": best.get(torch_key), "ort": best.get("ort"),
               "layout": torch_key, "gflops": gflops(graph.macs, batch, ours), "diff": notes.get("diff")}
        row["of_matmul"] = row["gflops"] / matmul_rate
        rows.append(row)
    return rows


def conv_rows(repeat, peers, matmul_rate):
    contestants, flops = conv_contestants(peers)
    bench_report.conv_table(race(contestants, repeat), flops, matmul_rate)


def memory_rows(graphs, models, batches):
    rows = []
    for key, graph in graphs.items():
        largest = max(info.output.size * 4 for info in graph.nodes.values() if info.output is not None)
        for batch in batches:
            x = example_input(graph, batch)
            models[key](x)
            rows.append((key, batch, peak_bytes(lambda: models[key](x)), largest * batch))
    return rows


def main(argv=None):
    args = parse_args(argv)
    peers = torch_ok() and not args.no_peers
    graphs = {k: graphspec.check(ROOT / "specs" / MODELS[k]) for k in args.models}
    models = {k: graphspec.compile(g, seed=0) for k, g in graphs.items()}
    call, flops = matmul_call()
    matmul_rate = flops / race({"matmul": call}, args.repeat)["matmul"] / 1e9
    print(f"NumPy {np.__version__}; {blas_description()}; {os.cpu_count()} cores")
    print(f"PyTorch / ONNX Runtime: {peers_text(peers, args.no_peers)}")
    print(f"float32 matmul 2048×2048: {matmul_rate:.1f} GFLOP/s\n")
    rows = [row for k in args.models
            for row in model_rows(k, graphs[k], models[k], args.batches, args.repeat, peers, matmul_rate)]
    macs = {k: g.macs for k, g in graphs.items()}
    bench_report.model_table(rows, macs)
    bench_report.decomposeme_lines(rows, macs)
    if "floor" not in args.skip:
        floors = {k: floor_seconds(graphs[k], args.profile_batch, args.repeat) for k in args.models}
        bench_report.floor_table(rows, floors, args.profile_batch)
    if "conv" not in args.skip:
        conv_rows(args.repeat, peers, matmul_rate)
    if "memory" not in args.skip:
        bench_report.memory_table(memory_rows(graphs, models, args.batches))
    if "profile" not in args.skip:
        for key in args.models:
            x = example_input(graphs[key], args.profile_batch)
            bench_report.profile_table(key, args.profile_batch, args.repeat, layer_profile(models[key], x, args.repeat))
    rate_after = flops / race({"matmul": call}, args.repeat)["matmul"] / 1e9
    print(f"\nfloat32 matmul at the end of the run: {rate_after:.1f} GFLOP/s (start {matmul_rate:.1f}): "
          "a large difference means other load disturbed the run")


def peers_text(peers, disabled):
    if disabled:
        return "not timed (--no-peers)"
    if not peers:
        return "not installed (pip install torch onnx onnxruntime into the dev venv to compare)"
    import torch_peer
    return f"torch {torch_peer.torch.__version__}, onnxruntime " + (
        torch_peer.onnxruntime.__version__ if torch_peer.onnxruntime else "not installed")


if __name__ == "__main__":
    main()
