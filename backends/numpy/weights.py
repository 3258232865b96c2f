"""Weights by layer name and Keras weight name: initial ones, checks of given ones, and .npz files (no pickle)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from graphspec.array_files import read_arrays, write_arrays
from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError

from .initializers import layer_rng
from .kernels import KERNELS

Weights = dict[str, dict[str, np.ndarray]]


def initial_weights(graph: CheckedGraph, seed: int) -> Weights:
    document = graph.spec.document
    base_dir = document.base_dir if document else None
    return {name: KERNELS[info.layer.kind].initial_weights(info.layer, info.weights, layer_rng(seed, name), base_dir)
            for name, info in graph.nodes.items() if info.weights}


def checked_weights(graph: CheckedGraph, given: Weights, source: str = "the weights") -> Weights:
    """Every layer's weights present, of the right shapes, finite as float32, allowed by their kernel; nothing extra."""
    if not isinstance(given, dict) or not all(isinstance(arrays, dict) for arrays in given.values()):
        raise RunError(f"{source} must be a dict by layer name of dicts by weight name, as get_weights() returns, "
                       f"not {type(given).__name__}")
    expected = {name: info.weights for name, info in graph.nodes.items() if info.weights}
    wanted = {f"{layer}/{w}" for layer, shapes in expected.items() for w in shapes}
    found = {f"{layer}/{w}" for layer, arrays in given.items() for w in arrays}
    if wanted != found:
        missing, extra = sorted(wanted - found), sorted(found - wanted)
        raise RunError(f"{source} do not fit the spec: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unexpected {', '.join(extra)}"] if extra else [])))
    checked = {layer: {w: _checked_array(given[layer][w], shape, f"{source}: {layer}/{w}") for w, shape in shapes.items()}
               for layer, shapes in expected.items()}
    for layer, arrays in checked.items():
        problem = KERNELS[graph[layer].layer.kind].weight_problem(graph[layer].layer, arrays)
        if problem:
            raise RunError(f"{source}: {layer}/{problem}")
    return checked


def _checked_array(given, shape, label: str) -> np.ndarray:
    array = np.asarray(given)
    if array.shape != tuple(shape):
        raise RunError(f"{label} has shape {array.shape}, the spec needs {tuple(shape)}")
    if array.dtype.kind not in "biuf":
        raise RunError(f"{label} has dtype {array.dtype}; weights are real numbers")
    with np.errstate(over="ignore"):
        single = array.astype(np.float32)
    if not np.isfinite(single).all():
        beyond = np.isfinite(array).all()
        raise RunError(f"{label} holds " + ("values beyond float32's range (±3.4e38)" if beyond else "NaN or infinite values"))
    return single


def save_weights(weights: Weights, path: str | Path) -> None:
    arrays = {f"{layer}/{w}": array for layer, layer_arrays in weights.items() for w, array in layer_arrays.items()}
    write_arrays(path, arrays, "weights", suffixes=(".npz",))


def read_weights(path: str | Path) -> Weights:
    flat = read_arrays(path, "weights")
    if isinstance(flat, np.ndarray):
        raise RunError(f"{path} holds one array; weights are an .npz file of 'layer/weight' arrays (save_weights)")
    weights: Weights = {}
    for key, array in flat.items():
        layer, slash, name = key.rpartition("/")
        if not slash or not layer:
            raise RunError(f"{path}: array '{key}' is not named 'layer/weight', as save_weights names them")
        weights.setdefault(layer, {})[name] = array
    return weights
