"""How fast the NumPy backend runs the convolution family beside PyTorch CPU, timed in the same run, at batch 32.

Cases (each a one-layer graphspec model, and the same layer in PyTorch on the same weights, outputs compared):
a depthwise 3×3 conv (64 channels, 32×32, same), the same with 5×5 taps and with 128 channels, a dense 3×3 conv
of the depthwise's size (64 → 64), a SeparableConv2D, and a DCGAN-style Conv2DTranspose (4×4, strides 2, same,
16×16×64 → 32×32×32). Prints a Markdown table: milliseconds, graphspec / PyTorch (the faster of its NCHW and
channels_last layouts), GMAC/s; then whether depthwise time follows its multiply-adds: each case's time and
multiply-adds against the depthwise 3×3's (a depthwise conv run as a dense conv with zero blocks would take about
the dense conv's time instead).

Machines differ and load falls on all contestants alike (bench_tools.race), so only ratios within one run compare.
Usage: python benchmarks/conv_family.py [--batch 32] [--repeat 5]   (PyTorch optional: without it, graphspec alone)
"""
from __future__ import annotations

import argparse
import copy
import json

import numpy as np

import graphspec
from graphspec.layers.arith import conv_transpose_crop
from bench_tools import blas_description, race
from model_parts import torch_call, torch_ok
import torch_peer

# name -> (layer fields, input shape): every case channels-last, as the spec declares it.
CASES = {
    "depthwise 3×3, 64 ch": ({"type": "DepthwiseConv2D", "kernel_size": 3, "padding": "same"}, (32, 32, 64)),
    "depthwise 5×5, 64 ch": ({"type": "DepthwiseConv2D", "kernel_size": 5, "padding": "same"}, (32, 32, 64)),
    "depthwise 3×3, 128 ch": ({"type": "DepthwiseConv2D", "kernel_size": 3, "padding": "same"}, (32, 32, 128)),
    "dense 3×3, 64 → 64": ({"type": "Conv2D", "filters": 64, "kernel_size": 3, "padding": "same"}, (32, 32, 64)),
    "separable 3×3, 64 → 64": ({"type": "SeparableConv2D", "filters": 64, "kernel_size": 3, "padding": "same"},
                               (32, 32, 64)),
    "transposed 4×4 /2, 64 → 32": ({"type": "Conv2DTranspose", "filters": 32, "kernel_size": 4, "strides": 2,
                                    "padding": "same"}, (16, 16, 64)),
}
BASELINE = "depthwise 3×3, 64 ch"


def one_layer(fields, shape):
    spec = {"graphspec": 1, "name": "case", "inputs": {"x": {"shape": list(shape)}},
            "layers": [{"name": "layer", **fields}]}
    graph = graphspec.check(graphspec.loads(json.dumps(spec), format="json"))
    return graph, graphspec.compile(graph, seed=0)


def torch_module(layer, w):
    """The layer in PyTorch with graphspec's weights (Keras layouts permuted to torch's once)."""
    nn, torch = torch_peer.nn, torch_peer.torch
    kind, k = layer.kind, layer.kernel_size
    if kind == "Conv2D":
        return torch_peer.conv2d(w["kernel"], w["bias"], padding="same")
    if kind == "DepthwiseConv2D":
        return _depthwise(w["kernel"], w["bias"])
    if kind == "SeparableConv2D":
        pointwise = torch_peer.conv2d(w["pointwise_kernel"], w["bias"])
        return nn.Sequential(_depthwise(w["depthwise_kernel"], None), pointwise)
    # ConvTranspose2d: (C, F, kh, kw); torch crops `padding` at both ends, Keras its crop at the start (the same
    # here: 4×4, strides 2, same crops 1 and 1), which the output comparison checks
    crop = tuple(conv_transpose_crop(n, s, layer.padding, None) for n, s in zip(k, layer.strides))
    module = nn.ConvTranspose2d(w["kernel"].shape[-1], layer.filters, k, layer.strides, padding=crop)
    module.weight.data = torch.from_numpy(np.ascontiguousarray(w["kernel"].transpose(3, 2, 0, 1)))
    module.bias.data = torch.from_numpy(w["bias"].copy())
    return module


def _depthwise(kernel, bias):
    """Keras (kh, kw, C, m) as torch groups=C: output channel c * m + j, as Keras orders them."""
    nn, torch = torch_peer.nn, torch_peer.torch
    kh, kw, channels, multiplier = kernel.shape
    module = nn.Conv2d(channels, channels * multiplier, (kh, kw), padding="same", groups=channels, bias=bias is not None)
    weight = kernel.reshape(kh, kw, channels * multiplier).transpose(2, 0, 1)[:, None]
    module.weight.data = torch.from_numpy(np.ascontiguousarray(weight))
    if bias is not None:
        module.bias.data = torch.from_numpy(bias.copy())
    return module


def contestants(name, graph, model, x):
    calls = {"graphspec": lambda: model(x)}
    if not torch_ok():
        return calls
    module = torch_module(graph["layer"].layer, model.get_weights()["layer"]).eval()
    last = copy.deepcopy(module).to(memory_format=torch_peer.torch.channels_last)
    calls["torch NCHW"] = torch_call(module, torch_peer.convert_input(x))
    calls["torch channels_last"] = torch_call(last, torch_peer.convert_input(x, channels_last=True))
    theirs = calls["torch NCHW"]().numpy().transpose(0, 2, 3, 1)
    difference = float(np.max(np.abs(theirs - model(x))))
    if difference > 1e-3:
        print(f"WARNING: {name}: PyTorch's output differs from graphspec's by {difference:.2e}")
    return calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of timed turns, best call kept (default 5)")
    args = parser.parse_args(argv)
    if torch_ok():
        torch_peer.set_threads()
    print(f"NumPy {np.__version__}; {blas_description()}; PyTorch {torch_peer.torch.__version__ if torch_ok() else 'absent'}")
    print(f"\n| layer, batch {args.batch} | MMAC/sample | graphspec ms | PyTorch ms (layout) | graphspec / PyTorch | "
          "graphspec GMAC/s |\n|---|---:|---:|---:|---:|---:|")
    rows = {}
    for name, (fields, shape) in CASES.items():
        graph, model = one_layer(fields, shape)
        x = np.random.default_rng(0).standard_normal((args.batch, *shape), dtype=np.float32)
        best = race(contestants(name, graph, model, x), args.repeat)
        ours, peer = best.pop("graphspec"), min(best.items(), key=lambda kv: kv[1], default=(None, None))
        rows[name] = (graph.macs, ours)
        versus = f"{peer[1] * 1e3:.2f} ({peer[0][6:]}) | {ours / peer[1]:.2f}" if peer[0] else "– | –"
        print(f"| {name} | {graph.macs / 1e6:.2f} | {ours * 1e3:.2f} | {versus} | {graph.macs * args.batch / ours / 1e9:.2f} |")
    macs0, time0 = rows[BASELINE]
    print(f"\nAgainst {BASELINE}: does the time follow the multiply-adds?\n\n| layer | MAC ratio | time ratio |\n|---|---:|---:|")
    for name, (macs, seconds) in rows.items():
        print(f"| {name} | {macs / macs0:.2f} | {seconds / time0:.2f} |")


if __name__ == "__main__":
    main()
