"""The contestants of the model benchmark: PyTorch and ONNX Runtime beside a compiled model, the single conv, and
the per-layer profile of a compiled model's plan."""
from __future__ import annotations

import copy
import math

import numpy as np

import graphspec
import torch_peer

CONV_SPEC = """
graphspec: 1
name: conv3x3_64
inputs: {x: {shape: [32, 32, 64]}}
layers: [{type: Conv2D, name: conv, filters: 64, kernel_size: 3, padding: same}]
"""
CONV_BATCH = 256
_SESSIONS: dict = {}  # one ONNX export per model, reused across batch sizes


def torch_ok() -> bool:
    return torch_peer.torch is not None


def torch_call(module, tensor):
    def call():
        with torch_peer.torch.inference_mode():
            return module(tensor)
    return call


def peer_contestants(graph, model, x, contestants):
    """`contestants` plus PyTorch (each layout it runs fast in) and ONNX Runtime on the same weights and input,
    and the largest absolute difference of their outputs from graphspec's."""
    torch_peer.set_threads()
    module = torch_peer.build_torch(graph, model.get_weights())
    contestants = dict(contestants)
    if x.ndim == 4:
        last = copy.deepcopy(module).to(memory_format=torch_peer.torch.channels_last)
        contestants["torch NCHW"] = torch_call(module, torch_peer.convert_input(x))
        contestants["torch channels_last"] = torch_call(last, torch_peer.convert_input(x, channels_last=True))
    else:
        contestants["torch"] = torch_call(module, torch_peer.convert_input(x))
    ours = model(x)
    outputs = [call().numpy() for name, call in contestants.items() if name.startswith("torch")]
    session = ort_for(graph.name, module, torch_peer.convert_input(x))
    if session is not None:
        feed = {"x": torch_peer.convert_input(x).numpy()}
        contestants["ort"] = lambda: session.run(None, feed)
        outputs.append(contestants["ort"]()[0])
    diff = max(float(np.max(np.abs(out.reshape(ours.shape) - ours))) for out in outputs)
    if diff > 1e-4:
        print(f"WARNING: {graph.name} at batch {x.shape[0]}: outputs differ from PyTorch / ORT by {diff:.2e}")
    return contestants, {"diff": diff}


def ort_for(name, module, example):
    if name not in _SESSIONS:
        _SESSIONS[name] = torch_peer.ort_session(module, example)
    return _SESSIONS[name]


def conv_contestants(peers):
    """A 3×3 conv, 64 → 64 channels, 32×32 same, batch 256: graphspec (a one-layer model) and, with peers, the
    same conv in PyTorch and ONNX Runtime. Returns the callables and the conv's FLOPs."""
    graph = graphspec.check(graphspec.loads(CONV_SPEC))
    model = graphspec.compile(graph, seed=0)
    x = np.random.default_rng(0).standard_normal((CONV_BATCH, 32, 32, 64), dtype=np.float32)
    contestants = {"graphspec": lambda: model(x)}
    if peers:
        torch_peer.set_threads()
        weights = model.get_weights()["conv"]
        module = torch_peer.conv2d(weights["kernel"], weights["bias"], padding="same").eval()
        last = copy.deepcopy(module).to(memory_format=torch_peer.torch.channels_last)
        contestants["PyTorch NCHW"] = torch_call(module, torch_peer.convert_input(x))
        contestants["PyTorch channels_last"] = torch_call(last, torch_peer.convert_input(x, channels_last=True))
        session = torch_peer.ort_session(module, torch_peer.convert_input(x))
        if session is not None:
            feed = {"x": torch_peer.convert_input(x).numpy()}
            contestants["ONNX Runtime"] = lambda: session.run(None, feed)
    return contestants, 2 * graph.macs * CONV_BATCH


def layer_profile(model, x, repeat) -> dict[str, float]:
    """Best seconds of each plan step over `repeat` calls (the plan's profile hook sums a step over its blocks)."""
    plan, best = model._plan, {}
    model(x)
    try:
        for _ in range(repeat):
            plan.profile = {}
            model(x)
            for step, seconds in plan.profile.items():
                best[step] = min(best.get(step, math.inf), seconds)
    finally:
        plan.profile = None
    return best
