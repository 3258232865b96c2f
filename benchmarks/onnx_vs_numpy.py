"""The onnxruntime backend against ONNX Runtime running the same network exported from PyTorch (NCHW,
torch.onnx.export), with the NumPy backend and PyTorch beside them: best times of interleaved runs, their ratios,
and ours / torch→ORT measured paired (bench_tools.paired_ratio: the median of 15 rounds timed A B B A, and the
lowest and highest round), which separates a 5% difference where separate bests on this VM vary by 30%.

    python benchmarks/onnx_vs_numpy.py [--specs seed_cnn decomposeme_cnn text_classifier] [--batches 1 32 256] [--repeat 5]

Needs onnx and onnxruntime (pip install -e ".[onnx]") and torch in the same environment (never in the project's own
venv: make a separate one). Machines differ, so only the ratios within one run mean anything. The issue's targets:
ours / torch-ORT within 1.1 at batch 32 and 256, within 1.5 at batch 1 (read from the paired column).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import graphspec  # noqa: E402
import torch_peer  # noqa: E402
from bench_tools import paired_ratio, race  # noqa: E402

SPECS = Path(__file__).resolve().parents[1] / "specs"


def example_input(graph, batch: int) -> np.ndarray:
    tensor = graph.input_types[graph.inputs[0]]
    shape = (batch, *tensor.shape[1:])
    rng = np.random.default_rng(0)
    if tensor.is_integer:
        return rng.integers(0, 100, shape).astype(tensor.dtype)
    return rng.random(shape, dtype=np.float32)


def contestants(graph, batch: int, fast, reference, peer_session, module, repeat: int):
    x = example_input(graph, batch)
    torch_x = torch_peer.convert_input(x)
    feed = {"x": torch_x.numpy()}
    calls = {"ours (ORT)": lambda: fast(x), "torch ORT": lambda: peer_session.run(None, feed),
             "numpy": lambda: reference(x)}
    with torch_peer.torch.inference_mode():
        calls["torch"] = lambda: module(torch_x)
        expected = reference(x)
        for name, call in calls.items():
            out = call()
            out = out[0] if isinstance(out, list) else out
            out = out.numpy() if hasattr(out, "numpy") else out
            difference = float(np.max(np.abs(np.asarray(out).reshape(expected.shape) - expected)))
            if difference > 1e-4:
                print(f"WARNING: {graph.name} batch {batch}: {name} differs from numpy by {difference:.2e}")
        return race(calls, repeat), paired_ratio(calls["ours (ORT)"], calls["torch ORT"])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", nargs="+", default=["seed_cnn", "decomposeme_cnn", "text_classifier"])
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 32, 256])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of turns; each contestant's best counts")
    args = parser.parse_args(argv)
    torch_peer.set_threads()
    print(f"{os.cpu_count()} logical cores; ONNX Runtime {torch_peer.onnxruntime.__version__}, "
          f"torch {torch_peer.torch.__version__}")
    print("| model | batch | ours ORT ms | torch→ORT ms | numpy ms | torch ms | ours / torch→ORT | paired (rounds) | "
          "numpy / ours | torch / ours |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.specs:
        graph = graphspec.check(SPECS / f"{name}.yaml")
        reference = graphspec.compile(graph, seed=0)
        fast = graphspec.compile(graph, backend="onnxruntime", weights=reference.get_weights())
        module = torch_peer.build_torch(graph, reference.get_weights())
        session = torch_peer.ort_session(module, torch_peer.convert_input(example_input(graph, 1)))
        for batch in args.batches:
            t, (paired, low, high) = contestants(graph, batch, fast, reference, session, module, args.repeat)
            ours = t["ours (ORT)"]
            print(f"| {name} | {batch} | {ours * 1e3:.3g} | {t['torch ORT'] * 1e3:.3g} | {t['numpy'] * 1e3:.3g} | "
                  f"{t['torch'] * 1e3:.3g} | {ours / t['torch ORT']:.2f} | **{paired:.2f}** ({low:.2f}-{high:.2f}) | "
                  f"{t['numpy'] / ours:.2f} | {t['torch'] / ours:.2f} |", flush=True)


if __name__ == "__main__":
    main()
