"""Weights by layer name and Keras weight name: initial ones, checks of given ones, and .npz files (no pickle)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from graphspec.array_files import float32_problem, read_arrays, write_arrays
from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError

from .initializers import layer_rng
from .kernels import KERNELS
from .plan import out_of_memory

Weights = dict[str, dict[str, np.ndarray]]


def initial_weights(graph: CheckedGraph, seed: int) -> Weights:
    document = graph.spec.document
    base_dir = document.base_dir if document else None
    weights = {}
    for name, info in graph.nodes.items():
        if info.weights:
            try:
                weights[name] = KERNELS[info.layer.kind].initial_weights(info.layer, info.weights,
                                                                         layer_rng(seed, name), base_dir)
            except MemoryError as exc:
                raise out_of_memory(f"the initial weights of layer '{name}'", exc, "is a size mistyped?") from None
    return weights


def checked_weights(graph: CheckedGraph, given: Weights, source: str = "the weights") -> Weights:
    """Every layer's weights present, of the right shapes, finite as float32, allowed by their layer; nothing extra."""
    _check_nesting(given, source)
    expected = {name: info.weights for name, info in graph.nodes.items() if info.weights}
    wanted = {f"{layer}/{w}" for layer, shapes in expected.items() for w in shapes}
    # by "layer/weight": where a block's layer (stage/conv) or a weight (query/kernel) holds a "/", a file's keys
    # split at the first one may nest them otherwise, and mean the same
    flat = {f"{layer}/{w}": array for layer, arrays in given.items() for w, array in arrays.items()}
    found = set(flat)
    if wanted != found:
        missing, extra = sorted(wanted - found), sorted(found - wanted)
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unexpected {', '.join(extra)}"] if extra else [])
        raise RunError(f"{source} do not fit the spec: " + "; ".join(parts))
    checked = {layer: {w: _checked_array(flat[f"{layer}/{w}"], shape, f"{source}: {layer}/{w}")
                       for w, shape in shapes.items()} for layer, shapes in expected.items()}
    for layer, arrays in checked.items():
        problem = graph[layer].layer.weight_problem(arrays)
        if problem:
            raise RunError(f"{source}: {layer}/{problem[0]}: {problem[1]}")
    return checked


def _check_nesting(given, source: str) -> None:
    if not isinstance(given, dict):
        raise RunError(f"{source} must be a dict by layer name of dicts by weight name, as get_weights() returns, "
                       f"not {type(given).__name__}")
    for layer, arrays in given.items():
        if not isinstance(arrays, dict):
            raise RunError(f"{source}: [{layer!r}] is {type(arrays).__name__}, not a dict by weight name "
                           f"({{'kernel': array, ...}}), as get_weights() returns")


def _checked_array(given, shape, label: str) -> np.ndarray:
    try:
        array = np.asarray(given)
    except ValueError as exc:  # a ragged list
        raise RunError(f"{label} is not an array: {exc}") from None
    if array.shape != tuple(shape):
        raise RunError(f"{label} has shape {array.shape}, the spec needs {tuple(shape)}")
    single, problem = float32_problem(array)
    if problem:
        raise RunError(f"{label} {problem}")
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
        layer, slash, name = key.partition("/")  # either may hold "/": checked_weights compares them joined
        if not slash or not layer:
            raise RunError(f"{path}: array '{key}' is not named 'layer/weight', as save_weights names them")
        weights.setdefault(layer, {})[name] = array
    return weights
