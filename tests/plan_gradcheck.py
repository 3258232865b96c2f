"""Gradient checks of a whole training plan: every model output (a later output such as `encoder:state_h` too)
probed, the plan's backward against central differences of the probed sum in every trainable weight, in float64. gradcheck.py checks one kernel; this checks what the plan carries between kernels.

    check_plan_gradients(graph, {"src": x, "tgt": y})
"""
from __future__ import annotations

import numpy as np

from gradcheck import STEP, compare, numeric
from graphspec_backends.numpy.kernels import KERNELS
from graphspec_backends.numpy.training.plan import TrainingPlan
from support import random_weights


def float64_plan(graph, seed: int = 0):
    weights = {n: {w: np.array(a, np.float64) for w, a in ws.items()} for n, ws in random_weights(graph, seed).items()}
    kernels = {n: KERNELS[graph[n].layer.kind](n, graph[n].layer, weights.get(n, {})) for n in graph.layer_names()}
    return TrainingPlan(graph, kernels), weights


def check_plan_gradients(graph, arrays: dict, seed: int = 0, tolerance: float = 1e-6, step: float = STEP):
    """Returns the weight gradients by layer; a failure names the layer, weight and element and both numbers."""
    plan, weights = float64_plan(graph, seed)
    arrays = {n: a.astype(np.float64) if a.dtype.kind == "f" else a for n, a in arrays.items()}

    def run():
        return plan.forward(arrays, np.random.default_rng(seed))

    tape = run()
    probe_rng = np.random.default_rng(seed + 1)
    probes = {ref: probe_rng.standard_normal(out.shape) for ref, out in tape.outputs.items()}
    grads, _ = plan.backward(tape, {ref: p.copy() for ref, p in probes.items()})

    def loss():
        return float(sum(np.sum(run().outputs[ref] * p) for ref, p in probes.items()))

    for layer, names in plan.trainable.items():
        for name in names:
            assert name in grads.get(layer, {}), f"no gradient for {layer}/{name}"
            compare(f"{layer}/{name}", grads[layer][name], numeric(weights[layer][name], loss, step), tolerance)
    return grads
