"""Gradient checks, micrograd's way: a kernel's analytic gradients against central finite differences in float64.

    check_layer_gradients({"type": "Dense", "units": 3, "activation": "tanh"}, [x])

builds the layer through a spec (so its fields are checked and its weight shapes are Keras's), draws float64
weights, runs the kernel's train_forward and backward on a fixed random projection of the output
(loss = sum(y * probe)), and compares every element of every float input gradient and every trainable weight
gradient with (loss(v + h) - loss(v - h)) / 2h. A failure names the array and element and states both numbers.
Each loss evaluation draws from a fresh generator of the same seed, so Dropout's mask is the same throughout.
"""
from __future__ import annotations

import itertools

import numpy as np

from graphspec_backends.numpy.kernels import KERNELS
from graphspec_backends.numpy.kernels.base import Training
from support import checked, random_weights

STEP = 1e-6


def layer_kernel(layer: dict, arrays: list[np.ndarray], seed: int = 0):
    """The kernel of `layer` (a spec mapping) for inputs shaped as `arrays`, with float64 random weights."""
    names = [f"x{i}" for i in range(len(arrays))]
    inputs = {n: {"shape": list(a.shape[1:]), "dtype": "float64" if a.dtype.kind == "f" else str(a.dtype)}
              for n, a in zip(names, arrays)}
    fields = {"name": "probe", **layer, "inputs": names if len(names) > 1 else names[0]}
    graph = checked([fields], inputs)
    # np.array, not astype: a scalar weight (Attention's scale) stays a 0-d array the checks can perturb in place
    weights = {w: np.array(a, np.float64) for w, a in random_weights(graph, seed).get("probe", {}).items()}
    info = graph["probe"]
    return KERNELS[info.layer.kind]("probe", info.layer, weights)


def trainable_names(kernel) -> list[str]:
    layer = kernel.layer
    return [] if not layer.trainable else [w for w in kernel.weights if w not in layer.non_trainable_weights]


def check_layer_gradients(layer: dict, arrays: list[np.ndarray], masks=None, seed: int = 0,
                          tolerance: float = 1e-6, kernel=None, step: float = STEP):
    """Analytic against numeric gradients for every float input and trainable weight; returns the Gradients.
    step: the differences' step (larger where small gradients of a large loss drown in its rounding at STEP)."""
    arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    kernel = kernel or layer_kernel(layer, arrays, seed)
    masks = masks or [None] * len(arrays)
    needs = tuple(a.dtype.kind == "f" for a in arrays)
    trainable = trainable_names(kernel)

    def run(inputs):
        training = Training(np.random.default_rng(seed), weight_grads=bool(trainable), input_grads=needs)
        return kernel.train_forward(list(inputs), list(masks), training)

    y, backward = run(arrays)
    several = isinstance(y, tuple)  # a layer with several outputs (return_state): one probe each
    probe_rng = np.random.default_rng(seed + 1)
    probes = [probe_rng.standard_normal(out.shape) for out in (y if several else (y,))]
    grads = backward(tuple(p.copy() for p in probes) if several else probes[0].copy())

    def loss():
        out = run(arrays)[0]
        return float(sum(np.sum(o * p) for o, p in zip(out if several else (out,), probes)))

    for i, (x, need) in enumerate(zip(arrays, needs)):
        if need:
            assert grads.inputs[i] is not None, f"{kernel.layer.kind}: no gradient for input {i}"
            compare(f"input {i}", grads.inputs[i], numeric(x, loss, step), tolerance)
    for name in trainable:
        assert name in grads.weights, f"{kernel.layer.kind}: no gradient for weight '{name}'"
        compare(f"weight '{name}'", grads.weights[name], numeric(kernel.weights[name], loss, step), tolerance)
    for name in set(grads.weights) - set(trainable):
        raise AssertionError(f"{kernel.layer.kind}: a gradient for '{name}', which is not trainable")
    return grads


def numeric(array: np.ndarray, loss, step: float = STEP) -> np.ndarray:
    """Central differences of loss() in each element of `array` (perturbed in place, then restored)."""
    result = np.zeros(array.shape)
    for index in itertools.product(*map(range, array.shape)):
        saved = array[index]
        array[index] = saved + step
        up = loss()
        array[index] = saved - step
        down = loss()
        array[index] = saved
        result[index] = (up - down) / (2 * step)
    return result


def compare(label: str, analytic: np.ndarray, expected: np.ndarray, tolerance: float) -> None:
    """Relative error per element, against the larger of the two values (a floor of 1e-3 of the array's largest
    gradient keeps elements that should be 0 from dividing by rounding noise)."""
    assert analytic.shape == expected.shape, f"{label}: gradient shape {analytic.shape}, expected {expected.shape}"
    floor = max(1e-3 * float(np.max(np.abs(expected), initial=0)), 1e-9)
    error = np.abs(analytic - expected) / np.maximum(np.maximum(np.abs(analytic), np.abs(expected)), floor)
    worst = np.unravel_index(np.argmax(error), error.shape) if error.size else None
    if worst is not None and error[worst] > tolerance:
        raise AssertionError(f"{label}{[int(i) for i in worst]}: analytic gradient {analytic[worst]!r}, numeric "
                             f"{expected[worst]!r} (relative error {error[worst]:.2e} > {tolerance:g})")
